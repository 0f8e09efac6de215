//! Bad input to `findings build`: each problem is reported with its file and line and what to
//! do, the exit code says it failed, and the previous site is left exactly as it was.

mod common;

use std::path::Path;

use common::{findings, fixture, snapshot_tree, stderr};

const PAGE: &str = "content/reports/2015-03-testshire-ofsted-inspection.md";

/// Build the fixture once, break it with `edit`, build again: returns the failing run's stderr
/// after checking that `public/` did not change.
fn broken_build(edit: impl FnOnce(&Path)) -> String {
    let site = fixture("site-basic");
    let ok = findings(site.path(), &["build"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before = snapshot_tree(&site.path().join("public"));
    edit(site.path());
    let out = findings(site.path(), &["build"]);
    assert!(!out.status.success(), "a broken site must fail to build");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(before, snapshot_tree(&site.path().join("public")), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The caches a successful build leaves beside the output are kept on purpose (pages,
        // stages, open data parts, files written, open data spares); staging folders are not.
        .filter(|n| {
            n.starts_with(".public")
                && ![
                    ".findings-cache",
                    ".findings-stages",
                    ".findings-parts",
                    ".findings-files",
                    ".findings-spare",
                ]
                .iter()
                .any(|cache| n.ends_with(cache))
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "half-written output left: {leftovers:?}"
    );
    err
}

fn edit_page(root: &Path, from: &str, to: &str) {
    let path = root.join(PAGE);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture changed: {from:?} not in page");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The 1-based line of `needle` in the fixture page.
fn line_of(root: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(root.join(PAGE)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn yaml_that_does_not_parse_names_file_and_line() {
    let mut expected = 0;
    let err = broken_build(|root| {
        edit_page(
            root,
            "framework: Single inspection framework",
            "framework: [unclosed",
        );
        expected = line_of(root, "framework: [unclosed");
    });
    assert!(err.contains(PAGE), "{err}");
    let lines: Vec<usize> = err
        .split(&format!("{PAGE}:"))
        .skip(1)
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect();
    assert!(
        lines.iter().any(|l| l.abs_diff(expected) <= 1),
        "error should point near line {expected}: {err}"
    );
}

#[test]
fn two_pages_with_the_same_slug_are_both_named() {
    let err = broken_build(|root| {
        let src = root.join(PAGE);
        std::fs::copy(&src, root.join("content/reports/copy-of-inspection.md")).unwrap();
    });
    assert!(err.contains("copy-of-inspection.md"), "{err}");
    assert!(err.contains("2015-03-testshire-ofsted-inspection"), "{err}");
    assert!(err.contains("slug"), "{err}");
}

#[test]
fn link_to_a_missing_document_names_the_line() {
    let mut expected = 0;
    let err = broken_build(|root| {
        edit_page(
            root,
            "links:\n",
            "links:\n  - to: 2099-01-nowhere-report\n    relation: raised-again\n",
        );
        expected = line_of(root, "2099-01-nowhere-report");
    });
    assert!(
        err.contains(&format!("{PAGE}:{expected}")),
        "expected {PAGE}:{expected} in {err}"
    );
    assert!(err.contains("2099-01-nowhere-report"), "{err}");
}

#[test]
fn link_to_a_missing_recommendation_is_refused() {
    let err = broken_build(|root| {
        edit_page(
            root,
            "links:\n",
            "links:\n  - to: 2018-02-testshire-ofsted-focused-visit#r-99\n    relation: raised-again\n",
        );
    });
    assert!(err.contains("#r-99"), "{err}");
}

#[test]
fn unknown_theme_suggests_the_near_one() {
    let err = broken_build(|root| edit_page(root, "themes: [peps]", "themes: [pepz]"));
    assert!(err.contains("pepz"), "{err}");
    assert!(err.contains("did you mean \"peps\""), "{err}");
}

/// Every problem is reported in one run: a page's unknown theme tag does not hide that the same
/// page's slug is taken by another page.
#[test]
fn an_unknown_theme_and_a_repeated_slug_are_reported_together() {
    let err = broken_build(|root| {
        edit_page(root, "{: #p-2 themes=\"cse\"}", "{: #p-2 themes=\"csx\"}");
        edit_page(
            root,
            "slug: 2015-03-testshire-ofsted-inspection",
            "slug: 2018-02-testshire-ofsted-focused-visit",
        );
    });
    let line = |needle: &str| err.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(line("unknown theme \"csx\""), 1, "{err}");
    assert!(err.contains("did you mean \"cse\""), "{err}");
    assert_eq!(line("is also used by"), 1, "{err}");
}
