//! Open data: `findings.json` (every paragraph with its address and themes) and
//! `recommendations.csv` (one row per recommendation with its links), both described on the
//! about page.

use super::incremental::{Fingerprints, PageCache};
use super::markdown;
use super::output::Staging;
use super::paths;
use super::splice::{self, Frame};
use super::view::{self, Lookup};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::json;
use crate::model::{Report, Site};

/// `findings.json`: documents, each with its sections and their paragraphs. The document's
/// address, title and date are stated once rather than on every paragraph, which halves the file.
/// One paragraph a line, so it stays readable and diffs stay small without the bulk of
/// pretty-printing every field. Each document's lines are a part `splice` reuses while the
/// document's content, the site's address and this program are unchanged.
pub fn stage_findings_json(
    staging: &Staging,
    cache: &PageCache,
    prints: &Fingerprints,
    site: &Site,
    config: &Config,
) -> Result<(), Diagnostic> {
    let mut head = String::from("{\"title\": ");
    json::push_str(&mut head, &config.title);
    head.push_str(", \"base_url\": ");
    json::push_str(&mut head, &config.base_url);
    head.push_str(", \"documents\": [\n");
    let frame = Frame {
        head: head.as_bytes(),
        between: b",\n",
        tail: b"\n]}\n",
    };
    let program = crate::site::cache::program();
    let keys: Vec<u64> = site
        .reports
        .iter()
        .map(|r| splice::key((program, &config.base_url, prints.content(r.slug()))))
        .collect();
    splice::stage(staging, cache, "findings.json", &frame, &keys, |i| {
        Ok::<_, std::io::Error>(report_lines(&site.reports[i], config))
    })
}

/// A report as `findings.json` lines, without a comma or line break after its closing brace:
/// the document's fields (`url` its absolute address, from `base_url`; `path` its address
/// relative to the site root, for copies opened from disk), then a line a section (its heading
/// and the heading's anchor, or nulls) and a line a paragraph,
/// `{"anchor":…,"number":…,"text":…,"themes":[…]}`, whose full address is the document's
/// `url` (or `path`) + `#` + `anchor`.
fn report_lines(r: &Report, config: &Config) -> Vec<u8> {
    let page = paths::report(r.slug());
    let text: usize = r.paragraphs().map(|p| p.text.len() + 64).sum();
    let mut out = String::with_capacity(text + 512);
    let fields = [
        ("slug", r.slug()),
        ("title", &r.meta.title),
        ("kind", r.meta.kind.label()),
        ("authority", &r.meta.authority),
        ("date", &r.meta.date),
        ("url", &page.url(&config.base_url)),
        ("path", &page.path),
    ];
    for (i, (name, value)) in fields.into_iter().enumerate() {
        out.push_str(if i == 0 { "{\"" } else { ",\"" });
        out.push_str(name);
        out.push_str("\":");
        json::push_str(&mut out, value);
    }
    out.push_str(",\"sections\": [");
    for (i, s) in r.sections.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str("{\"heading\":");
        json::push_optional(&mut out, s.heading.as_deref());
        out.push_str(",\"anchor\":");
        json::push_optional(&mut out, s.anchor.as_deref());
        out.push_str(",\"paragraphs\": [");
        for (j, p) in s.paragraphs.iter().enumerate() {
            out.push_str(if j == 0 { "\n" } else { ",\n" });
            out.push_str("{\"anchor\":");
            json::push_str(&mut out, &p.anchor);
            out.push_str(",\"number\":");
            json::push_optional(&mut out, p.number.as_deref());
            out.push_str(",\"text\":");
            // Borrowed from the paragraph when it has no markup, as most have.
            json::push_str(&mut out, &markdown::plain_paragraph(p));
            out.push_str(",\"themes\":");
            json::push_strs(&mut out, p.themes.iter().map(String::as_str));
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out.into_bytes()
}

const CSV_HEADER: [&str; 12] = [
    "report",
    "report_title",
    "date",
    "kind",
    "id",
    "group",
    "text",
    "themes",
    "url",
    "paragraph_url",
    "quoted_from",
    "links",
];

/// `recommendations.csv`: RFC 4180 quoting, CRLF line ends, so spreadsheets open it as it is.
/// Each report's rows are a part `splice` reuses while its pages' fingerprint is unchanged: the
/// rows show its links and the documents they lead to, as its pages do.
pub fn stage_recommendations_csv(
    staging: &Staging,
    cache: &PageCache,
    prints: &Fingerprints,
    lookup: &Lookup,
    config: &Config,
) -> Result<(), Diagnostic> {
    let head = csv_row(CSV_HEADER.iter().map(|s| s.to_string()));
    let frame = Frame {
        head: head.as_bytes(),
        between: b"",
        tail: b"",
    };
    let reports: Vec<&Report> = lookup
        .site
        .reports
        .iter()
        .filter(|r| !r.meta.recommendations.is_empty())
        .collect();
    let keys: Vec<u64> = reports
        .iter()
        .map(|r| splice::key(("recommendations.csv", prints.report(r.slug()))))
        .collect();
    splice::stage(staging, cache, "recommendations.csv", &frame, &keys, |i| {
        Ok::<_, std::io::Error>(report_rows(lookup, reports[i], &config.base_url))
    })
}

/// A report's recommendations as CSV rows.
fn report_rows(lookup: &Lookup, r: &Report, base: &str) -> Vec<u8> {
    let report_url = paths::report(r.slug()).url(base);
    let mut out = String::new();
    for rec in &r.meta.recommendations {
        let links: Vec<String> = view::related(lookup, r.slug(), Some(&rec.id), "")
            .into_iter()
            .map(|l| format!("{}: {}", l.label, absolute(base, &l.href)))
            .collect();
        let quoted = rec
            .quoted_from
            .as_ref()
            .map_or_else(String::new, |q| match &q.date {
                Some(d) => format!("{} ({d})", q.title),
                None => q.title.clone(),
            });
        out.push_str(&csv_row([
            r.slug().to_string(),
            r.meta.title.clone(),
            r.meta.date.clone(),
            r.meta.kind.label().to_string(),
            rec.id.clone(),
            rec.group.clone().unwrap_or_default(),
            markdown::plain(&rec.text),
            rec.themes.join(" "),
            paths::recommendation(r.slug(), &rec.id).url(base),
            rec.paragraph
                .as_ref()
                .map(|p| format!("{report_url}#{p}"))
                .unwrap_or_default(),
            quoted,
            links.join("; "),
        ]));
    }
    out.into_bytes()
}

/// A site-relative href ("reports/x/index.html#r-1") as an absolute, folder-style URL.
fn absolute(base: &str, href: &str) -> String {
    let (path, fragment) = href
        .split_once('#')
        .map_or((href, None), |(p, f)| (p, Some(f)));
    let url = paths::Location::new(path).url(base);
    match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url,
    }
}

fn csv_row(fields: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> = fields.into_iter().map(|f| csv_field(&f)).collect();
    format!("{}\r\n", cells.join(","))
}

/// Quote a field when it holds a comma, quote or line break, doubling any quotes inside.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn absolute_keeps_fragment() {
        assert_eq!(
            absolute("https://e.org/a/", "reports/x/index.html#r-1"),
            "https://e.org/a/reports/x/#r-1"
        );
    }
}
