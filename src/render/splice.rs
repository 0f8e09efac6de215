//! Large files made of one part per document (`findings.json`, `recommendations.csv`), remade by
//! copying the parts whose inputs did not change out of the previous build's file: turning every
//! paragraph of the archive into JSON again costs more than all the rest of a rebuild.
//!
//! Each part has a key, a fingerprint of everything it is made from. The previous build's
//! `Layout` says where each key's bytes lie in its file; it is trusted only while that file has
//! the size and modification time the layout recorded.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use rayon::prelude::*;

use super::incremental::PageCache;
use super::output::Staging;
use crate::error::Diagnostic;

/// Where each part of a written file lies, and the file's stamp.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    pub parts: Vec<Placed>,
    pub stamp: Stamp,
}

/// A part's key and where its bytes lie in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub key: u64,
    pub start: u64,
    pub len: u64,
}

/// A file's size and modification time (in nanoseconds since the epoch).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: u128,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH);
        Some(Stamp {
            len: meta.len(),
            modified: since.ok()?.as_nanos(),
        })
    }
}

/// What a file holds around its parts: before the first, between two, after the last.
#[derive(Hash)]
pub struct Frame<'a> {
    pub head: &'a [u8],
    pub between: &'a [u8],
    pub tail: &'a [u8],
}

/// How many missing parts are made at once: enough to keep every core busy, few enough that a
/// large archive's file is never held in memory.
const BATCH: usize = 64;

/// Stage the file `rel` of `frame` around the parts with `keys`, in order. When the previous
/// build's file has exactly these parts it is kept as it is; otherwise the parts it has are
/// copied from it and only the others are made, by `make(i)` for the part `keys[i]`.
pub fn stage<E>(
    staging: &Staging,
    cache: &PageCache,
    rel: &str,
    frame: &Frame,
    keys: &[u64],
    make: impl Fn(usize) -> Result<Vec<u8>, E> + Sync,
) -> Result<(), Diagnostic>
where
    E: From<std::io::Error> + std::fmt::Display + Send,
{
    let fingerprint = key((frame, keys));
    let layout = cache.layout(rel);
    let earlier = staging.earlier(rel);
    let intact = layout
        .zip(earlier.as_deref())
        .filter(|(layout, path)| Stamp::of(path) == Some(layout.stamp));
    if let Some((layout, _)) = intact
        && cache.unchanged(rel, fingerprint)
    {
        staging.keep(rel);
        cache.record_layout(rel, layout.parts.clone());
    } else {
        let mut old = intact.and_then(|(layout, path)| Earlier::open(path, layout));
        let mut placed = Vec::new();
        staging.write_streamed(rel, |out| {
            placed = write(out, frame, keys, old.as_mut(), &make)?;
            Ok::<_, E>(())
        })?;
        cache.record_layout(rel, placed);
    }
    cache.record(rel, fingerprint);
    Ok(())
}

/// The previous build's file and where its parts lie in it.
pub struct Earlier {
    file: std::fs::File,
    parts: HashMap<u64, (u64, u64)>,
    buffer: Vec<u8>,
}

impl Earlier {
    pub fn open(path: &Path, layout: &Layout) -> Option<Earlier> {
        let file = std::fs::File::open(path).ok()?;
        let parts = layout
            .parts
            .iter()
            .map(|p| (p.key, (p.start, p.len)))
            .collect();
        Some(Earlier {
            file,
            parts,
            buffer: Vec::new(),
        })
    }

    fn has(&self, key: u64) -> bool {
        self.parts.contains_key(&key)
    }

    /// Copy the part with `key` to `out`; says how long it is.
    fn copy(&mut self, key: u64, out: &mut dyn Write) -> std::io::Result<u64> {
        let &(start, len) = self
            .parts
            .get(&key)
            .ok_or_else(|| std::io::Error::other("a part to reuse is missing"))?;
        self.buffer
            .resize(usize::try_from(len).map_err(std::io::Error::other)?, 0);
        self.file.seek(SeekFrom::Start(start))?;
        self.file.read_exact(&mut self.buffer)?;
        out.write_all(&self.buffer)?;
        Ok(len)
    }
}

/// Write `frame` around the parts with `keys` to `out`, copying from `earlier` the parts it has
/// and making the others with `make`; says where each part went.
pub fn write<E: From<std::io::Error> + Send>(
    out: &mut dyn Write,
    frame: &Frame,
    keys: &[u64],
    mut earlier: Option<&mut Earlier>,
    make: &(impl Fn(usize) -> Result<Vec<u8>, E> + Sync),
) -> Result<Vec<Placed>, E> {
    out.write_all(frame.head)?;
    let mut at = frame.head.len() as u64;
    let mut placed = Vec::with_capacity(keys.len());
    for (b, batch) in keys.chunks(BATCH).enumerate() {
        let first = b * BATCH;
        let reused = |key: &u64| earlier.as_ref().is_some_and(|e| e.has(*key));
        let made: Vec<Option<Vec<u8>>> = (first..first + batch.len())
            .into_par_iter()
            .map(|i| (!reused(&keys[i])).then(|| make(i)).transpose())
            .collect::<Result<_, E>>()?;
        for (i, (key, bytes)) in batch.iter().zip(made).enumerate() {
            if first + i > 0 {
                out.write_all(frame.between)?;
                at += frame.between.len() as u64;
            }
            let len = match (bytes, earlier.as_deref_mut()) {
                (Some(bytes), _) => out.write_all(&bytes).map(|()| bytes.len() as u64)?,
                (None, Some(old)) => old.copy(*key, out)?,
                (None, None) => return Err(std::io::Error::other("no part to reuse").into()),
            };
            placed.push(Placed {
                key: *key,
                start: at,
                len,
            });
            at += len;
        }
    }
    out.write_all(frame.tail)?;
    Ok(placed)
}

/// A key for a part made from `parts`.
pub fn key(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// Layouts as text for the cache beside the output: per file a line `<len> <modified> <count>
/// <path>`, then a line `<key> <start> <len>` per part.
pub fn to_text<'a>(layouts: impl IntoIterator<Item = (&'a str, &'a Layout)>) -> String {
    let mut out = String::new();
    for (path, layout) in layouts {
        let Stamp { len, modified } = layout.stamp;
        out.push_str(&format!("{len} {modified} {} {path}\n", layout.parts.len()));
        for p in &layout.parts {
            out.push_str(&format!("{:016x} {} {}\n", p.key, p.start, p.len));
        }
    }
    out
}

/// What `to_text` wrote; `None` when it is damaged.
pub fn parse(text: &str) -> Option<HashMap<String, Layout>> {
    let mut lines = text.lines();
    let mut layouts = HashMap::new();
    while let Some(line) = lines.next() {
        let mut fields = line.splitn(4, ' ');
        let mut number = || fields.next()?.parse::<u128>().ok();
        let (len, modified, count) = (number()?, number()?, number()?);
        let path = fields.next()?;
        let parts = (0..count)
            .map(|_| {
                let mut f = lines.next()?.split(' ');
                let key = u64::from_str_radix(f.next()?, 16).ok()?;
                let (start, len) = (f.next()?.parse().ok()?, f.next()?.parse().ok()?);
                Some(Placed { key, start, len })
            })
            .collect::<Option<Vec<_>>>()?;
        let stamp = Stamp {
            len: u64::try_from(len).ok()?,
            modified,
        };
        layouts.insert(path.to_string(), Layout { parts, stamp });
    }
    Some(layouts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const FRAME: Frame = Frame {
        head: b"[\n",
        between: b",\n",
        tail: b"\n]\n",
    };

    /// The file for `texts` (one part each, keyed by its text) and how many parts were made.
    fn written(texts: &[&str], earlier: Option<(&Path, &Layout)>) -> (Vec<u8>, Vec<Placed>, usize) {
        let keys: Vec<u64> = texts.iter().map(key).collect();
        let made = AtomicUsize::new(0);
        let make = |i: usize| {
            made.fetch_add(1, Ordering::Relaxed);
            Ok::<_, std::io::Error>(texts[i].as_bytes().to_vec())
        };
        let mut old = earlier.and_then(|(path, layout)| Earlier::open(path, layout));
        let mut out = Vec::new();
        let placed = write(&mut out, &FRAME, &keys, old.as_mut(), &make).unwrap();
        (out, placed, made.into_inner())
    }

    #[test]
    fn unchanged_parts_are_copied_and_the_file_equals_a_fresh_one() {
        let texts: Vec<String> = (0..150).map(|i| format!("part {i}")).collect();
        let first: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (bytes, parts, made) = written(&first, None);
        assert_eq!(made, 150);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file");
        std::fs::write(&path, &bytes).unwrap();
        let layout = Layout {
            parts,
            stamp: Stamp::of(&path).unwrap(),
        };

        let mut second = first.clone();
        second[70] = "part seventy, changed";
        second.remove(3);
        second.push("a new last part");
        let (spliced, _, made) = written(&second, Some((&path, &layout)));
        assert_eq!(made, 2, "only the changed and the new part are made");
        assert_eq!(spliced, written(&second, None).0);
        assert!(spliced.starts_with(b"[\npart 0,\npart 1,\npart 2,\npart 4,"));
    }

    #[test]
    fn layouts_round_trip_as_text_and_damage_reads_as_none() {
        let layout = Layout {
            parts: vec![Placed {
                key: u64::MAX,
                start: 2,
                len: 30,
            }],
            stamp: Stamp {
                len: 40,
                modified: 1_700_000_000_123_456_789,
            },
        };
        let text = to_text([("a b/findings.json", &layout)]);
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.get("a b/findings.json"), Some(&layout));
        assert!(parse(&text[..text.len() - 4]).is_none());
        assert_eq!(parse("").map(|l| l.len()), Some(0));
    }
}
