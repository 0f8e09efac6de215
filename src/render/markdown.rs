//! Markdown to HTML with pulldown-cmark: raw HTML in content is shown as text, code blocks are
//! highlighted with CSS classes, headings get anchors, and footnote references become links to
//! the report's own footnote list.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use memchr::memmem;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::highlight;
use crate::markup::is_plain_paragraph;
use crate::model::Paragraph;

/// How footnote references (`[^1]`) in a report's paragraphs are numbered and linked.
#[derive(Debug, Default)]
pub struct Footnotes {
    /// Label → number, in the order the report defines them.
    numbers: BTreeMap<String, usize>,
    /// Definitions appended to each paragraph so pulldown-cmark recognises the references.
    definitions: String,
    /// Where the footnote list is: "" on the report page itself, the report's address elsewhere.
    href_prefix: String,
    /// Give each reference an id for the footnote's back-link (only on the report page).
    with_ids: bool,
    /// How many times each number has been referenced, to keep ids unique.
    seen: BTreeMap<usize, usize>,
}

impl Footnotes {
    /// Footnotes of a report whose list is at `href_prefix` (`""` on the report page).
    pub fn new(labels: &[(String, String)], href_prefix: &str) -> Self {
        let mut numbers = BTreeMap::new();
        let mut definitions = String::new();
        for (i, (label, _)) in labels.iter().enumerate() {
            numbers.entry(label.clone()).or_insert(i + 1);
            definitions.push_str(&format!("\n\n[^{label}]: .\n"));
        }
        Footnotes {
            numbers,
            definitions,
            href_prefix: href_prefix.to_string(),
            with_ids: href_prefix.is_empty(),
            seen: BTreeMap::new(),
        }
    }

    /// Whether footnote `number` has been referenced by what was rendered so far.
    pub fn was_referenced(&self, number: usize) -> bool {
        self.seen.contains_key(&number)
    }

    fn reference(&mut self, label: &str) -> Option<String> {
        let n = *self.numbers.get(label)?;
        let count = self.seen.entry(n).or_insert(0);
        *count += 1;
        let id = match (self.with_ids, *count) {
            (false, _) => String::new(),
            (true, 1) => format!(" id=\"fnref-{n}\""),
            (true, k) => format!(" id=\"fnref-{n}-{k}\""),
        };
        Some(format!(
            "<sup class=\"fn-ref\"><a href=\"{}#fn-{n}\"{id}><span class=\"visually-hidden\">Footnote </span>{n}</a></sup>",
            self.href_prefix
        ))
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Render a block of Markdown with no footnotes (hand-written pages, theme descriptions).
pub fn to_html(text: &str) -> String {
    render(text, &mut Footnotes::default())
}

/// Render a block of Markdown, linking its footnote references.
pub fn render(text: &str, footnotes: &mut Footnotes) -> String {
    render_marked(text, is_plain_paragraph(text), footnotes)
}

/// `render` of a report's paragraph, which loading marked plain or not.
pub fn render_paragraph(p: &Paragraph, footnotes: &mut Footnotes) -> String {
    render_marked(&p.text, p.plain, footnotes)
}

/// `render` of `text`, known to be plain (`markup::is_plain_paragraph`) or not.
fn render_marked(text: &str, plain: bool, footnotes: &mut Footnotes) -> String {
    if plain {
        // Most paragraphs are one line of prose; parsing them costs more than the rest of a page.
        let mut out = String::with_capacity(text.len() + 16);
        out.push_str("<p>");
        // A plain paragraph holds no `&`, `<` or `>`: there is nothing to escape.
        out.push_str(text);
        out.push_str("</p>\n");
        return out;
    }
    // Definitions are appended only where a reference needs them, as parsing them is not free.
    let source = if text.contains("[^") {
        format!("{text}{}", footnotes.definitions)
    } else {
        text.to_string()
    };
    let mut events = Vec::new();
    let mut in_definition = 0usize;
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(&source, options()) {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => in_definition += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_definition -= 1,
            _ if in_definition > 0 => {}
            Event::Start(Tag::CodeBlock(kind)) => {
                let token = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((token, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, body)) = code.as_mut() {
                    body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((token, body)) = code.take() {
                    events.push(Event::Html(CowStr::from(code_block(&body, &token))));
                }
            }
            Event::FootnoteReference(label) => match footnotes.reference(&label) {
                Some(html) => events.push(Event::InlineHtml(CowStr::from(html))),
                None => events.push(Event::Text(CowStr::from(format!("[^{label}]")))),
            },
            // Content comes from PDFs and people: show any HTML in it as text, never run it.
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, add_heading_ids(events).into_iter());
    out
}

/// Give headings without an explicit id one made from their text, so a page's sections can be
/// linked to.
fn add_heading_ids(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level, id: None, ..
        }) = &events[i]
        {
            let text: String = events[i + 1..]
                .iter()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            let slug = crate::annotated::slugify(&text);
            out.push(Event::Start(Tag::Heading {
                level: *level,
                id: (!slug.is_empty()).then(|| CowStr::from(slug)),
                classes: Vec::new(),
                attrs: Vec::new(),
            }));
        } else {
            out.push(events[i].clone());
        }
        i += 1;
    }
    out
}

fn code_block(body: &str, token: &str) -> String {
    format!(
        "<pre class=\"hl-code\" tabindex=\"0\"><code>{}</code></pre>\n",
        highlight::highlight(body, token)
    )
}

/// Render Markdown that is one paragraph of text without its `<p>` wrapper, for table cells and
/// descriptions; longer Markdown keeps its blocks.
pub fn inline(text: &str) -> String {
    let html = to_html(text);
    match html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>\n"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Markdown reduced to plain text, for titles, descriptions and data files.
pub fn plain(text: &str) -> String {
    plain_cow(text).into_owned()
}

/// `plain`, borrowing `text` when it has no markup to take out.
pub fn plain_cow(text: &str) -> Cow<'_, str> {
    plain_marked(text, is_plain_paragraph(text))
}

/// `plain_cow` of a report's paragraph, which loading marked plain or not.
pub fn plain_paragraph(p: &Paragraph) -> Cow<'_, str> {
    plain_marked(&p.text, p.plain)
}

/// `plain_cow` of `text`, known to be plain (`markup::is_plain_paragraph`) or not.
fn plain_marked(text: &str, plain: bool) -> Cow<'_, str> {
    // A vector search: `str::contains` took 0.7% of a build's CPU looking for these.
    static TWO_SPACES: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new("  "));
    if plain && TWO_SPACES.find(text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    Cow::Owned(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Escape text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// `escape(text)` added to `out`, for pages written piece by piece without a string a piece.
pub fn escape_into(out: &mut String, text: &str) {
    let mut run = 0;
    // Copied in runs between the bytes that need escaping: most text has none.
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[run..i]);
        out.push_str(entity);
        run = i + 1;
    }
    out.push_str(&text[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Children aged <b>under 16</b>");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn footnote_reference_links_to_list() {
        let notes = vec![("a".to_string(), "A note.".to_string())];
        let mut f = Footnotes::new(&notes, "");
        let html = render("Text.[^a] Again.[^a]", &mut f);
        assert!(html.contains("href=\"#fn-1\" id=\"fnref-1\""), "{html}");
        assert!(html.contains("id=\"fnref-1-2\""), "{html}");
        assert!(
            !html.contains("A note"),
            "definitions are not repeated: {html}"
        );
    }

    #[test]
    fn footnote_elsewhere_links_to_report_without_ids() {
        let notes = vec![("1".to_string(), "N.".to_string())];
        let mut f = Footnotes::new(&notes, "../../reports/x/index.html");
        let html = render("T.[^1]", &mut f);
        assert!(
            html.contains("href=\"../../reports/x/index.html#fn-1\">"),
            "{html}"
        );
    }

    #[test]
    fn code_block_is_highlighted() {
        let html = to_html("```json\n{\"a\": 1}\n```\n");
        assert!(html.contains("<pre class=\"hl-code\""), "{html}");
        assert!(html.contains("hl-"), "{html}");
    }

    /// The fast path must give exactly what the parser gives.
    fn parsed(text: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, Parser::new_ext(text, options()));
        out
    }

    #[test]
    fn plain_paragraphs_render_as_the_parser_would() {
        for text in [
            "The council’s \"front door\" works well.",
            "Health attended 3 of 10 strategy meetings; police: 7.",
            "2015 was the year (see below).",
            "Children aged 16+ are seen.",
        ] {
            assert!(is_plain_paragraph(text), "{text}");
            assert_eq!(to_html(text), parsed(text), "{text}");
        }
    }

    #[test]
    fn every_committed_paragraph_renders_as_the_parser_would() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/reports");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines().filter(|l| is_plain_paragraph(l)) {
                assert_eq!(to_html(line), parsed(line), "{line}");
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} lines took the fast path");
    }

    #[test]
    fn headings_get_ids() {
        assert!(to_html("## Open data\n").contains("<h2 id=\"open-data\">"));
    }

    #[test]
    fn inline_strips_single_paragraph() {
        assert_eq!(inline("Improve *PEPs*."), "Improve <em>PEPs</em>.");
    }

    #[test]
    fn escape_replaces_only_special_characters() {
        assert_eq!(
            escape("Children’s “plans” & <notes> 'here'"),
            "Children’s “plans” &amp; &lt;notes&gt; &#39;here&#39;"
        );
        assert_eq!(escape("\"x\""), "&quot;x&quot;");
        assert_eq!(escape("no change: www, w:, ww"), "no change: www, w:, ww");
    }

    #[test]
    fn colons_and_ws_alone_stay_plain() {
        assert!(is_plain_paragraph("Three things: www and w: wx"));
    }

    #[test]
    fn plain_drops_markup() {
        assert_eq!(plain("Improve *PEPs*\nnow."), "Improve PEPs now.");
    }
}
