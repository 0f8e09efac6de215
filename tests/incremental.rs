//! Incremental rebuilds on a synthetic archive: after one report changes, a rebuild remakes only
//! the pages that show it and gives exactly what a fresh build gives.

mod common;

use std::path::Path;

use common::corpus;

/// The number before `label` in the build summary
/// "(N files written, M unchanged of which K not remade, R removed)".
fn count(stderr: &str, label: &str) -> usize {
    let at = stderr.find(label).expect(stderr);
    let start = stderr[..at].rfind(['(', ' ']).expect(stderr) + 1;
    stderr[start..at].parse().expect(stderr)
}

/// How many HTML pages are below `dir`.
fn html_pages(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count()
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

    change_a_report(
        &site,
        "A sentence added to see the rebuild remake this page.",
    );

    let again = build(&site, &[]);
    assert!(files_written(&again) < total, "{again}");
    let html_pages = html_pages(&site.join("public"));
    assert!(
        count(&again, " not remade") * 5 > html_pages * 4,
        "at least four in five of {html_pages} pages kept without rendering: {again}"
    );
    assert!(
        matches_a_fresh_build(dir.path()),
        "the rebuilt site equals a fresh build"
    );
    assert!(
        site.join(".public.findings-stages/search").is_file(),
        "the stage caches are kept beside the output"
    );
}

#[test]
fn one_changed_report_changes_only_the_search_files_of_its_words_and_text() {
    let dir = corpus(40);
    let site = dir.path().join("site");
    build(&site, &[]);
    let search = site.join("public/search");
    let before: std::collections::BTreeMap<_, _> =
        common::snapshot_tree(&search).into_iter().collect();
    change_a_report(&site, "Zygote quokkas were reviewed.");
    build(&site, &[]);
    let after: std::collections::BTreeMap<_, _> =
        common::snapshot_tree(&search).into_iter().collect();
    let changed: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| p.to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // The changed report's last text chunk, meta.js (the number of units), and the shards of
    // its new words (the paragraph's and its section heading's); never another report's chunk.
    assert!(changed.len() < 20, "{changed:?} of {}", before.len());
    assert!(
        changed.iter().any(|p| p.starts_with("terms/q")),
        "{changed:?}"
    );
    assert!(changed.iter().any(|p| p == "meta.js"), "{changed:?}");
    let chunks: std::collections::BTreeSet<&str> = changed
        .iter()
        .filter_map(|p| p.strip_prefix("docs/"))
        .filter_map(|name| name.split('-').next())
        .collect();
    assert_eq!(chunks.len(), 1, "{changed:?}");
    assert!(
        matches_a_fresh_build(dir.path()),
        "the rebuilt site equals a fresh build"
    );
}

/// Documents linking to a changed one show only its title, date and the names of the parts they
/// link to, so a sentence added to it leaves their pages (and the theme pages listing them) kept
/// without being made again.
#[test]
fn a_changed_text_does_not_remake_the_pages_of_documents_linking_to_it() {
    let dir = corpus(200);
    let site = dir.path().join("site");
    build(&site, &[]);
    change_a_report(&site, "A sentence that no linking document shows.");
    let again = build(&site, &[]);
    let remade_unchanged = count(&again, " unchanged") - count(&again, " not remade");
    assert!(
        remade_unchanged <= 3 * files_written(&again),
        "{remade_unchanged} files made again to no change: {again}"
    );
    assert!(matches_a_fresh_build(dir.path()));
}

/// After a rebuild (whose summary is `again`) of the site in `dir`, with `shards` word shards:
/// fewer than half as many files as there are shards were made only to find them unchanged (a
/// search index made whole makes them all), and the site equals a fresh build.
fn updated_in_place(dir: &Path, again: &str, shards: usize, step: usize) {
    let remade_unchanged = count(again, " unchanged") - count(again, " not remade");
    assert!(
        remade_unchanged * 2 < shards,
        "{remade_unchanged} files made again to no change, of {shards} word shards: {again}"
    );
    assert!(
        matches_a_fresh_build(dir),
        "the rebuilt site equals a fresh build after step {step}"
    );
}

/// The files in `dir`, sorted.
fn sorted_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The files under `search/terms/` of the site's output.
fn word_shards(site: &Path) -> usize {
    sorted_files(&site.join("public/search/terms")).len()
}

#[test]
fn word_shards_no_change_reaches_are_kept_without_being_made_again() {
    let dir = corpus(40);
    let site = dir.path().join("site");
    build(&site, &[]);
    let shards = word_shards(&site);
    assert!(shards > 30, "{shards} shards: too few to tell");
    // A new word, then that word gone again (a word no report uses any more leaves its shard).
    for step in 0..2 {
        if step == 0 {
            // Words of a theme's phrase too, so its phrase list is made again.
            change_a_report(
                &site,
                "Zygote quokkas were reviewed for child sexual exploitation.",
            );
        } else {
            replace_in_reports(&site, "Zygote quokkas were", "Nothing else was");
        }
        let again = build(&site, &[]);
        updated_in_place(dir.path(), &again, shards, step);
    }
    let quokka = sorted_files(&site.join("public/search/terms"))
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .any(|text| text.contains("\"quokkas\""));
    assert!(!quokka, "a word no report uses is gone from the shards");
}

/// Shard names are made from the words' sizes, so a new word can add a shard (a new first
/// letter, or a shard grown past its budget and split) and a word gone can take one away. Only
/// the words under those names move: the rest are still kept without being made again.
#[test]
fn word_shards_that_come_or_go_are_updated_in_place() {
    let dir = corpus(40);
    let site = dir.path().join("site");
    build(&site, &[]);
    let names = |site: &Path| -> Vec<std::ffi::OsString> {
        sorted_files(&site.join("public/search/terms"))
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_owned()))
            .collect()
    };
    let before = names(&site);
    // Words with first letters no report uses, and many words under one prefix, so that its
    // shard splits.
    let many: Vec<String> = (0..1200).map(|i| format!("Quoll{i:04}x")).collect();
    let sentence = format!("Ørsted and Þorsteinn met {}.", many.join(" "));
    for step in 0..2 {
        if step == 0 {
            change_a_report(&site, &sentence);
        } else {
            replace_in_reports(&site, &sentence, "Nobody met.");
        }
        let again = build(&site, &[]);
        let now = names(&site);
        if step == 0 {
            assert!(
                now.iter().any(|n| !before.contains(n)) && before.iter().any(|n| !now.contains(n)),
                "shards came and went: {now:?}"
            );
        } else {
            assert_eq!(now, before, "the shards are as they were");
        }
        updated_in_place(dir.path(), &again, now.len(), step);
    }
}

#[test]
fn a_missing_or_foreign_word_shard_makes_the_index_whole_again() {
    let dir = corpus(24);
    let site = dir.path().join("site");
    build(&site, &[]);
    let files = sorted_files(&site.join("public/search/terms"));
    // Every shard read or kept must be the earlier build's own.
    std::fs::remove_file(&files[0]).unwrap();
    change_a_report(&site, "A sentence added after a shard was deleted.");
    build(&site, &[]);
    assert!(matches_a_fresh_build(dir.path()));
    for file in &files {
        std::fs::write(file, "not a shard").unwrap();
    }
    change_a_report(&site, "A sentence added after the shards were spoiled.");
    build(&site, &[]);
    assert!(matches_a_fresh_build(dir.path()));
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

/// Add a sentence to the report in the middle of the corpus's reports.
fn change_a_report(site: &Path, sentence: &str) {
    let pages = sorted_files(&site.join("content/reports"));
    append(&pages[pages.len() / 2], sentence);
}

/// Replace `from` with `to` in every report that has it.
fn replace_in_reports(site: &Path, from: &str, to: &str) {
    for entry in std::fs::read_dir(site.join("content/reports")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains(from) {
            std::fs::write(&path, text.replace(from, to)).unwrap();
        }
    }
}

fn matches_a_fresh_build(dir: &Path) -> bool {
    let fresh = dir.join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    build(&dir.join("site"), &["-o", fresh.to_str().unwrap()]);
    common::snapshot_tree(&dir.join("site/public")) == common::snapshot_tree(&fresh)
}

/// `findings.json` and `recommendations.csv` copy unchanged documents' parts from the earlier
/// file; a file changed by hand since is not trusted, and a removed document's files go.
#[test]
fn open_data_and_removed_documents_match_a_fresh_build() {
    let dir = corpus(30);
    let site = dir.path().join("site");
    build(&site, &[]);
    let kept = count(&build(&site, &[]), " not remade");
    change_a_report(&site, "A sentence for findings.json to show.");
    build(&site, &[]);
    assert!(matches_a_fresh_build(dir.path()), "spliced open data");

    let json = site.join("public/findings.json");
    let text = std::fs::read_to_string(&json).unwrap();
    std::fs::write(&json, text.replacen("\"slug\"", "\"SLUG\"", 1)).unwrap();
    change_a_report(&site, "A second sentence, after findings.json was edited.");
    build(&site, &[]);
    assert!(
        matches_a_fresh_build(dir.path()),
        "an edited file is made again"
    );
    assert_eq!(count(&build(&site, &[]), " not remade"), kept);

    let pages = sorted_files(&site.join("content/reports"));
    std::fs::remove_file(&pages[0]).unwrap();
    let removed = build(&site, &[]);
    assert!(count(&removed, " removed") > 0, "{removed}");
    assert!(matches_a_fresh_build(dir.path()), "a removed document");
}

/// A new report, the newest, is a document added at the end of the search index: the index is
/// updated in place, and again when the report is taken away.
#[test]
fn a_new_newest_report_updates_the_search_index_in_place() {
    let dir = corpus(40);
    let site = dir.path().join("site");
    build(&site, &[]);
    let shards = word_shards(&site);
    // Dated after every report of the corpus, so it is the newest; short, so that only a few
    // shards hold its words.
    let newest = "---\nslug: 2099-01-newest-report\ntitle: A short new report\n\
        kind: council-committee-report\nauthority: Testshire County Council\ndate: 2099-01-15\n\
        source:\n  file: newest.txt\n  sha256: ab\n---\n\n## Summary {#summary}\n\n\
        {: #p-1}\nThe panel reviewed quokka welfare plans.\n";
    let added = site.join("content/reports/2099-01-newest-report.md");
    for step in 0..2 {
        if step == 0 {
            std::fs::write(&added, newest).unwrap();
        } else {
            std::fs::remove_file(&added).unwrap();
        }
        let again = build(&site, &[]);
        updated_in_place(dir.path(), &again, shards, step);
    }
}

/// The lists of documents, authorities and the tracker are kept while what they show is the same,
/// and made again when a document's title changes.
#[test]
fn a_changed_title_reaches_every_list_that_shows_it() {
    let dir = corpus(12);
    let site = dir.path().join("site");
    build(&site, &[]);
    let page = std::fs::read_dir(site.join("content/reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("\ntitle: ", "\ntitle: Renamed ", 1)).unwrap();
    let rebuilt = build(&site, &[]);
    assert!(files_written(&rebuilt) > 0, "{rebuilt}");
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(
        home.contains("Renamed "),
        "the home page shows the new title"
    );
    assert!(matches_a_fresh_build(dir.path()));
}

/// The tracker shows only the newest documents' recommendations. A change to another document
/// leaves it as it was; a change to a recommendation it shows reaches it.
#[test]
fn the_tracker_follows_the_recommendations_it_shows() {
    let dir = corpus(12);
    let site = dir.path().join("site");
    let settings = site.join("site.toml");
    let toml = std::fs::read_to_string(&settings).unwrap() + "tracker_rows = 4\n";
    std::fs::write(&settings, toml).unwrap();
    build(&site, &[]);
    let tracker = site.join("public/recommendations/index.html");
    let before = std::fs::read_to_string(&tracker).unwrap();
    let shows = |page: &Path| {
        let text = std::fs::read_to_string(page).unwrap();
        let slug = text
            .split("\nslug: ")
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap();
        before.contains(&format!("reports/{slug}/"))
    };
    let pages = sorted_files(&site.join("content/reports"));
    let (shown, hidden): (Vec<&std::path::PathBuf>, Vec<&std::path::PathBuf>) =
        pages.iter().partition(|p| shows(p));
    assert!(!shown.is_empty() && !hidden.is_empty(), "{before}");

    append(
        hidden[0],
        "A sentence in a document the tracker does not show.",
    );
    build(&site, &[]);
    assert_eq!(std::fs::read_to_string(&tracker).unwrap(), before);
    assert!(matches_a_fresh_build(dir.path()));

    let with_recommendations = shown
        .iter()
        .find(|p| std::fs::read_to_string(p).unwrap().contains("\n  text: "))
        .expect("a shown document has recommendations");
    let text = std::fs::read_to_string(with_recommendations).unwrap();
    std::fs::write(
        with_recommendations,
        text.replacen("\n  text: ", "\n  text: Quokkas first. ", 1),
    )
    .unwrap();
    build(&site, &[]);
    assert!(
        std::fs::read_to_string(&tracker)
            .unwrap()
            .contains("Quokkas first."),
        "the tracker shows the changed recommendation"
    );
    assert!(matches_a_fresh_build(dir.path()));
}

#[test]
fn damaged_stage_caches_are_ignored() {
    let dir = corpus(24);
    let site = dir.path().join("site");
    build(&site, &[]);
    let stages = site.join(".public.findings-stages");
    let search = stages.join("search");
    let mut bytes = std::fs::read(&search).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&search, &bytes).unwrap();
    std::fs::write(stages.join("link"), b"not a cache").unwrap();
    change_a_report(&site, "A sentence added after the caches were damaged.");
    build(&site, &[]);
    assert!(matches_a_fresh_build(dir.path()));

    let link = std::fs::read(stages.join("link")).unwrap();
    std::fs::write(stages.join("link"), &link[..link.len() - 3]).unwrap();
    change_a_report(&site, "A second sentence, with the link cache cut short.");
    build(&site, &[]);
    assert!(matches_a_fresh_build(dir.path()));
}

#[test]
fn a_failed_build_leaves_the_stage_caches_as_they_were() {
    let dir = corpus(8);
    let site = dir.path().join("site");
    build(&site, &[]);
    let stages = site.join(".public.findings-stages");
    let before = common::snapshot_tree(&stages);
    assert_eq!(before.len(), 3, "load, link and search caches");
    let public = common::snapshot_tree(&site.join("public"));
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("report.html"), "{% if %}").unwrap();
    // One changed report: the search index is updated while the pages are made beside it, and
    // the pages fail.
    change_a_report(&site, "A sentence added before a broken template.");
    let failed = common::findings(&site, &["build"]);
    assert!(!failed.status.success());
    assert!(common::snapshot_tree(&stages) == before);
    assert!(common::snapshot_tree(&site.join("public")) == public);
    let beside: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect();
    assert!(
        beside.iter().all(|n| !n.contains("building")),
        "no staging folder left: {beside:?}"
    );
}

#[test]
fn a_rebuild_appends_to_the_search_cache_rather_than_writing_it_again() {
    let dir = corpus(30);
    let site = dir.path().join("site");
    build(&site, &[]);
    let search = site.join(".public.findings-stages/search");
    let whole = std::fs::read(&search).unwrap();
    change_a_report(&site, "A sentence added to see the cache appended to.");
    build(&site, &[]);
    let after = std::fs::read(&search).unwrap();
    assert_eq!(
        &after[..whole.len()],
        &whole[..],
        "the earlier bytes are as they were"
    );
    assert!(
        after.len() - whole.len() < whole.len() / 4,
        "{} bytes added to {}",
        after.len() - whole.len(),
        whole.len()
    );
    assert!(matches_a_fresh_build(dir.path()));
    change_a_report(
        &site,
        "A second sentence, read back from the appended cache.",
    );
    build(&site, &[]);
    assert!(matches_a_fresh_build(dir.path()));
}

/// A report's key covers its bytes and path, the settings and the themes.
#[test]
fn cache_keys_follow_settings_and_themes() {
    let dir = corpus(4);
    let site = dir.path().join("site");
    let keys = || {
        let config = findings::config::Config::load(&site, None).unwrap();
        findings::load::load_with_keys(&config).unwrap().1
    };
    let first = keys();
    assert_eq!(keys(), first);
    let toml = site.join("site.toml");
    let settings = std::fs::read_to_string(&toml).unwrap_or_default();
    std::fs::write(&toml, format!("{settings}\ntheme_page_size = 7\n")).unwrap();
    let with_settings = keys();
    assert!(with_settings.iter().all(|k| !first.contains(k)));
    let theme = std::fs::read_dir(site.join("themes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "yaml"))
        .unwrap();
    let text = std::fs::read_to_string(&theme).unwrap();
    std::fs::write(&theme, text.replacen("title: ", "title: Changed ", 1)).unwrap();
    assert!(keys().iter().all(|k| !with_settings.contains(k)));
}

/// Naming the same site folder another way (a full path, then `.` from inside it) is the same
/// build: the rebuild keeps every page rather than making the whole site again.
#[test]
fn the_same_site_named_another_way_reuses_the_earlier_build() {
    let dir = corpus(6);
    let site = dir.path().join("site");
    build(&site, &[]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_findings"))
        .current_dir(&site)
        .args(["--root", ".", "build"])
        .output()
        .expect("run findings");
    let again = common::stderr(&out);
    assert!(out.status.success(), "{again}");
    assert_eq!(files_written(&again), 0, "{again}");
    let html_pages = html_pages(&site.join("public"));
    assert!(
        count(&again, " not remade") >= html_pages,
        "every one of {html_pages} pages kept: {again}"
    );
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .ino()
}

fn append(page: &Path, sentence: &str) {
    let text = std::fs::read_to_string(page).unwrap() + "\n" + sentence + "\n";
    std::fs::write(page, text).unwrap();
}

/// From the second rebuild on, `findings.json` is made by patching the version before the
/// earlier build's (kept beside the output as a spare) instead of being copied afresh. Changes
/// at its start, middle and end, and a spare changed by hand, all give a fresh build's files.
#[cfg(unix)]
#[test]
fn open_data_is_patched_from_its_spare_and_matches_a_fresh_build() {
    let dir = corpus(30);
    let site = dir.path().join("site");
    build(&site, &[]);
    let json = site.join("public/findings.json");
    let spare = site.join(".public.findings-spare/findings.json");
    let pages = sorted_files(&site.join("content/reports"));
    let mut inodes = vec![inode(&json)];
    for (round, page) in [pages.len() / 2, 0, pages.len() - 1, pages.len() / 3]
        .into_iter()
        .enumerate()
    {
        append(&pages[page], &format!("A sentence added in round {round}."));
        build(&site, &[]);
        assert!(matches_a_fresh_build(dir.path()), "round {round}");
        inodes.push(inode(&json));
        assert_eq!(
            inode(&spare),
            inodes[round],
            "round {round}: the file replaced is kept"
        );
        if round > 0 {
            assert_eq!(
                inodes[round + 1],
                inodes[round - 1],
                "round {round}: the spare was patched into the new file"
            );
        }
    }

    // A spare written to by hand is left alone, and the file is made afresh.
    let text = std::fs::read_to_string(&spare).unwrap();
    std::fs::write(&spare, text.replacen("\"slug\"", "\"SLUG\"", 1)).unwrap();
    let edited = inode(&spare);
    append(&pages[1], "A sentence added after the spare was edited.");
    build(&site, &[]);
    assert!(
        matches_a_fresh_build(dir.path()),
        "after the spare was edited"
    );
    assert_ne!(inode(&json), edited, "an edited spare is not used");
}
