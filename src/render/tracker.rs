//! The rows of the recommendations tracker, written straight to HTML.
//!
//! A large archive has tens of thousands of recommendations on this one page; looping over them
//! in a template would first copy every one into the template's own value tree, which took more
//! memory than any other page. The page around the table stays a template
//! (`recommendations.html`) that a site can override.

use std::fmt::Write;

use rayon::prelude::*;

use super::body::write_tags;
use super::markdown::escape;
use super::view::{self, Lookup, RecView, RelatedView};
use crate::model::Report;

/// How many cross-links a tracker row lists; the recommendation's own page lists them all.
const ROW_RELATED: usize = 3;

/// The recommendations of `reports` as table rows, in that order, for a page whose root is
/// `root`.
pub fn rows(lookup: &Lookup, reports: &[&Report], root: &str) -> String {
    let per_report: Vec<String> = reports
        .par_iter()
        .map(|report| {
            let mut out = String::new();
            for rec in &report.meta.recommendations {
                let rec = view::recommendation(lookup, report, rec, root, ROW_RELATED);
                write_row(&mut out, &rec);
            }
            out
        })
        .collect();
    per_report.concat()
}

/// The newest of `reports` (newest first) whose recommendations number at most `limit` in all,
/// whole documents only, and as many as it takes to show at least one recommendation when any
/// document has one: the newest documents may have none (an annual report).
pub fn newest(reports: &[Report], limit: usize) -> Vec<&Report> {
    let mut shown = 0;
    let mut newest = Vec::new();
    for report in reports {
        let count = report.meta.recommendations.len();
        if shown > 0 && shown + count > limit {
            break;
        }
        shown += count;
        newest.push(report);
    }
    newest
}

fn write_row(out: &mut String, rec: &RecView) {
    let doc = &rec.report;
    let _ = writeln!(
        out,
        "<tr data-themes=\"{}\">\n<td><a href=\"{}\">{}</a><br><span class=\"doc-meta\">{}</span></td>",
        escape(&rec.theme_slugs),
        escape(&doc.href),
        escape(&doc.title),
        escape(&doc.kind)
    );
    let _ = writeln!(
        out,
        "<td data-sort=\"{iso}\"><time datetime=\"{iso}\">{}</time></td>\n<td>{}</td>",
        escape(&doc.date),
        escape(rec.group.as_deref().unwrap_or_default()),
        iso = escape(&doc.date_iso)
    );
    let _ = write!(
        out,
        "<td><a href=\"{}\">{}.</a> {}",
        escape(&rec.page_href),
        escape(&rec.number),
        rec.html
    );
    if let Some(q) = &rec.quoted {
        let _ = write!(
            out,
            " <span class=\"note\">(quoted from {})</span>",
            escape(&q.title)
        );
    }
    out.push_str("</td>\n<td>");
    write_tags(out, &rec.themes);
    out.push_str("</td>\n<td>");
    write_next(out, rec);
    out.push_str("</td>\n</tr>\n");
}

/// What happened next, as `partials/related.html` writes it elsewhere.
fn write_next(out: &mut String, rec: &RecView) {
    if rec.next.is_empty() {
        out.push_str("<span class=\"note\">Nothing found yet</span>");
        return;
    }
    out.push_str("<ul class=\"related\">\n");
    for l in &rec.next {
        write_related(out, l);
    }
    out.push_str("</ul>\n");
    if rec.next_more > 0 {
        let _ = write!(
            out,
            "<a href=\"{}\">{} more on the recommendation’s page</a>",
            escape(&rec.page_href),
            rec.next_more
        );
    }
}

fn write_related(out: &mut String, l: &RelatedView) {
    let _ = write!(
        out,
        "<li>{} <a href=\"{}\">{}</a> ({})",
        escape(l.label),
        escape(&l.href),
        escape(l.title),
        escape(&l.date)
    );
    if let Some(part) = &l.part {
        let _ = write!(out, ", {}", escape(part));
    }
    out.push_str("</li>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report dated `date` with `recommendations` recommendations.
    fn report(date: &str, recommendations: usize) -> Report {
        let mut page = format!(
            "---\nslug: {date}-report\ntitle: Report of {date}\nkind: ofsted-inspection-report\n\
             authority: Testshire County Council\ndate: {date}\nsource:\n  file: a.txt\n  \
             sha256: ab\nrecommendations:\n"
        );
        for i in 1..=recommendations {
            page += &format!("- id: r-{i}\n  kind: inspection\n  text: Do thing {i}.\n");
        }
        page += "---\n\n## Summary {#summary}\n\n{: #p-1}\nA finding.\n";
        crate::load::load_report(&page, std::path::Path::new("a.md")).expect("a valid page")
    }

    /// Reports with these numbers of recommendations, one a year from 2024 back.
    fn archive(recommendations: &[usize]) -> Vec<Report> {
        recommendations
            .iter()
            .enumerate()
            .map(|(i, &n)| report(&format!("{}-01-01", 2024 - i), n))
            .collect()
    }

    fn dates<'a>(reports: &[&'a Report]) -> Vec<&'a str> {
        reports.iter().map(|r| r.meta.date.as_str()).collect()
    }

    #[test]
    fn newest_takes_whole_documents_up_to_the_limit() {
        let reports = archive(&[2, 3, 1]);
        assert_eq!(dates(&newest(&reports, 5)), ["2024-01-01", "2023-01-01"]);
        assert_eq!(dates(&newest(&reports, 4)), ["2024-01-01"]);
        // The newest document is shown whole even when it alone has more than the limit.
        assert_eq!(dates(&newest(&reports, 1)), ["2024-01-01"]);
    }

    #[test]
    fn newest_documents_without_recommendations_do_not_leave_the_tracker_empty() {
        let reports = archive(&[0, 6, 1]);
        assert_eq!(dates(&newest(&reports, 4)), ["2024-01-01", "2023-01-01"]);
    }
}
