//! The text of a report page: its sections and numbered paragraphs with permalinks and theme
//! tags, written straight to HTML.
//!
//! This is the bulk of every report page (thousands of paragraphs across an archive), so it is
//! built in code rather than looped over in a template: a template would copy every paragraph
//! into its own value tree first, which costs more than the rest of the build. The page around it
//! stays a template (`report.html`) that a site can override.

use std::fmt::Write;

use crate::model::{Paragraph, Report};

use super::markdown::{self, Footnotes};
use super::view::{Lookup, TagView, heading_levels};
use super::words;

/// A section heading, for the page's contents list.
pub struct Heading {
    pub anchor: String,
    pub text: String,
    pub level: u8,
}

/// The document's text as HTML, and the headings it contains.
pub struct Body {
    pub html: String,
    pub headings: Vec<Heading>,
}

/// Render `report`'s sections. `canonical` is the page's absolute address ("" when the site has
/// none), given to permalinks so the copy button can copy a full address.
pub fn render(
    lookup: &Lookup,
    report: &Report,
    root: &str,
    canonical: &str,
    footnotes: &mut Footnotes,
) -> Body {
    let levels = heading_levels(report.sections.iter().map(|s| s.level));
    let mut html = String::with_capacity(report.sections.len() * 2048);
    let mut headings = Vec::new();
    for (i, (section, level)) in report.sections.iter().zip(levels).enumerate() {
        match (&section.heading, &section.anchor) {
            (Some(text), Some(anchor)) => {
                let _ = writeln!(
                    html,
                    "<h{level} id=\"{}\">{}</h{level}>",
                    markdown::escape(anchor),
                    markdown::escape(text)
                );
                headings.push(Heading {
                    anchor: anchor.clone(),
                    text: text.clone(),
                    level,
                });
            }
            _ if i == 0 && !section.paragraphs.is_empty() => {
                html.push_str("<h2 id=\"text-start\">Introduction</h2>\n");
            }
            _ => {}
        }
        let para = Para {
            lookup,
            root,
            canonical,
        };
        for run in section.paragraphs.chunk_by(|a, b| a.bullet && b.bullet) {
            let bullets = run[0].bullet;
            if bullets {
                html.push_str("<ul class=\"points\">\n");
            }
            for p in run {
                para.write(&mut html, p, if bullets { "li" } else { "div" }, footnotes);
            }
            if bullets {
                html.push_str("</ul>\n");
            }
        }
    }
    Body { html, headings }
}

/// What every paragraph of one page shares.
struct Para<'a> {
    lookup: &'a Lookup<'a>,
    root: &'a str,
    canonical: &'a str,
}

impl Para<'_> {
    fn write(&self, out: &mut String, p: &Paragraph, element: &str, footnotes: &mut Footnotes) {
        let anchor = markdown::escape(&p.anchor);
        let _ = write!(out, "<{element} class=\"para\" id=\"{anchor}\">");
        if let Some(number) = &p.number {
            let _ = write!(
                out,
                "<span class=\"para-num\">{}</span>",
                markdown::escape(number)
            );
        }
        out.push_str("<div class=\"para-body\">\n");
        out.push_str(&markdown::render(&p.text, footnotes));
        let label = markdown::escape(&format!("Link to {}", words::paragraph_name(p)));
        let _ = write!(
            out,
            "<div class=\"tools\"><a class=\"permalink\" href=\"#{anchor}\" aria-label=\"{label}\""
        );
        if !self.canonical.is_empty() {
            let _ = write!(
                out,
                " data-url=\"{}#{anchor}\"",
                markdown::escape(self.canonical)
            );
        }
        out.push_str(">§</a>\n");
        write_tags(out, &self.lookup.tags(&p.themes, self.root));
        let _ = writeln!(out, "</div>\n</div>\n</{element}>");
    }
}

/// The theme tags list, as `partials/tags.html` writes it elsewhere.
pub(super) fn write_tags(out: &mut String, tags: &[TagView]) {
    if tags.is_empty() {
        return;
    }
    out.push_str("<ul class=\"tags\" aria-label=\"Themes\">");
    for t in tags {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}<span class=\"visually-hidden\"> ({})</span></a></li>",
            markdown::escape(&t.href),
            markdown::escape(&t.short),
            markdown::escape(&t.title)
        );
    }
    out.push_str("</ul>\n");
}
