//! The text of a report page: its sections and numbered paragraphs with permalinks and theme
//! tags, written straight to HTML.
//!
//! This is the bulk of every report page (thousands of paragraphs across an archive), so it is
//! built in code rather than looped over in a template: a template would copy every paragraph
//! into its own value tree first, which costs more than the rest of the build. The page around it
//! stays a template (`report.html`) that a site can override.

use std::cell::RefCell;
use std::fmt::Write;

use rustc_hash::FxHashMap;

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
    // Room for the text and each paragraph's markup (about 300 bytes: its wrappers, permalink
    // and tags), so a long report's body is not copied again each time it outgrows its string.
    let room: usize = report.paragraphs().map(|p| p.text.len() + 320).sum();
    let mut html = String::with_capacity(room + report.sections.len() * 128);
    let mut headings = Vec::new();
    let para = Para {
        lookup,
        root,
        canonical,
        tags: RefCell::default(),
    };
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
    /// Each theme's tag as its paragraphs list it, written once a page: made afresh for each of
    /// a page's tagged paragraphs, tags were about a tenth of the report pages' time.
    tags: RefCell<FxHashMap<&'a str, String>>,
}

impl<'a> Para<'a> {
    fn write(&self, out: &mut String, p: &'a Paragraph, element: &str, footnotes: &mut Footnotes) {
        let anchor = markdown::escape(&p.anchor);
        let _ = write!(out, "<{element} class=\"para\" id=\"{anchor}\">");
        if let Some(number) = &p.number {
            out.push_str("<span class=\"para-num\">");
            markdown::escape_into(out, number);
            out.push_str("</span>");
        }
        out.push_str("<div class=\"para-body\">\n");
        out.push_str(&markdown::render_paragraph(p, footnotes));
        let _ = write!(
            out,
            "<div class=\"tools\"><a class=\"permalink\" href=\"#{anchor}\" aria-label=\""
        );
        markdown::escape_into(out, &format!("Link to {}", words::paragraph_name(p)));
        out.push('"');
        if !self.canonical.is_empty() {
            out.push_str(" data-url=\"");
            markdown::escape_into(out, self.canonical);
            let _ = write!(out, "#{anchor}\"");
        }
        out.push_str(">§</a>\n");
        self.write_tags(out, &p.themes);
        let _ = writeln!(out, "</div>\n</div>\n</{element}>");
    }

    /// `write_tags` for the themes `slugs`, skipping any the site does not define.
    fn write_tags(&self, out: &mut String, slugs: &'a [String]) {
        let mut known = slugs
            .iter()
            .filter_map(|s| Some((s.as_str(), self.lookup.theme(s)?)))
            .peekable();
        if known.peek().is_none() {
            return;
        }
        let mut tags = self.tags.borrow_mut();
        out.push_str(TAGS_START);
        for (slug, theme) in known {
            let tag = tags
                .entry(slug)
                .or_insert_with(|| tag_html(&TagView::new(theme, self.root)));
            out.push_str(tag);
        }
        out.push_str(TAGS_END);
    }
}

const TAGS_START: &str = "<ul class=\"tags\" aria-label=\"Themes\">";
const TAGS_END: &str = "</ul>\n";

/// The theme tags list, as `partials/tags.html` writes it elsewhere.
pub(super) fn write_tags(out: &mut String, tags: &[TagView]) {
    if tags.is_empty() {
        return;
    }
    out.push_str(TAGS_START);
    for t in tags {
        out.push_str(&tag_html(t));
    }
    out.push_str(TAGS_END);
}

/// One tag of a tags list.
fn tag_html(t: &TagView) -> String {
    let mut out = String::from("<li><a href=\"");
    markdown::escape_into(&mut out, &t.href);
    out.push_str("\">");
    markdown::escape_into(&mut out, &t.short);
    if t.shortened {
        out.push_str("<span class=\"visually-hidden\"> (");
        markdown::escape_into(&mut out, &t.title);
        out.push_str(")</span>");
    }
    out.push_str("</a></li>");
    out
}
