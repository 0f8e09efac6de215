//! Writing the output folder atomically: everything goes to a staging folder beside it, which
//! replaces the old output only once the whole build succeeded.

use std::path::{Path, PathBuf};

use crate::error::Diagnostic;

/// A staging folder that becomes the output folder on `commit`, and is removed if dropped.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging, Diagnostic> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = target.parent().unwrap_or(Path::new("."));
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Write `text` at `rel` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, rel: &str, text: &str) -> Result<(), Diagnostic> {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| io(&path, e))
    }

    /// Swap the staging folder in for the output folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        if self.target.exists() {
            std::fs::rename(&self.target, &old).map_err(|e| io(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(io(&self.target, e));
        }
        self.committed = true;
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
        }
        Ok(())
    }
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
