//! Stage caches: what load, link and search worked out last time, kept beside the output folder
//! (`.public.findings-stages/<stage>`) so a rebuild redoes only the work whose inputs changed.
//!
//! Each entry is keyed by a fingerprint of everything it was computed from (a report's bytes and
//! path, the settings and themes), never by a name alone, and carries a checksum of its bytes. A
//! missing, truncated, corrupt or other program's cache reads as empty: the work is simply done
//! again.
//!
//! A cache file is a header and then segments, one a build: the entries that build added, then a
//! commit record listing every key that build used. A rebuild appends only its new entries and
//! its commit record, rather than writing the whole cache again (44 MB of search entries at
//! 1,000 reports, for a change to one). Entries no later build uses are left behind; when they
//! outweigh the used ones the next build writes the file afresh. New entries go to a temporary
//! file as each stage finishes (so they are not held in memory through rendering) and reach the
//! cache only when the whole build succeeded.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Marks the file format; a change in layout makes old files read as empty.
const MAGIC: &[u8; 16] = b"findings-stage-2";

/// The key of a commit record. Entry keys are hashes, so one equal to it is as unlikely as any
/// other collision, and would only make a file read as damaged.
const COMMIT: u64 = u64::MAX;

/// Bytes before each record's own: its key, checksum and length.
const RECORD_HEAD: usize = 24;

/// A file is written afresh once it is larger than this many times the bytes its last build used
/// (plus `SLACK`), which bounds what unused entries cost on disk and in reading the file.
const MOST_GROWTH: u64 = 2;
const SLACK: u64 = 1 << 20;

/// The folder holding the stage caches of the output folder `output`.
pub fn folder(output: &Path) -> PathBuf {
    crate::render::output::beside(output, "findings-stages")
}

/// This program: a new build of it may compute differently even at the same version.
pub fn program() -> u64 {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    if let Ok(exe) = std::env::current_exe() {
        exe.hash(&mut h);
        if let Ok(meta) = std::fs::metadata(&exe) {
            (meta.len(), meta.modified().ok()).hash(&mut h);
        }
    }
    h.finish()
}

/// A fingerprint of `parts`, for cache keys. Keys cover every report's whole text (70 MB at
/// 1,000 reports), which SipHash read at a cost `perf` showed in every rebuild; rustc-hash reads
/// long byte strings several times faster, with well-mixed bits for text not built to collide.
pub fn key(parts: impl Hash) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    parts.hash(&mut h);
    h.finish()
}

/// A stage's entries for the next cache: key and bytes. Bytes borrowed from the stage's
/// `Previous` are already in the file and are not written again.
pub type Entries<'a> = Vec<(u64, std::borrow::Cow<'a, [u8]>)>;

/// Guards each entry against damage; speed matters more than strength here.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    bytes.hash(&mut h);
    h.finish()
}

fn header(program: u64) -> Vec<u8> {
    [&MAGIC[..], &program.to_le_bytes()].concat()
}

/// The little-endian `u64` at `at` in `bytes`, if there is one.
fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        bytes.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// A record: key, checksum and length (little-endian `u64`s), then the bytes.
fn record(key: u64, bytes: &[u8]) -> [u8; RECORD_HEAD] {
    let mut head = [0; RECORD_HEAD];
    for (i, n) in [key, checksum(bytes), bytes.len() as u64]
        .iter()
        .enumerate()
    {
        head[i * 8..i * 8 + 8].copy_from_slice(&n.to_le_bytes());
    }
    head
}

/// One stage's entries from the previous build.
#[derive(Default)]
pub struct Previous {
    bytes: Stored,
    entries: HashMap<u64, Range<usize>>,
    /// Whether a rebuild may append to the file, and what it needs to.
    appendable: Option<Appendable>,
}

/// What a new build needs to append to a previous build's file.
#[derive(Clone)]
struct Appendable {
    file: PathBuf,
    /// The file's length, which must be unchanged when the new build appends to it.
    len: u64,
}

/// A cache file's bytes: mapped where the system allows, else read.
#[derive(Default)]
enum Stored {
    #[default]
    Empty,
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Stored {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Stored::Empty => &[],
            Stored::Read(bytes) => bytes,
            Stored::Mapped(map) => map,
        }
    }
}

impl Stored {
    fn open(file: &Path) -> Option<Stored> {
        let opened = std::fs::File::open(file).ok()?;
        // SAFETY: a cache file is only ever appended to or replaced by renaming a new file over
        // it, never changed or shortened in place, so the mapped bytes stay as they were while
        // this build reads them. (Another program truncating it meanwhile is not guarded
        // against, as with any mapped file.)
        match unsafe { memmap2::Mmap::map(&opened) } {
            Ok(map) => Some(Stored::Mapped(map)),
            Err(_) => std::fs::read(file).ok().map(Stored::Read),
        }
    }
}

impl Previous {
    /// The entries the last build written by this `program` used, from `file`; none when it is
    /// missing, unreadable or from another program.
    pub fn open(file: &Path, program: u64) -> Previous {
        let Some(bytes) = Stored::open(file) else {
            return Previous::default();
        };
        let Some(read) = index(&bytes, program) else {
            return Previous::default();
        };
        // A torn last segment (a build stopped mid-append) or too many unused entries: the next
        // build writes the file afresh.
        let appendable = (read.end == bytes.len()
            && (read.end as u64) <= MOST_GROWTH * read.used + SLACK)
            .then(|| Appendable {
                file: file.to_path_buf(),
                len: read.end as u64,
            });
        Previous {
            bytes,
            entries: read.entries,
            appendable,
        }
    }

    /// Whether an entry is stored under `key` (unchecked: for guesses, not for reading).
    pub fn contains(&self, key: u64) -> bool {
        self.entries.contains_key(&key)
    }

    /// The bytes stored under `key`, if they are there and undamaged.
    pub fn get(&self, key: u64) -> Option<&[u8]> {
        let range = self.entries.get(&key)?;
        let sum = u64_at(&self.bytes, range.start.checked_sub(16)?)?;
        let bytes = &self.bytes[range.clone()];
        (sum == checksum(bytes)).then_some(bytes)
    }
}

/// What a cache file holds, as far as its last commit record.
struct Index {
    /// Where the bytes of each entry the last committed build used lie.
    entries: HashMap<u64, Range<usize>>,
    /// The end of the last commit record.
    end: usize,
    /// Bytes of the records that build used.
    used: u64,
}

/// Read a cache file: `None` for a damaged or foreign one. Records after the last commit record
/// (a build that stopped while appending) are left out.
fn index(bytes: &[u8], program: u64) -> Option<Index> {
    let header = header(program);
    let mut at = header.len();
    if bytes.get(..at)? != header.as_slice() {
        return None;
    }
    // The latest place of each key in committed segments; then in the segment being read.
    let mut latest: HashMap<u64, Range<usize>> = HashMap::new();
    let mut pending: Vec<(u64, Range<usize>)> = Vec::new();
    let mut segment_start = at;
    let mut last: Option<(Vec<u64>, u64)> = None;
    let mut end = at;
    while at < bytes.len() {
        let number = |i: usize| u64_at(bytes, at + i * 8);
        let (Some(key), Some(sum), Some(len)) = (number(0), number(1), number(2)) else {
            break;
        };
        let start = at + RECORD_HEAD;
        let Some(range) = usize::try_from(len)
            .ok()
            .and_then(|len| start.checked_add(len))
            .filter(|&stop| stop <= bytes.len())
            .map(|stop| start..stop)
        else {
            break;
        };
        if key == COMMIT {
            let record = &bytes[range.clone()];
            let Some((segment, used, keys)) = (checksum(record) == sum)
                .then(|| commit_record(record))
                .flatten()
            else {
                break;
            };
            if segment != (at - segment_start) as u64 {
                break;
            }
            latest.extend(pending.drain(..));
            last = Some((keys, used));
            segment_start = range.end;
            end = range.end;
        } else {
            pending.push((key, range.clone()));
        }
        at = range.end;
    }
    let (keys, used) = last?;
    let entries = keys
        .into_iter()
        .filter_map(|k| Some((k, latest.get(&k)?.clone())))
        .collect();
    Some(Index { entries, end, used })
}

/// A commit record's bytes: the length of the segment's records before it, the bytes of the
/// records the build used, and their keys.
fn commit_bytes(segment: u64, used: u64, keys: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 + keys.len() * 8);
    for n in [segment, used, keys.len() as u64]
        .into_iter()
        .chain(keys.iter().copied())
    {
        out.extend_from_slice(&n.to_le_bytes());
    }
    out
}

/// What `commit_bytes` wrote; `None` unless the keys fill the record exactly.
fn commit_record(bytes: &[u8]) -> Option<(u64, u64, Vec<u64>)> {
    let (segment, used, count) = (u64_at(bytes, 0)?, u64_at(bytes, 8)?, u64_at(bytes, 16)?);
    let count = usize::try_from(count).ok()?;
    if Some(bytes.len()) != count.checked_mul(8).and_then(|n| n.checked_add(24)) {
        return None;
    }
    let keys = (0..count)
        .map(|i| u64_at(bytes, 24 + i * 8))
        .collect::<Option<_>>()?;
    Some((segment, used, keys))
}

/// A stage's new cache: its new entries go to a temporary file as the stage hands them over.
pub struct Next {
    temporary: PathBuf,
    file: PathBuf,
    out: Option<std::io::BufWriter<std::fs::File>>,
    /// Set when appending to the previous file: its length then, and the keys it holds.
    append: Option<(Appendable, HashSet<u64>)>,
    /// Every key this build uses, and the bytes of their records.
    keys: Vec<u64>,
    used: u64,
    /// Bytes written to the temporary file after any header.
    segment: u64,
}

impl Next {
    /// Start the new cache that is to replace `file`, appending to it where `previous` (read
    /// from `file`) allows.
    pub fn create(file: &Path, program: u64, previous: &Previous) -> Next {
        let temporary = file.with_extension("new");
        let out = file
            .parent()
            .and_then(|dir| std::fs::create_dir_all(dir).ok())
            .and_then(|()| std::fs::File::create(&temporary).ok())
            .map(|f| std::io::BufWriter::with_capacity(1 << 20, f));
        let append = previous
            .appendable
            .as_ref()
            .filter(|a| a.file == file)
            .map(|a| (a.clone(), previous.entries.keys().copied().collect()));
        let fresh = append.is_none();
        let mut next = Next {
            temporary,
            file: file.to_path_buf(),
            out,
            append,
            keys: Vec::new(),
            used: 0,
            segment: 0,
        };
        if fresh {
            next.write(&header(program));
            next.segment = 0;
        }
        next
    }

    /// Add a stage's entries.
    pub fn put_all(&mut self, entries: &Entries) {
        for (key, bytes) in entries {
            let already = matches!(bytes, std::borrow::Cow::Borrowed(_))
                && self
                    .append
                    .as_ref()
                    .is_some_and(|(_, held)| held.contains(key));
            if already {
                self.keys.push(*key);
                self.used += (RECORD_HEAD + bytes.len()) as u64;
            } else {
                self.put(*key, bytes);
            }
        }
    }

    /// Add an entry.
    pub fn put(&mut self, key: u64, bytes: &[u8]) {
        self.keys.push(key);
        self.used += (RECORD_HEAD + bytes.len()) as u64;
        self.write(&record(key, bytes));
        self.write(bytes);
    }

    /// Once a write fails the new cache is abandoned; the build goes on without it.
    fn write(&mut self, bytes: &[u8]) {
        self.segment += bytes.len() as u64;
        if let Some(out) = &mut self.out
            && out.write_all(bytes).is_err()
        {
            self.out = None;
        }
    }

    /// Put the new entries in place (after the build succeeded); a cache that could not be
    /// written entirely removes the old one, so the next build is a full one.
    pub fn commit(mut self) {
        let commit = commit_bytes(self.segment, self.used, &self.keys);
        let head = record(COMMIT, &commit);
        self.write(&head);
        self.write(&commit);
        let written = self.out.take().is_some_and(|mut out| out.flush().is_ok());
        let done = written
            && match &self.append {
                Some((appendable, _)) => append(&self.temporary, appendable).is_ok(),
                // After a crash mid-move the cache is just missing, and the next build is a
                // full one.
                None => crate::render::output::move_over(&self.temporary, &self.file).is_ok(),
            };
        if !done {
            let _ = std::fs::remove_file(&self.file);
        }
    }
}

/// Append the segment in `temporary` to the file it continues, if that is as it was when read.
/// A crash midway leaves a torn segment, which reads as missing and makes the next build write
/// the file afresh.
fn append(temporary: &Path, onto: &Appendable) -> std::io::Result<()> {
    let segment = std::fs::read(temporary)?;
    let mut file = std::fs::OpenOptions::new().append(true).open(&onto.file)?;
    if file.metadata()?.len() != onto.len {
        return Err(std::io::Error::other("changed since it was read"));
    }
    file.write_all(&segment)
}

impl Drop for Next {
    /// Not committed (the build failed) or committed: either way no temporary file stays.
    fn drop(&mut self) {
        self.out = None;
        let _ = std::fs::remove_file(&self.temporary);
    }
}

/// Little-endian variable-length numbers and strings, for stages' compact entries.
pub mod bytes {
    pub fn put_number(out: &mut Vec<u8>, mut n: u64) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    pub fn put_str(out: &mut Vec<u8>, s: &str) {
        put_number(out, s.len() as u64);
        out.extend_from_slice(s.as_bytes());
    }

    /// Reads what `put_number` and `put_str` wrote; `None` at the end or on damage.
    pub struct Reader<'a>(pub &'a [u8]);

    impl<'a> Reader<'a> {
        pub fn number(&mut self) -> Option<u64> {
            let mut n = 0u64;
            for shift in (0..64).step_by(7) {
                let (&b, rest) = self.0.split_first()?;
                self.0 = rest;
                n |= u64::from(b & 0x7f) << shift;
                if b < 0x80 {
                    return Some(n);
                }
            }
            None
        }

        pub fn str(&mut self) -> Option<&'a str> {
            let len = usize::try_from(self.number()?).ok()?;
            let (s, rest) = (self.0.get(..len)?, self.0.get(len..)?);
            self.0 = rest;
            std::str::from_utf8(s).ok()
        }

        pub fn u32(&mut self) -> Option<u32> {
            u32::try_from(self.number()?).ok()
        }

        pub fn is_empty(&self) -> bool {
            self.0.is_empty()
        }
    }
}

/// `entries` as a previous build's cache (kept in the returned folder), for stages' tests.
#[cfg(test)]
pub fn previous_of(entries: &Entries) -> (tempfile::TempDir, Previous) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("stage");
    let mut next = Next::create(&file, 1, &Previous::default());
    next.put_all(entries);
    next.commit();
    let previous = Previous::open(&file, 1);
    (dir, previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damage_reads_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage");
        let mut next = Next::create(&file, 7, &Previous::default());
        next.put(1, b"one");
        next.put(2, b"two");
        next.commit();
        assert!(!file.with_extension("new").exists());
        let old = Previous::open(&file, 7);
        assert_eq!(old.get(1), Some(&b"one"[..]));
        assert_eq!(old.get(3), None);
        assert_eq!(Previous::open(&file, 8).get(1), None, "another program");

        let mut bytes = std::fs::read(&file).unwrap();
        let two = bytes.windows(3).position(|w| w == b"two").unwrap();
        bytes[two] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        let damaged = Previous::open(&file, 7);
        assert_eq!(damaged.get(1), Some(&b"one"[..]));
        assert_eq!(damaged.get(2), None, "checksum catches a changed byte");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(
            Previous::open(&file, 7).get(1),
            None,
            "a damaged commit record"
        );
        std::fs::write(&file, &bytes[..bytes.len() - 2]).unwrap();
        assert_eq!(Previous::open(&file, 7).get(1), None, "truncated");
    }

    #[test]
    fn an_uncommitted_cache_leaves_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage");
        let mut next = Next::create(&file, 7, &Previous::default());
        next.put(1, b"one");
        next.commit();
        let mut failed = Next::create(&file, 7, &Previous::open(&file, 7));
        failed.put(1, b"changed");
        drop(failed);
        assert_eq!(Previous::open(&file, 7).get(1), Some(&b"one"[..]));
        assert!(!file.with_extension("new").exists());
    }

    /// One build of a stage's cache: `kept` keys reused from the previous build, `new` entries
    /// made afresh.
    fn rebuild(file: &Path, kept: &[u64], new: &[(u64, &[u8])]) {
        let previous = Previous::open(file, 7);
        let mut entries: Entries = kept
            .iter()
            .map(|&k| (k, Cow::Borrowed(previous.get(k).unwrap())))
            .collect();
        entries.extend(new.iter().map(|&(k, b)| (k, Cow::Owned(b.to_vec()))));
        let mut next = Next::create(file, 7, &previous);
        next.put_all(&entries);
        next.commit();
    }

    use std::borrow::Cow;

    #[test]
    fn a_rebuild_appends_only_its_new_entries() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage");
        let big = vec![b'x'; 4000];
        rebuild(&file, &[], &[(1, &big), (2, b"two"), (9, b"state 1")]);
        let first = std::fs::metadata(&file).unwrap().len();
        rebuild(&file, &[1], &[(3, b"three"), (9, b"state 2")]);
        let second = std::fs::metadata(&file).unwrap().len();
        assert!(
            second - first < 200,
            "the 4,000 reused bytes are not written again"
        );
        let read = Previous::open(&file, 7);
        assert_eq!(read.get(1), Some(&big[..]));
        assert_eq!(read.get(3), Some(&b"three"[..]));
        assert_eq!(read.get(9), Some(&b"state 2"[..]), "the latest of a key");
        assert_eq!(read.get(2), None, "an entry the last build did not use");
        rebuild(&file, &[1, 3], &[]);
        assert_eq!(Previous::open(&file, 7).get(9), None);
    }

    #[test]
    fn a_torn_append_reads_as_the_build_before_and_is_written_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage");
        rebuild(&file, &[], &[(1, b"one")]);
        let whole = std::fs::read(&file).unwrap();
        rebuild(&file, &[1], &[(2, b"two")]);
        // A build stopped midway through its append.
        let appended = std::fs::read(&file).unwrap();
        std::fs::write(&file, &appended[..appended.len() - 5]).unwrap();
        let read = Previous::open(&file, 7);
        assert_eq!(read.get(1), Some(&b"one"[..]));
        assert_eq!(read.get(2), None);
        assert!(read.appendable.is_none());
        rebuild(&file, &[1], &[(3, b"three")]);
        let afresh = std::fs::read(&file).unwrap();
        assert!(
            afresh.len() < whole.len() + 60,
            "only what the last build used"
        );
        let read = Previous::open(&file, 7);
        assert_eq!(
            (read.get(1), read.get(3)),
            (Some(&b"one"[..]), Some(&b"three"[..]))
        );
        assert!(read.appendable.is_some());
    }

    #[test]
    fn unused_entries_are_dropped_once_they_outweigh_the_used() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage");
        let big = vec![b'y'; 300_000];
        rebuild(&file, &[], &[(1, &big)]);
        for round in 0..40u64 {
            let mut state = big.clone();
            state[0] = round as u8;
            rebuild(&file, &[], &[(2 + round, &state)]);
            let len = std::fs::metadata(&file).unwrap().len();
            assert!(
                len <= MOST_GROWTH * 300_100 + SLACK + 301_000,
                "{len} bytes"
            );
        }
    }

    #[test]
    fn an_append_to_a_file_changed_meanwhile_drops_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage");
        rebuild(&file, &[], &[(1, b"one")]);
        let previous = Previous::open(&file, 7);
        let mut next = Next::create(&file, 7, &previous);
        next.put(2, b"two");
        // Another build wrote the file in between.
        rebuild(&file, &[1], &[(3, b"three")]);
        next.commit();
        assert_eq!(Previous::open(&file, 7).get(1), None);
    }

    #[test]
    fn numbers_and_strings_round_trip() {
        let mut out = Vec::new();
        for n in [0, 127, 128, u64::MAX] {
            bytes::put_number(&mut out, n);
        }
        bytes::put_str(&mut out, "één");
        let mut r = bytes::Reader(&out);
        let read: Vec<u64> = (0..4).filter_map(|_| r.number()).collect();
        assert_eq!(read, [0, 127, 128, u64::MAX]);
        assert_eq!(r.str(), Some("één"));
        assert!(r.is_empty() && r.number().is_none());
    }
}
