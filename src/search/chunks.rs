//! Text chunks: `search/docs/<doc>-<part>.js` holds the text of units `part*PART_UNITS ..` of
//! document `doc`, for the snippets of results shown. A chunk never spans two documents, so a changed
//! report changes only its own chunks, and a query's best results, which tend to come from the
//! same few documents, tend to share chunks.

use std::borrow::Cow;

use rayon::prelude::*;

use super::Unit;
use crate::model::Report;
use crate::site::cache::{self, Entries, Previous, bytes};

/// Units per chunk: at the seeds' mean of about 310 bytes of text a unit, about 40 KB, small
/// enough that a first query stays far below Pagefind's bytes, large enough that most reports
/// need one or two files (creating files is the costliest part of a build).
pub const PART_UNITS: usize = 128;

/// Write the chunks of `units` (each document's units together, in order); returns how many,
/// and for the next build's cache, per document, which report (by key) at which number its
/// chunks hold and how many there are. A document whose entry is in `previous` keeps the
/// earlier build's chunks without making them again, where `sink` can keep them.
pub fn write<'p>(
    units: &[Unit],
    reports: &[Report],
    keys: &[u64],
    previous: &'p Previous,
    sink: super::Sink,
) -> Result<(usize, Entries<'p>), crate::error::Diagnostic> {
    let docs: Vec<&[Unit]> = units.chunk_by(|a, b| a.doc == b.doc).collect();
    let entries: Entries = docs
        .par_iter()
        .map(|doc| {
            let first = &doc[0];
            let report_key = keys.get(first.report).copied().unwrap_or_default();
            let key = cache::key((report_key, first.doc, "search chunks"));
            let mut parts = Vec::new();
            bytes::put_number(&mut parts, doc.len().div_ceil(PART_UNITS) as u64);
            match previous.get(key) {
                Some(earlier) if earlier == parts && keep_all(doc, sink) => {
                    Ok((key, Cow::Borrowed(earlier)))
                }
                _ => {
                    write_document(doc, reports, sink)?;
                    Ok((key, Cow::Owned(parts)))
                }
            }
        })
        .collect::<Result<_, _>>()?;
    let files = docs.iter().map(|d| d.len().div_ceil(PART_UNITS)).sum();
    Ok((files, entries))
}

/// Keep the earlier build's chunks of `doc`, if `sink` can.
fn keep_all(doc: &[Unit], sink: super::Sink) -> bool {
    doc.chunks(PART_UNITS)
        .all(|part| sink.keep(&path(&part[0])))
}

fn path(first: &Unit) -> String {
    format!("search/{}.js", name(first))
}

fn name(first: &Unit) -> String {
    format!("docs/{}-{}", first.doc, first.index as usize / PART_UNITS)
}

fn write_document(
    doc: &[Unit],
    reports: &[Report],
    sink: super::Sink,
) -> Result<(), crate::error::Diagnostic> {
    for part in doc.chunks(PART_UNITS) {
        let first = &part[0];
        let m = &reports[first.report].meta;
        sink.write(&path(first), &chunk_script(m, part))?;
    }
    Ok(())
}

/// One chunk's script; its JSON is `{"r":[slug,title,date,kind],"u":[[anchor,heading,text],…]}`.
fn chunk_script(m: &crate::model::FrontMatter, part: &[Unit]) -> String {
    let text: usize = part
        .iter()
        .map(|u| u.text().len() + u.heading.len() + 32)
        .sum();
    super::script_with(&name(&part[0]), text + 256, |out| {
        out.push_str("{\"r\":");
        crate::json::push_strs(out, [&*m.slug, &m.title, &m.date, m.kind.label()]);
        out.push_str(",\"u\":[");
        for (i, u) in part.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            crate::json::push_strs(out, [u.anchor, &*u.heading, u.text()]);
        }
        out.push_str("]}");
    })
}
