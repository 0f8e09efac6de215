//! Code blocks highlighted with syntect as CSS classes (no inline styles), and the matching CSS,
//! its colours darkened where needed so every token meets WCAG AA contrast. The CSS is generated
//! by this module's tests into `highlight.css` beside it, so a build does not pay for loading
//! syntect's themes; `UPDATE_HIGHLIGHT_CSS=1 cargo test --lib render::highlight` regenerates it.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix, so syntect's scope names (`string`, `keyword`) cannot clash with ours.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Loaded on first use: deserialising the syntax definitions costs milliseconds, and most builds
/// only have a code block or two, on the about page.
fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `code` as highlighted HTML spans for the language named by `token` (`json`, `csv`); plain
/// escaped text when the language is unknown.
pub fn highlight(code: &str, token: &str) -> String {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(token)
        .unwrap_or_else(|| set.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return super::markdown::escape(code);
        }
    }
    generator.finalize()
}

/// The CSS for the highlighting classes, appended to the site's stylesheet.
pub const CSS: &str = include_str!("highlight.css");

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::highlighting::{Color, Theme, ThemeSet};
    use syntect::html::css_for_theme_with_class_style;

    /// The syntect theme the CSS is generated from: light, close to GOV.UK's plain look.
    const THEME_NAME: &str = "InspiredGitHub";

    /// WCAG 2.2 AA minimum for normal text.
    const MIN_CONTRAST: f64 = 4.5;

    /// The CSS for the highlighting classes, or an empty string if the built-in theme is missing.
    fn generated_css() -> String {
        let mut themes = ThemeSet::load_defaults();
        let Some(mut theme) = themes.themes.remove(THEME_NAME) else {
            return String::new();
        };
        ensure_contrast(&mut theme);
        css_for_theme_with_class_style(&theme, CLASS_STYLE).unwrap_or_default()
    }

    /// Darken every token colour that is too faint against its background.
    fn ensure_contrast(theme: &mut Theme) {
        let page = theme.settings.background.unwrap_or(WHITE);
        if let Some(fg) = theme.settings.foreground.as_mut() {
            *fg = darken_until_readable(*fg, page);
        }
        for item in &mut theme.scopes {
            let background = item.style.background.unwrap_or(page);
            if let Some(fg) = item.style.foreground.as_mut() {
                *fg = darken_until_readable(*fg, background);
            }
        }
    }

    const WHITE: Color = Color {
        r: 255,
        g: 255,
        b: 255,
        a: 255,
    };

    fn darken_until_readable(mut fg: Color, bg: Color) -> Color {
        fg.a = 255;
        while contrast(fg, bg) < MIN_CONTRAST && (fg.r, fg.g, fg.b) != (0, 0, 0) {
            fg.r = (f64::from(fg.r) * 0.9) as u8;
            fg.g = (f64::from(fg.g) * 0.9) as u8;
            fg.b = (f64::from(fg.b) * 0.9) as u8;
        }
        fg
    }

    /// WCAG relative luminance.
    fn luminance(c: Color) -> f64 {
        let channel = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.03928 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }

    /// WCAG contrast ratio between two colours.
    fn contrast(a: Color, b: Color) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
        (hi + 0.05) / (lo + 0.05)
    }

    fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b, a: 255 }
    }

    #[test]
    fn faint_colour_is_darkened_to_aa() {
        let fixed = darken_until_readable(rgb(0x00, 0x86, 0xb3), WHITE);
        assert!(contrast(fixed, WHITE) >= MIN_CONTRAST);
    }

    #[test]
    fn readable_colour_is_kept() {
        assert_eq!(
            darken_until_readable(rgb(0x0b, 0x0c, 0x0c), WHITE),
            rgb(0x0b, 0x0c, 0x0c)
        );
    }

    #[test]
    fn json_is_highlighted_with_classes_not_styles() {
        let html = highlight("{\"a\": 1}\n", "json");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn committed_css_matches_the_theme() {
        let css = generated_css();
        assert!(css.contains(".hl-code"), "{css}");
        if std::env::var_os("UPDATE_HIGHLIGHT_CSS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/render/highlight.css");
            std::fs::write(path, &css).unwrap();
        } else {
            assert!(
                css == CSS,
                "src/render/highlight.css is stale: run UPDATE_HIGHLIGHT_CSS=1 cargo test --lib render::highlight"
            );
        }
    }
}
