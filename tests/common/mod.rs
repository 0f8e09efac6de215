//! Helpers shared by the integration tests: copy a fixture into a temporary folder and run the
//! real binary on it.

#![allow(dead_code)]

pub mod html;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of `tests/fixtures/<name>` in a fresh temporary folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    copy_dir(&src, dir.path());
    dir
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(src).expect("inside fixture");
        let to = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
}

/// Run `findings --root <root> <args…>`.
pub fn findings(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_findings"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run findings")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file below `dir` with its bytes, sorted by path.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

/// The Markdown pages ingest wrote.
pub fn report_pages(root: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("content/reports"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    pages
}

/// A synthetic archive of `reports` reports (`findings dev corpus`), in `<temp>/site`.
pub fn corpus(reports: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let made = findings(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "-q",
            "dev",
            "corpus",
            "--reports",
            &reports.to_string(),
            "--seed",
            "7",
            "--out",
            &out.to_string_lossy(),
        ],
    );
    assert!(made.status.success(), "{}", stderr(&made));
    dir
}
