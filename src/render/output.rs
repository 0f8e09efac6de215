//! Writing the output folder so that a failed build never leaves it half written.
//!
//! A first build writes everything to a staging folder beside the output and swaps it in at the
//! end. A rebuild over an earlier output stages only the files whose bytes changed and, once the
//! whole build succeeded, moves them into place and removes files no longer produced: creating
//! and deleting tens of thousands of unchanged files costs more than rendering them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashSet as HashSet;

use crate::error::Diagnostic;

/// A staging folder whose files reach the output folder on `commit`; removed if dropped.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// Whether `target` holds an earlier build to update in place.
    updating: bool,
    /// Every path this build produced, and those of them that differ from the earlier build.
    produced: Mutex<Produced>,
    /// Files whose earlier version is kept as a spare when the new one replaces it (`spare`).
    spared: Mutex<BTreeSet<String>>,
    /// Folders inside the staging folder this build has made. The staging folder is new and
    /// only this build writes in it, so a folder made once need not be asked for again: asking
    /// (`create_dir_all`, a `mkdir` that fails and a `stat`) for every file's folder was a third
    /// of the `mkdir` calls at 1,000 reports, each locking its parent folder.
    made: Mutex<HashSet<String>>,
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
            spared: Mutex::new(BTreeSet::new()),
            made: Mutex::new(HashSet::default()),
            committed: false,
        })
    }

    /// The staging path of `rel`, its folder made first.
    fn make_parent(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let path = self.dir.join(rel);
        let Some((folder, _)) = rel.rsplit_once('/') else {
            return Ok(path);
        };
        let known = self
            .made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder);
        if !known {
            let parent = self.dir.join(folder);
            std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            // Its enclosing folders exist now too.
            let mut at = folder;
            while made.insert(at.to_string()) {
                match at.rsplit_once('/') {
                    Some((up, _)) => at = up,
                    None => break,
                }
            }
        }
        Ok(path)
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
            let path = self.make_parent(rel)?;
            std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
        }
        self.note(rel, unchanged);
        Ok(())
    }

    /// Stage the file at `rel` as `fill` writes it, for files too large to hold in memory whole.
    /// The caller has found it changed (see `splice`): comparing it with the earlier build's
    /// byte by byte would cost more than moving it in.
    pub fn write_streamed<E: std::fmt::Display>(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), E>,
    ) -> Result<(), Diagnostic> {
        let path = self.make_parent(rel)?;
        let file = std::fs::File::create(&path).map_err(|e| io(&path, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let named = self.target.join(rel);
        fill(&mut out).map_err(|e| Diagnostic::new(&named, 0, format!("cannot write: {e}")))?;
        std::io::Write::flush(&mut out).map_err(|e| io(&path, e))?;
        self.note(rel, false);
        Ok(())
    }

    /// The earlier build's file at `rel`, when this build updates one.
    pub fn earlier(&self, rel: &str) -> Option<PathBuf> {
        self.updating.then(|| self.target.join(rel))
    }

    /// Where the spare of the file at `rel` lies: a version before the earlier build's, for
    /// `splice` to patch into this build's rather than copy the whole file afresh.
    pub fn spare(&self, rel: &str) -> PathBuf {
        spare_path(&self.target, rel)
    }

    /// Stage the file at `from` (the spare of `rel`, patched) as this build's `rel`.
    pub fn adopt(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let path = self.make_parent(rel)?;
        std::fs::rename(from, &path).map_err(|e| io(&path, e))?;
        self.note(rel, false);
        Ok(())
    }

    /// When the file at `rel` is replaced, keep the earlier build's as its spare.
    pub fn keep_spare(&self, rel: &str) {
        self.spared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
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

    /// Make the output folder what this build produced, and list its files for the next build.
    pub fn commit(mut self) -> Result<Written, Diagnostic> {
        let produced =
            std::mem::take(&mut *self.produced.lock().unwrap_or_else(|e| e.into_inner()));
        let listed = beside(&self.target, "findings-files");
        let written = if self.updating {
            let earlier = take_file_list(&listed);
            self.update_in_place(&produced, earlier)?
        } else {
            self.swap()?;
            Written {
                changed: produced.all.len(),
                ..Written::default()
            }
        };
        save_file_list(&listed, &produced.all);
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

    /// Move the changed files into the earlier output and remove what is no longer produced:
    /// the `earlier` build's files when it listed them, else whatever the folder holds.
    fn update_in_place(
        &self,
        produced: &Produced,
        earlier: Option<Vec<String>>,
    ) -> Result<Written, Diagnostic> {
        let spared = std::mem::take(&mut *self.spared.lock().unwrap_or_else(|e| e.into_inner()));
        for rel in &produced.changed {
            let to = self.target.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            if spared.contains(rel) {
                // A second name for the earlier file, not a copy; without it the next build
                // just copies as before.
                let spare = self.spare(rel);
                let _ = std::fs::remove_file(&spare);
                if let Some(parent) = spare.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                let _ = std::fs::hard_link(&to, &spare);
            }
            // A file missing after a crash is made again by the next build.
            move_over(&self.dir.join(rel), &to).map_err(|e| io(&to, e))?;
        }
        let removed = match earlier {
            Some(files) => remove_unproduced(&self.target, &files, &produced.all)?,
            None => remove_stale(&self.target, &produced.all)?,
        };
        std::fs::remove_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
        Ok(Written {
            changed: produced.changed.len(),
            unchanged: produced.all.len() - produced.changed.len(),
            kept: produced.kept,
            removed,
        })
    }
}

/// Where the spare of the output file `rel` lies (see `Staging::spare`).
pub fn spare_path(output: &Path, rel: &str) -> PathBuf {
    beside(output, "findings-spare").join(rel)
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

/// Move the file `from` to `to`, replacing any file there. ext4 writes a file renamed over
/// another to disk at once (so a crash leaves no empty file): hundreds of such writes took most
/// of a rebuild's commit, and the search cache's tens of megabytes a tenth of a rebuild.
/// Removing the old file first avoids it, at the cost of no file at `to` if the machine stops
/// between the two steps; callers make sure that only means more work next time.
pub fn move_over(from: &Path, to: &Path) -> std::io::Result<()> {
    let _ = std::fs::remove_file(to);
    std::fs::rename(from, to)
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

/// The files the earlier build listed, if it did; the list is removed first so that a commit
/// that fails halfway leaves none, and the next build looks at the folder itself.
fn take_file_list(listed: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(listed).ok()?;
    std::fs::remove_file(listed).ok()?;
    // Only plain relative paths: a damaged list must not reach outside the output folder.
    let inside = |rel: &str| {
        Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    Some(
        text.lines()
            .filter(|l| inside(l))
            .map(String::from)
            .collect(),
    )
}

/// List the output's files for the next build; without the list it looks at the folder itself.
fn save_file_list(listed: &Path, files: &HashSet<String>) {
    let mut files: Vec<&str> = files.iter().map(String::as_str).collect();
    files.sort_unstable();
    let mut text = files.join("\n");
    text.push('\n');
    if std::fs::write(listed, text).is_err() {
        let _ = std::fs::remove_file(listed);
    }
}

/// Delete the `earlier` build's files below `dir` that are not in `keep`, and the folders they
/// leave empty: walking tens of thousands of kept files to find them costs more.
fn remove_unproduced(
    dir: &Path,
    earlier: &[String],
    keep: &HashSet<String>,
) -> Result<usize, Diagnostic> {
    let mut removed = 0;
    for rel in earlier.iter().filter(|rel| !keep.contains(*rel)) {
        let path = dir.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&path, e)),
        }
        let mut folder = path.parent();
        while let Some(f) = folder.filter(|f| *f != dir) {
            if std::fs::remove_dir(f).is_err() {
                break;
            }
            folder = f.parent();
        }
    }
    Ok(removed)
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
    use std::io::Write;

    #[test]
    fn each_staging_folder_is_made_once_with_its_enclosing_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&tmp.path().join("public"), false).unwrap();
        staging.write("r/a/x/index.html", "one").unwrap();
        let made = |f: &str| staging.made.lock().unwrap().contains(f);
        assert!(made("r/a/x") && made("r/a") && made("r"));
        // A file in a folder made before, or in one above it, is written without asking again.
        staging.write("r/a/index.html", "two").unwrap();
        staging.write_bytes("r/b/y/index.html", b"three").unwrap();
        staging
            .write_streamed("r/b/big.json", |out| out.write_all(b"four"))
            .unwrap();
        assert!(made("r/b/y") && made("r/b"));
        assert_eq!(staging.made.lock().unwrap().len(), 5);
        for (rel, text) in [
            ("r/a/x/index.html", "one"),
            ("r/a/index.html", "two"),
            ("r/b/y/index.html", "three"),
            ("r/b/big.json", "four"),
        ] {
            assert_eq!(
                std::fs::read_to_string(staging.dir.join(rel)).unwrap(),
                text
            );
        }
        // A top-level file needs no folder.
        staging.write("robots.txt", "five").unwrap();
        assert_eq!(staging.made.lock().unwrap().len(), 5);
    }

    fn staged(target: &Path, updating: bool, files: &[&str]) -> Written {
        let staging = Staging::new(target, updating).unwrap();
        staging.write("index.html", "home").unwrap();
        for rel in files {
            staging
                .write_streamed(rel, |out| out.write_all(rel.as_bytes()))
                .unwrap();
        }
        staging.commit().unwrap()
    }

    #[test]
    fn a_rebuild_removes_what_it_no_longer_produces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let listed = beside(&target, "findings-files");
        staged(&target, false, &["a/b/one.json", "two.json"]);
        let same = staged(&target, true, &["a/b/one.json", "two.json"]);
        assert_eq!((same.changed, same.unchanged, same.removed), (2, 1, 0));
        let fewer = staged(&target, true, &["two.json"]);
        assert_eq!(fewer.removed, 1);
        assert!(!target.join("a").exists(), "emptied folders go too");
        assert_eq!(
            std::fs::read_to_string(&listed).unwrap(),
            "index.html\ntwo.json\n"
        );

        std::fs::remove_file(&listed).unwrap();
        std::fs::write(target.join("stray.txt"), "left by hand").unwrap();
        let unlisted = staged(&target, true, &["two.json"]);
        assert_eq!(
            unlisted.removed, 1,
            "without a list the folder is looked at"
        );
        assert!(!target.join("stray.txt").exists() && target.join("two.json").is_file());
    }

    #[test]
    fn a_damaged_file_list_stays_inside_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        staged(&target, false, &[]);
        std::fs::write(dir.path().join("outside.txt"), "not ours").unwrap();
        let listed = beside(&target, "findings-files");
        std::fs::write(&listed, "../outside.txt\n/etc/hostname\n").unwrap();
        staged(&target, true, &[]);
        assert!(dir.path().join("outside.txt").is_file());
    }
}
