//! Text chunks: `search/docs/<n>.js` holds the text of units `n*per_chunk ..`, for snippets and
//! phrase checks. Units stay in document order, so a query's best results, which tend to come
//! from the same few documents, tend to share chunks.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::Unit;
use crate::model::Report;

/// About this many bytes of text per chunk: large enough that an archive of a thousand reports
/// writes a couple of thousand files rather than tens of thousands (creating files is the
/// costliest part of a build), small enough that a first query stays far below Pagefind's bytes.
const CHUNK_BYTES: usize = 48 * 1024;

/// Units per chunk: as many as fill `CHUNK_BYTES` on average.
pub fn units_per_chunk(units: &[Unit]) -> usize {
    let bytes: usize = units.iter().map(unit_bytes).sum();
    let mean = bytes.div_ceil(units.len().max(1)).max(1);
    (CHUNK_BYTES / mean).max(1)
}

/// A unit's size in a chunk, roughly: its text, heading and anchor and the JSON around them.
fn unit_bytes(unit: &Unit) -> usize {
    unit.text.len() + unit.heading.len() + unit.anchor.len() + 16
}

/// One chunk: the reports its units come from (slug, title, date, kind), then its units
/// (report, anchor, heading, text).
#[derive(Serialize)]
struct Chunk<'a> {
    r: BTreeMap<String, (&'a str, &'a str, &'a str, &'a str)>,
    u: Vec<(usize, &'a str, &'a str, &'a str)>,
}

pub fn write(
    units: &[Unit],
    reports: &[Report],
    per_chunk: usize,
    sink: super::Sink,
) -> Result<usize, crate::error::Diagnostic> {
    units
        .par_chunks(per_chunk)
        .enumerate()
        .try_for_each(|(n, chunk)| {
            let data = Chunk {
                r: chunk
                    .iter()
                    .map(|u| {
                        let m = &reports[u.report].meta;
                        let info = (&*m.slug, &*m.title, &*m.date, m.kind.label());
                        (u.report.to_string(), info)
                    })
                    .collect(),
                u: chunk
                    .iter()
                    .map(|u| (u.report, u.anchor, &*u.heading, &*u.text))
                    .collect(),
            };
            let name = format!("docs/{n}");
            sink(&format!("search/{name}.js"), &super::script(&name, &data))
        })?;
    Ok(units.len().div_ceil(per_chunk))
}
