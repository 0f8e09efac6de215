//! Large files made of one part per document (`findings.json`, `recommendations.csv`), remade by
//! copying the parts whose inputs did not change out of the previous build's file: turning every
//! paragraph of the archive into JSON again costs more than all the rest of a rebuild.
//!
//! Each part has a key, a fingerprint of everything it is made from. The previous build's
//! `Layout` says where each key's bytes lie in its file; it is trusted only while that file has
//! the size and modification time the layout recorded.

use rustc_hash::FxHashMap as HashMap;
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
        if let Some(spare) = cache.spare_layout(rel) {
            cache.record_spare(rel, spare.clone());
        }
    } else {
        let old = intact.and_then(|(layout, path)| Earlier::open(path, layout));
        let patched = match (&old, cache.spare_layout(rel)) {
            (Some(old), Some(spare)) => patch_spare(staging, rel, frame, keys, old, spare, &make)?,
            _ => None,
        };
        let placed = match patched {
            Some(placed) => placed,
            None => {
                let mut placed = Vec::new();
                staging.write_streamed(rel, |out| {
                    placed = write(out, frame, keys, old.as_ref(), &make)?;
                    Ok::<_, E>(())
                })?;
                placed
            }
        };
        cache.record_layout(rel, placed);
        // The file this one replaces becomes the next build's spare.
        if let Some((layout, _)) = intact {
            staging.keep_spare(rel);
            cache.record_spare(rel, layout.clone());
        }
    }
    cache.record(rel, fingerprint);
    Ok(())
}

/// Make this build's file at `rel` out of its spare (an earlier version, laid out as `spare`
/// says) and stage it: the parts at its start that the new file holds at the same places are
/// left as they are, and the rest is written over them as `write` would, copying from `old`.
/// Writing into a file's pages costs far less than filling new ones: the spare spares a large
/// file's copy (76 MB of `findings.json` at 1,000 reports) in each rebuild. `None` when the
/// spare is not the file its layout describes.
fn patch_spare<E>(
    staging: &Staging,
    rel: &str,
    frame: &Frame,
    keys: &[u64],
    old: &Earlier,
    spare: &Layout,
    make: &(impl Fn(usize) -> Result<Vec<u8>, E> + Sync),
) -> Result<Option<Vec<Placed>>, Diagnostic>
where
    E: From<std::io::Error> + std::fmt::Display + Send,
{
    let path = staging.spare(rel);
    if Stamp::of(&path) != Some(spare.stamp) || !only_name(&path) {
        return Ok(None);
    }
    let failed = |e: &dyn std::fmt::Display| {
        Diagnostic::new(
            &path,
            0,
            format!(
                "cannot write the new {rel} over this earlier copy of it: {e}; deleting the copy \
                 makes the next build write the file afresh"
            ),
        )
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| failed(&e))?;
    // The run of leading parts the spare already holds where the new file holds them.
    let mut at = frame.head.len() as u64;
    let mut same = 0;
    for (i, (part, key)) in spare.parts.iter().zip(keys).enumerate() {
        let start = at + if i > 0 { frame.between.len() as u64 } else { 0 };
        if part.key != *key || part.start != start {
            break;
        }
        at = start + part.len;
        same += 1;
    }
    // One build writes one frame throughout a file, so its head and a separator tell whether
    // the spare was written with this one.
    let held = |at: u64, bytes: &[u8]| holds(&file, at, bytes).unwrap_or(false);
    let framed = held(0, frame.head)
        && spare
            .parts
            .get(1)
            .filter(|_| same > 1)
            .is_none_or(|second| {
                second
                    .start
                    .checked_sub(frame.between.len() as u64)
                    .is_some_and(|at| held(at, frame.between))
            });
    if !framed {
        return Ok(None);
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.seek(SeekFrom::Start(at)).map_err(|e| failed(&e))?;
    let rest =
        write_from(&mut out, frame, keys, same, at, Some(old), make).map_err(|e| failed(&e))?;
    let end = out.stream_position().map_err(|e| failed(&e))?;
    let file = out.into_inner().map_err(|e| failed(&e))?;
    file.set_len(end).map_err(|e| failed(&e))?;
    drop(file);
    staging.adopt(rel, &path)?;
    let mut placed = spare.parts[..same].to_vec();
    placed.extend(rest);
    Ok(Some(placed))
}

/// Whether the file at `path` has no other name: a spare that is also the output's file (a
/// commit stopped half way) or another copy's (a site copied with hard links) is never written.
#[cfg(unix)]
fn only_name(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).is_ok_and(|m| m.nlink() == 1)
}

#[cfg(not(unix))]
fn only_name(_: &Path) -> bool {
    false
}

/// The previous build's file and where its parts lie in it.
pub struct Earlier {
    file: std::fs::File,
    parts: HashMap<u64, (u64, u64)>,
}

impl Earlier {
    pub fn open(path: &Path, layout: &Layout) -> Option<Earlier> {
        let file = std::fs::File::open(path).ok()?;
        let parts = layout
            .parts
            .iter()
            .map(|p| (p.key, (p.start, p.len)))
            .collect();
        Some(Earlier { file, parts })
    }

    fn has(&self, key: u64) -> bool {
        self.parts.contains_key(&key)
    }

    /// Where the part with `key` lies in the file.
    fn range(&self, key: u64) -> std::io::Result<(u64, u64)> {
        self.parts
            .get(&key)
            .copied()
            .ok_or_else(|| std::io::Error::other("a part to reuse is missing"))
    }
}

/// Whether `file` holds exactly `bytes` at `at` (not when it ends before).
fn holds(file: &std::fs::File, at: u64, bytes: &[u8]) -> std::io::Result<bool> {
    let mut found = vec![0; bytes.len()];
    match read_at(file, at, &mut found) {
        Ok(()) => Ok(found == bytes),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Where a spliced file is written: it takes made parts as bytes and reused ones as ranges of
/// the previous build's file.
pub trait Sink: Write {
    /// Append `len` bytes of `file` from `start`.
    fn copy_range(&mut self, file: &std::fs::File, start: u64, len: u64) -> std::io::Result<()>;
}

impl Sink for Vec<u8> {
    fn copy_range(&mut self, file: &std::fs::File, start: u64, len: u64) -> std::io::Result<()> {
        let from = self.len();
        self.resize(
            from + usize::try_from(len).map_err(std::io::Error::other)?,
            0,
        );
        read_at(file, start, &mut self[from..])
    }
}

fn read_at(mut file: &std::fs::File, at: u64, buf: &mut [u8]) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(buf)
}

impl Sink for std::io::BufWriter<std::fs::File> {
    /// Between two files `io::copy` lets the kernel move the bytes (`copy_file_range`), so a
    /// large file's unchanged parts never pass through this program's memory.
    fn copy_range(&mut self, file: &std::fs::File, start: u64, len: u64) -> std::io::Result<()> {
        let mut from = file;
        from.seek(SeekFrom::Start(start))?;
        let copied = std::io::copy(&mut from.take(len), self)?;
        if copied == len {
            Ok(())
        } else {
            Err(std::io::Error::other("the earlier file ended early"))
        }
    }
}

/// A run of the previous build's file still to be copied, as (start, end): consecutive reused
/// parts are copied as one range, with the separators between them.
type Pending = Option<(u64, u64)>;

fn flush(
    out: &mut impl Sink,
    earlier: Option<&Earlier>,
    pending: &mut Pending,
) -> std::io::Result<()> {
    if let (Some((start, end)), Some(old)) = (pending.take(), earlier) {
        out.copy_range(&old.file, start, end - start)?;
    }
    Ok(())
}

/// Write `frame` around the parts with `keys` to `out`, copying from `earlier` the parts it has
/// and making the others with `make`; says where each part went.
pub fn write<E: From<std::io::Error> + Send>(
    out: &mut impl Sink,
    frame: &Frame,
    keys: &[u64],
    earlier: Option<&Earlier>,
    make: &(impl Fn(usize) -> Result<Vec<u8>, E> + Sync),
) -> Result<Vec<Placed>, E> {
    out.write_all(frame.head)?;
    write_from(out, frame, keys, 0, frame.head.len() as u64, earlier, make)
}

/// `write` from the part `keys[from]` on, to `out` at the file's position `at` (which holds
/// everything before it), and then the tail; says where each of these parts went.
fn write_from<E: From<std::io::Error> + Send>(
    out: &mut impl Sink,
    frame: &Frame,
    keys: &[u64],
    from: usize,
    mut at: u64,
    earlier: Option<&Earlier>,
    make: &(impl Fn(usize) -> Result<Vec<u8>, E> + Sync),
) -> Result<Vec<Placed>, E> {
    let mut placed = Vec::with_capacity(keys.len().saturating_sub(from));
    let mut pending: Pending = None;
    for (b, batch) in keys[from.min(keys.len())..].chunks(BATCH).enumerate() {
        let first = from + b * BATCH;
        let reused = |key: &u64| earlier.is_some_and(|e| e.has(*key));
        let made: Vec<Option<Vec<u8>>> = (first..first + batch.len())
            .into_par_iter()
            .map(|i| (!reused(&keys[i])).then(|| make(i)).transpose())
            .collect::<Result<_, E>>()?;
        for (i, (key, bytes)) in batch.iter().zip(made).enumerate() {
            let between: &[u8] = if first + i > 0 { frame.between } else { b"" };
            at += between.len() as u64;
            let len = match (bytes, earlier) {
                (Some(bytes), _) => {
                    flush(out, earlier, &mut pending)?;
                    out.write_all(between)?;
                    out.write_all(&bytes)?;
                    bytes.len() as u64
                }
                (None, Some(old)) => {
                    let (start, len) = old.range(*key)?;
                    match pending {
                        Some((run, end))
                            if end + between.len() as u64 == start
                                && holds(&old.file, end, between)? =>
                        {
                            pending = Some((run, start + len));
                        }
                        _ => {
                            flush(out, earlier, &mut pending)?;
                            out.write_all(between)?;
                            pending = Some((start, start + len));
                        }
                    }
                    len
                }
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
    flush(out, earlier, &mut pending)?;
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
    let mut layouts = HashMap::default();
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
        written_in(&FRAME, texts, earlier)
    }

    fn written_in(
        frame: &Frame,
        texts: &[&str],
        earlier: Option<(&Path, &Layout)>,
    ) -> (Vec<u8>, Vec<Placed>, usize) {
        let keys: Vec<u64> = texts.iter().map(key).collect();
        let made = AtomicUsize::new(0);
        let make = |i: usize| {
            made.fetch_add(1, Ordering::Relaxed);
            Ok::<_, std::io::Error>(texts[i].as_bytes().to_vec())
        };
        let old = earlier.and_then(|(path, layout)| Earlier::open(path, layout));
        let mut out = Vec::new();
        let placed = write(&mut out, frame, &keys, old.as_ref(), &make).unwrap();
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

    /// The earlier file and its layout, as `write` made them from `texts`.
    fn earlier_file(dir: &Path, frame: &Frame, texts: &[&str]) -> (std::path::PathBuf, Layout) {
        let (bytes, parts, _) = written_in(frame, texts, None);
        let path = dir.join("earlier");
        std::fs::write(&path, &bytes).unwrap();
        let stamp = Stamp::of(&path).unwrap();
        (path, Layout { parts, stamp })
    }

    #[test]
    fn a_file_sink_copies_runs_from_the_earlier_file_exactly() {
        let texts: Vec<String> = (0..200).map(|i| format!("part {i}")).collect();
        let first: Vec<&str> = texts.iter().map(String::as_str).collect();
        let dir = tempfile::tempdir().unwrap();
        let (path, layout) = earlier_file(dir.path(), &FRAME, &first);
        let mut second = first.clone();
        second[0] = "a changed first part";
        second.swap(100, 150);
        let keys: Vec<u64> = second.iter().map(key).collect();
        let make = |i: usize| Ok::<_, std::io::Error>(second[i].as_bytes().to_vec());
        let old = Earlier::open(&path, &layout).unwrap();
        let out_path = dir.path().join("out");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).unwrap());
        let placed = write(&mut out, &FRAME, &keys, Some(&old), &make).unwrap();
        out.flush().unwrap();
        drop(out);
        let (fresh, fresh_placed, _) = written(&second, None);
        assert_eq!(std::fs::read(&out_path).unwrap(), fresh);
        assert_eq!(placed, fresh_placed);
    }

    #[test]
    fn parts_are_not_run_together_across_a_separator_that_changed() {
        let texts: Vec<String> = (0..10).map(|i| format!("part {i}")).collect();
        let parts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let dir = tempfile::tempdir().unwrap();
        let old_frame = Frame {
            head: b"[",
            between: b";\n",
            tail: b"]",
        };
        let (path, layout) = earlier_file(dir.path(), &old_frame, &parts);
        let (spliced, _, made) = written(&parts, Some((&path, &layout)));
        assert_eq!(made, 0);
        assert_eq!(spliced, written(&parts, None).0);
    }

    /// A spare written with the same frame is patched into the new file; one written with
    /// another frame is left alone, however its parts lie.
    #[test]
    fn a_spare_is_patched_only_when_written_with_the_same_frame() {
        let texts: Vec<String> = (0..120).map(|i| format!("part {i}")).collect();
        let first: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut second = first.clone();
        second[60] = "part sixty, changed";
        let mut third = second.clone();
        third[90] = "part ninety, changed";
        third.push("a new last part");
        let keys: Vec<u64> = third.iter().map(key).collect();
        let make = |i: usize| Ok::<_, std::io::Error>(third[i].as_bytes().to_vec());
        for (spare_frame, patched) in [
            (&FRAME, true),
            (
                &Frame {
                    between: b";\n",
                    ..FRAME
                },
                false,
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let staging = Staging::new(&dir.path().join("public"), true).unwrap();
            let (earlier, earlier_layout) = earlier_file(dir.path(), &FRAME, &second);
            let old = Earlier::open(&earlier, &earlier_layout).unwrap();
            let (bytes, parts, _) = written_in(spare_frame, &first, None);
            let spare = staging.spare("file");
            std::fs::create_dir_all(spare.parent().unwrap()).unwrap();
            std::fs::write(&spare, &bytes).unwrap();
            let layout = Layout {
                parts,
                stamp: Stamp::of(&spare).unwrap(),
            };
            let placed =
                patch_spare(&staging, "file", &FRAME, &keys, &old, &layout, &make).unwrap();
            assert_eq!(placed.is_some(), patched);
            if let Some(placed) = placed {
                let (fresh, fresh_placed, _) = written(&third, None);
                assert_eq!(placed, fresh_placed);
                let staged = dir
                    .path()
                    .join(format!(".public.building-{}/file", std::process::id()));
                assert_eq!(std::fs::read(staged).unwrap(), fresh);
                assert!(!spare.exists(), "the patched spare is moved into staging");
            } else {
                assert_eq!(std::fs::read(&spare).unwrap(), bytes, "left as it was");
            }
        }
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
