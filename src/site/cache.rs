//! Stage caches: what load, link and search worked out last time, kept beside the output folder
//! (`.public.findings-stages/<stage>`) so a rebuild redoes only the work whose inputs changed.
//!
//! Each entry is keyed by a fingerprint of everything it was computed from (a report's bytes and
//! path, the settings and themes), never by a name alone, and carries a checksum of its bytes. A
//! missing, truncated, corrupt or other program's cache reads as empty: the work is simply done
//! again. New caches are written to temporary files as each stage finishes (so they are not held
//! in memory through rendering) and moved into place only when the whole build succeeded.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Marks the file format; a change in layout makes old files read as empty.
const MAGIC: &[u8; 16] = b"findings-stage-1";

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

/// A stage's entries for the next cache: key and bytes (borrowed from the previous cache when
/// reused as they were).
pub type Entries<'a> = Vec<(u64, std::borrow::Cow<'a, [u8]>)>;

/// Guards each entry against damage; speed matters more than strength here.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    bytes.hash(&mut h);
    h.finish()
}

/// One stage's entries from the previous build.
#[derive(Default)]
pub struct Previous {
    bytes: Stored,
    entries: HashMap<u64, Range<usize>>,
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
        // SAFETY: a cache file is replaced only by renaming a new file over it, never changed in
        // place, so the mapped bytes stay as they were while this build reads them. (Another
        // program truncating it meanwhile is not guarded against, as with any mapped file.)
        match unsafe { memmap2::Mmap::map(&opened) } {
            Ok(map) => Some(Stored::Mapped(map)),
            Err(_) => std::fs::read(file).ok().map(Stored::Read),
        }
    }
}

impl Previous {
    /// The entries in `file` written by this `program`; none when it is missing or unreadable.
    pub fn open(file: &Path, program: u64) -> Previous {
        let Some(bytes) = Stored::open(file) else {
            return Previous::default();
        };
        match index(&bytes, program) {
            Some(entries) => Previous { bytes, entries },
            None => Previous::default(),
        }
    }

    /// The bytes stored under `key`, if they are there and undamaged.
    pub fn get(&self, key: u64) -> Option<&[u8]> {
        let range = self.entries.get(&key)?;
        let sum = self
            .bytes
            .get(range.start.checked_sub(16)?..range.start - 8)?;
        let bytes = &self.bytes[range.clone()];
        (u64::from_le_bytes(sum.try_into().ok()?) == checksum(bytes)).then_some(bytes)
    }
}

/// Where each entry's bytes lie: after the header, each entry is its key, its checksum and its
/// length (little-endian `u64`s), then its bytes. `None` for a damaged or foreign file.
fn index(bytes: &[u8], program: u64) -> Option<HashMap<u64, Range<usize>>> {
    let header = [&MAGIC[..], &program.to_le_bytes()].concat();
    let mut rest = bytes.strip_prefix(header.as_slice())?;
    let mut at = header.len();
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let number = |i: usize| -> Option<u64> {
            Some(u64::from_le_bytes(
                rest.get(i * 8..i * 8 + 8)?.try_into().ok()?,
            ))
        };
        let (key, len) = (number(0)?, usize::try_from(number(2)?).ok()?);
        let start = at + 24;
        let end = start.checked_add(len)?;
        if end > bytes.len() {
            return None;
        }
        entries.insert(key, start..end);
        rest = &bytes[end..];
        at = end;
    }
    Some(entries)
}

/// A stage's new cache, written to a temporary file as the stage hands over its entries.
pub struct Next {
    temporary: PathBuf,
    file: PathBuf,
    out: Option<std::io::BufWriter<std::fs::File>>,
}

impl Next {
    /// Start the new cache that is to replace `file`.
    pub fn create(file: &Path, program: u64) -> Next {
        let temporary = file.with_extension("new");
        let out = file
            .parent()
            .and_then(|dir| std::fs::create_dir_all(dir).ok())
            .and_then(|()| std::fs::File::create(&temporary).ok())
            .map(|f| std::io::BufWriter::with_capacity(1 << 20, f));
        let mut next = Next {
            temporary,
            file: file.to_path_buf(),
            out,
        };
        next.write(&[MAGIC, &program.to_le_bytes()[..]].concat());
        next
    }

    /// Add a stage's entries.
    pub fn put_all(&mut self, entries: &Entries) {
        for (key, bytes) in entries {
            self.put(*key, bytes);
        }
    }

    /// Add an entry.
    pub fn put(&mut self, key: u64, bytes: &[u8]) {
        let head = [key, checksum(bytes), bytes.len() as u64];
        let head: Vec<u8> = head.iter().flat_map(|n| n.to_le_bytes()).collect();
        self.write(&head);
        self.write(bytes);
    }

    /// Once a write fails the new cache is abandoned; the build goes on without it.
    fn write(&mut self, bytes: &[u8]) {
        if let Some(out) = &mut self.out
            && out.write_all(bytes).is_err()
        {
            self.out = None;
        }
    }

    /// Move the new cache into place (after the build succeeded); a cache that could not be
    /// written entirely removes the old one, so the next build is a full one.
    pub fn commit(mut self) {
        let written = self.out.take().is_some_and(|mut out| out.flush().is_ok());
        // After a crash mid-move the cache is just missing, and the next build is a full one.
        let moved =
            written && crate::render::output::move_over(&self.temporary, &self.file).is_ok();
        if !moved {
            let _ = std::fs::remove_file(&self.file);
        }
    }
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
    let mut next = Next::create(&file, 1);
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
        let mut next = Next::create(&file, 7);
        next.put(1, b"one");
        next.put(2, b"two");
        next.commit();
        assert!(!file.with_extension("new").exists());
        let old = Previous::open(&file, 7);
        assert_eq!(old.get(1), Some(&b"one"[..]));
        assert_eq!(old.get(3), None);
        assert_eq!(Previous::open(&file, 8).get(1), None, "another program");

        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        let damaged = Previous::open(&file, 7);
        assert_eq!(damaged.get(1), Some(&b"one"[..]));
        assert_eq!(damaged.get(2), None, "checksum catches a changed byte");
        std::fs::write(&file, &bytes[..bytes.len() - 2]).unwrap();
        assert_eq!(Previous::open(&file, 7).get(1), None, "truncated");
    }

    #[test]
    fn an_uncommitted_cache_leaves_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage");
        let mut next = Next::create(&file, 7);
        next.put(1, b"one");
        next.commit();
        let mut failed = Next::create(&file, 7);
        failed.put(1, b"changed");
        drop(failed);
        assert_eq!(Previous::open(&file, 7).get(1), Some(&b"one"[..]));
        assert!(!file.with_extension("new").exists());
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
