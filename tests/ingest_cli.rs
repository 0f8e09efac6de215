//! `findings ingest` end to end: pages written, re-runs change nothing, people's edits are kept,
//! bad seeds are reported by name while the others are still ingested.

mod common;

use common::{findings, fixture, report_pages, snapshot_tree, stderr};

#[test]
fn ingest_writes_one_page_per_seed_and_rerun_changes_no_byte() {
    let site = fixture("ingest-basic");
    let out = findings(site.path(), &["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pages = report_pages(site.path());
    assert_eq!(pages.len(), 1, "{pages:?}");
    let before = snapshot_tree(&site.path().join("content"));

    let again = findings(site.path(), &["ingest"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("0 written"), "{}", stderr(&again));
    assert_eq!(before, snapshot_tree(&site.path().join("content")));
}

#[test]
fn edited_page_is_kept_then_backed_up_with_force() {
    let site = fixture("ingest-basic");
    assert!(findings(site.path(), &["ingest"]).status.success());
    let page = report_pages(site.path()).remove(0);
    let original = std::fs::read_to_string(&page).unwrap();
    let edited = format!("{original}\nA note added by a member of staff.\n");
    std::fs::write(&page, &edited).unwrap();

    let out = findings(site.path(), &["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("edited by a person"), "{err}");
    assert!(err.contains(&page.file_name().unwrap().to_string_lossy().into_owned()));
    assert_eq!(std::fs::read_to_string(&page).unwrap(), edited);

    let forced = findings(site.path(), &["ingest", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(std::fs::read_to_string(&page).unwrap(), original);
    let mut backup = page.clone().into_os_string();
    backup.push(".bak");
    assert_eq!(std::fs::read_to_string(backup).unwrap(), edited);
}

#[test]
fn slug_is_kept_when_a_sidecar_later_corrects_the_date() {
    let site = fixture("ingest-basic");
    assert!(findings(site.path(), &["ingest"]).status.success());
    let first = report_pages(site.path());
    std::fs::write(
        site.path().join("seeds/letter.yaml"),
        "date: 2018-03-01\nsource_url: https://example.org/letter.pdf\n",
    )
    .unwrap();
    let out = findings(site.path(), &["ingest"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(report_pages(site.path()), first);
    let text = std::fs::read_to_string(&first[0]).unwrap();
    assert!(text.contains("date: 2018-03-01"), "{text}");
    assert!(
        text.contains("url: https://example.org/letter.pdf"),
        "{text}"
    );
}

#[test]
fn bad_seeds_are_named_and_the_rest_still_ingested() {
    let site = fixture("ingest-basic");
    let seeds = site.path().join("seeds");
    std::fs::write(seeds.join("empty.txt"), "").unwrap();
    std::fs::write(seeds.join("binary.txt"), b"%PDF-1.4\x00\x01\x02binary").unwrap();
    std::fs::write(
        seeds.join("latin.txt"),
        b"Dear Mr Walker\n\nThe council\x92s services for children are good.\n",
    )
    .unwrap();
    let out = findings(site.path(), &["ingest"]);
    assert!(!out.status.success(), "a failed seed must fail the run");
    let err = stderr(&out);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");
    assert!(
        err.contains("binary.txt") && err.contains("binary"),
        "{err}"
    );
    assert!(
        err.contains("latin.txt") && err.contains("Windows-1252"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // The good seed and the Windows-1252 one are still ingested.
    assert_eq!(report_pages(site.path()).len(), 2, "{err}");
}

#[test]
fn very_large_seed_is_refused_by_name() {
    let site = fixture("ingest-basic");
    let big = "Children are seen and heard. ".repeat(50 * 1024 * 1024 / 29 + 1);
    std::fs::write(site.path().join("seeds/huge.txt"), big).unwrap();
    let out = findings(site.path(), &["ingest"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("huge.txt") && err.contains("limit"), "{err}");
    assert_eq!(report_pages(site.path()).len(), 1);
}

#[test]
fn missing_seeds_folder_says_what_to_do() {
    let site = tempfile::tempdir().unwrap();
    let out = findings(site.path(), &["ingest"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("seeds"), "{}", stderr(&out));
}

/// Seeds are ingested in parallel; pages, and the slugs that tell apart documents of the same
/// month, authority and kind, must not depend on which thread finished first.
#[test]
fn pages_are_the_same_on_one_thread_as_on_several() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let site = fixture("ingest-basic");
        let seeds = site.path().join("seeds");
        std::fs::remove_dir_all(&seeds).unwrap();
        std::fs::create_dir(&seeds).unwrap();
        // Every real seed twice, so that each page's slug collides with its copy's.
        for entry in std::fs::read_dir(repo.join("seeds")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "txt") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                std::fs::copy(&path, seeds.join(format!("a-{name}"))).unwrap();
                std::fs::copy(&path, seeds.join(format!("b-{name}"))).unwrap();
            }
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_findings"))
            .env("RAYON_NUM_THREADS", threads)
            .arg("--root")
            .arg(site.path())
            .arg("ingest")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        outputs.push((
            report_pages(site.path()).len(),
            snapshot_tree(&site.path().join("content")),
        ));
    }
    assert!(outputs[0].0 >= 10, "{} pages", outputs[0].0);
    assert_eq!(outputs[0], outputs[1]);
}
