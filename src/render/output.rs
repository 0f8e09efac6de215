//! Writing the output folder so that a failed build never leaves it half written.
//!
//! A first build writes everything to a staging folder beside the output and swaps it in at the
//! end. A rebuild over an earlier output stages only the files whose bytes changed and, once the
//! whole build succeeded, moves them into place and removes files no longer produced: creating
//! and deleting tens of thousands of unchanged files costs more than rendering them.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Diagnostic;

/// A staging folder whose files reach the output folder on `commit`; removed if dropped.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// Whether `target` holds an earlier build to update in place.
    updating: bool,
    /// Every path this build produced, and those of them that differ from the earlier build.
    produced: Mutex<Produced>,
    committed: bool,
}

#[derive(Default)]
struct Produced {
    all: HashSet<String>,
    changed: BTreeSet<String>,
    /// Pages kept without being made again, because their inputs had not changed.
    kept: usize,
}

/// What `commit` did, for the build summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub changed: usize,
    pub unchanged: usize,
    /// Of the unchanged, how many were not even made again.
    pub kept: usize,
    pub removed: usize,
}

impl Staging {
    /// Stage a build of `target`; `updating` when it already holds an earlier build.
    pub fn new(target: &Path, updating: bool) -> Result<Staging, Diagnostic> {
        let dir = beside(target, &format!("building-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            updating,
            produced: Mutex::new(Produced::default()),
            committed: false,
        })
    }

    /// Whether this build updates an earlier one in place.
    pub fn updating(&self) -> bool {
        self.updating
    }

    /// Write `text` at `rel` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, rel: &str, text: &str) -> Result<(), Diagnostic> {
        self.write_bytes(rel, text.as_bytes())
    }

    /// Stage `bytes` at `rel`, unless the earlier build already has exactly these bytes there.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let unchanged = self.updating && same_bytes(&self.target.join(rel), bytes);
        if !unchanged {
            write_file(&self.dir.join(rel), bytes)?;
        }
        self.note(rel, unchanged);
        Ok(())
    }

    /// Stage the file at `rel` as `fill` writes it, for files too large to hold in memory whole.
    /// When updating, a staged file identical to the earlier build's is dropped again.
    pub fn write_streamed<E: std::fmt::Display>(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> Result<(), E>,
    ) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        let file = std::fs::File::create(&path).map_err(|e| io(&path, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let named = self.target.join(rel);
        fill(&mut out).map_err(|e| Diagnostic::new(&named, 0, format!("cannot write: {e}")))?;
        std::io::Write::flush(&mut out).map_err(|e| io(&path, e))?;
        drop(out);
        let unchanged = self.updating && same_files(&self.target.join(rel), &path);
        if unchanged {
            std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
        }
        self.note(rel, unchanged);
        Ok(())
    }

    fn note(&self, rel: &str, unchanged: bool) {
        let mut produced = self.produced.lock().unwrap_or_else(|e| e.into_inner());
        produced.all.insert(rel.to_string());
        // A later write of the same path wins, whichever way it went.
        if unchanged {
            produced.changed.remove(rel);
        } else {
            produced.changed.insert(rel.to_string());
        }
    }

    /// Keep the earlier build's file at `rel` as this build's.
    pub fn keep(&self, rel: &str) {
        let mut produced = self.produced.lock().unwrap_or_else(|e| e.into_inner());
        produced.all.insert(rel.to_string());
        produced.changed.remove(rel);
        produced.kept += 1;
    }

    /// Make the output folder what this build produced.
    pub fn commit(mut self) -> Result<Written, Diagnostic> {
        let produced =
            std::mem::take(&mut *self.produced.lock().unwrap_or_else(|e| e.into_inner()));
        let written = if self.updating {
            self.update_in_place(&produced)?
        } else {
            self.swap()?;
            Written {
                changed: produced.all.len(),
                ..Written::default()
            }
        };
        self.committed = true;
        Ok(written)
    }

    /// Swap the staging folder in for the output folder.
    fn swap(&self) -> Result<(), Diagnostic> {
        let old = beside(&self.target, &format!("old-{}", std::process::id()));
        if self.target.exists() {
            std::fs::rename(&self.target, &old).map_err(|e| io(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(io(&self.target, e));
        }
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
        }
        Ok(())
    }

    /// Move the changed files into the earlier output and remove what is no longer produced.
    fn update_in_place(&self, produced: &Produced) -> Result<Written, Diagnostic> {
        for rel in &produced.changed {
            let to = self.target.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            std::fs::rename(self.dir.join(rel), &to).map_err(|e| io(&to, e))?;
        }
        let removed = remove_stale(&self.target, &produced.all)?;
        std::fs::remove_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
        Ok(Written {
            changed: produced.changed.len(),
            unchanged: produced.all.len() - produced.changed.len(),
            kept: produced.kept,
            removed,
        })
    }
}

/// A hidden file or folder next to the output folder `output` (`public` → `.public.<what>`), for
/// what a build keeps or stages outside the site itself.
pub fn beside(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.{what}"))
}

/// Write `bytes` at `path`, making its folder first.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| io(path, e))
}

/// Whether the file at `path` holds exactly `bytes` (the size is checked before reading).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Whether files `a` and `b` hold the same bytes, read a block at a time.
fn same_files(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    if !ma.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut fa, mut fb) = (std::io::BufReader::new(fa), std::io::BufReader::new(fb));
    let (mut ba, mut bb) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = match fa.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return true;
        }
        if fb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// Delete files below `dir` that are not in `keep`, then folders left empty.
fn remove_stale(dir: &Path, keep: &HashSet<String>) -> Result<usize, Diagnostic> {
    let mut removed = 0;
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(|e| io(dir, e.into()))?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            folders.push(entry.into_path());
        } else if !keep.contains(&rel) {
            std::fs::remove_file(entry.path()).map_err(|e| io(entry.path(), e))?;
            removed += 1;
        }
    }
    // Deepest first, so a folder's emptied subfolders are gone before it is tried.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
    Ok(removed)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn io(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(path, 0, format!("cannot write: {e}"))
}

/// Copy the site's `static/` folder into the output.
pub fn copy_static(dir: &Path, staging: &Staging) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for file in files {
        let rel = file.strip_prefix(dir).unwrap_or(&file);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(&file).map_err(|e| io(&file, e))?;
        staging.write_bytes(&format!("static/{rel}"), &bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(target: &Path, updating: bool, text: &str) -> Written {
        let staging = Staging::new(target, updating).unwrap();
        staging
            .write_streamed("big.json", |out| out.write_all(text.as_bytes()))
            .unwrap();
        staging.write("index.html", "home").unwrap();
        staging.commit().unwrap()
    }

    #[test]
    fn streamed_files_are_compared_with_the_earlier_build() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        staged(&target, false, "one");
        let same = staged(&target, true, "one");
        assert_eq!((same.changed, same.unchanged), (0, 2));
        let other = staged(&target, true, "two");
        assert_eq!((other.changed, other.unchanged), (1, 1));
        assert_eq!(
            std::fs::read_to_string(target.join("big.json")).unwrap(),
            "two"
        );
        let longer = staged(&target, true, "two and more");
        assert_eq!(longer.changed, 1);
    }

    #[test]
    fn same_files_compares_every_block() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let mut text = vec![b'x'; 200_000];
        std::fs::write(&a, &text).unwrap();
        std::fs::write(&b, &text).unwrap();
        assert!(same_files(&a, &b));
        text[150_000] = b'y';
        std::fs::write(&b, &text).unwrap();
        assert!(!same_files(&a, &b));
        assert!(!same_files(&a, &dir.path().join("missing")));
    }
}
