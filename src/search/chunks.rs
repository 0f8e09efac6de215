//! Text chunks: `search/docs/<doc>-<part>.js` holds the text of units `part*PART_UNITS ..` of
//! document `doc`, for snippets and phrase checks. A chunk never spans two documents, so a changed
//! report changes only its own chunks, and a query's best results, which tend to come from the
//! same few documents, tend to share chunks.

use rayon::prelude::*;
use serde::Serialize;

use super::Unit;
use crate::model::Report;

/// Units per chunk: at the seeds' mean of about 310 bytes of text a unit, about 40 KB, small
/// enough that a first query stays far below Pagefind's bytes, large enough that most reports
/// need one or two files (creating files is the costliest part of a build).
pub const PART_UNITS: usize = 128;

/// One chunk: its report (slug, title, date, kind), then its units (anchor, heading, text).
#[derive(Serialize)]
struct Chunk<'a> {
    r: (&'a str, &'a str, &'a str, &'a str),
    u: Vec<(&'a str, &'a str, &'a str)>,
}

/// Write the chunks of `units` (each document's units together, in order); returns how many.
pub fn write(
    units: &[Unit],
    reports: &[Report],
    sink: super::Sink,
) -> Result<usize, crate::error::Diagnostic> {
    let chunks: Vec<&[Unit]> = units
        .chunk_by(|a, b| a.doc == b.doc)
        .flat_map(|doc| doc.chunks(PART_UNITS))
        .collect();
    chunks.par_iter().try_for_each(|chunk| {
        let first = &chunk[0];
        let m = &reports[first.report].meta;
        let data = Chunk {
            r: (&m.slug, &m.title, &m.date, m.kind.label()),
            u: chunk
                .iter()
                .map(|u| (u.anchor, &*u.heading, &*u.text))
                .collect(),
        };
        let name = format!("docs/{}-{}", first.doc, first.index as usize / PART_UNITS);
        sink(&format!("search/{name}.js"), &super::script(&name, &data))
    })?;
    Ok(chunks.len())
}
