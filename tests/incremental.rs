//! Incremental rebuilds on a synthetic archive: after one report changes, a rebuild remakes only
//! the pages that show it and gives exactly what a fresh build gives.

mod common;

use std::path::Path;

fn corpus(reports: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_findings"))
        .arg("--root")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args([
            "-q",
            "dev",
            "corpus",
            "--reports",
            &reports.to_string(),
            "--seed",
            "7",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", common::stderr(&made));
    dir
}

/// The number before `label` in the build summary
/// "(N files written, M unchanged of which K not remade, R removed)".
fn count(stderr: &str, label: &str) -> usize {
    let at = stderr.find(label).expect(stderr);
    let start = stderr[..at].rfind(['(', ' ']).expect(stderr) + 1;
    stderr[start..at].parse().expect(stderr)
}

fn files_written(stderr: &str) -> usize {
    count(stderr, " files written")
}

fn build(site: &Path, args: &[&str]) -> String {
    let out = common::findings(site, &[&["build"], args].concat());
    assert!(out.status.success(), "{}", common::stderr(&out));
    common::stderr(&out)
}

#[test]
fn one_changed_report_remakes_its_pages_and_matches_a_fresh_build() {
    let dir = corpus(40);
    let site = dir.path().join("site");
    let total = files_written(&build(&site, &[]));
    assert_eq!(files_written(&build(&site, &[])), 0, "nothing changed");

    let mut pages: Vec<_> = std::fs::read_dir(site.join("content/reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let changed = &pages[pages.len() / 2];
    let mut text = std::fs::read_to_string(changed).unwrap();
    text.push_str("\nA sentence added to see the rebuild remake this page.\n");
    std::fs::write(changed, text).unwrap();

    let again = build(&site, &[]);
    assert!(files_written(&again) < total, "{again}");
    let html_pages = walkdir::WalkDir::new(site.join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(
        count(&again, " not remade") * 5 > html_pages * 4,
        "at least four in five of {html_pages} pages kept without rendering: {again}"
    );
    let fresh = dir.path().join("fresh");
    build(&site, &["-o", fresh.to_str().unwrap()]);
    assert!(
        common::snapshot_tree(&site.join("public")) == common::snapshot_tree(&fresh),
        "the rebuilt site equals a fresh build"
    );
}

#[test]
fn a_changed_template_remakes_every_page() {
    let dir = corpus(8);
    let site = dir.path().join("site");
    build(&site, &[]);
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let report = include_str!("../templates/report.html").replace(
        "<p class=\"kicker\">",
        "<p class=\"kicker\" data-changed=\"yes\">",
    );
    std::fs::write(templates.join("report.html"), report).unwrap();
    build(&site, &[]);
    let fresh = dir.path().join("fresh");
    build(&site, &["-o", fresh.to_str().unwrap()]);
    assert!(common::snapshot_tree(&site.join("public")) == common::snapshot_tree(&fresh));
}
