//! Pages that list the whole archive stay usable when it is large.

mod common;

use common::html::{parse, sel};

#[test]
fn the_home_page_lists_the_newest_documents_and_links_to_all_of_them() {
    let dir = common::corpus(30);
    let site = dir.path().join("site");
    let out = common::findings(&site, &["-q", "build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let public = site.join("public");

    let home = parse(&public.join("index.html"));
    let listed: Vec<String> = home
        .select(&sel(".documents > li > a"))
        .map(|a| a.value().attr("href").unwrap_or_default().to_string())
        .collect();
    assert_eq!(listed.len(), 20, "{listed:?}");
    let all_link = home
        .select(&sel(
            "section[aria-labelledby=documents-heading] p a[href='reports/index.html']",
        ))
        .next()
        .expect("a link to all documents");
    assert_eq!(all_link.text().collect::<String>(), "All 30 documents");

    let all = parse(&public.join("reports/index.html"));
    let every: Vec<String> = all
        .select(&sel(".documents > li > a"))
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap_or_default()
                .replace("../", "")
        })
        .collect();
    assert_eq!(every.len(), 30);
    assert_eq!(&every[..20], &listed[..], "the home page shows the newest");
}

#[test]
fn a_large_tracker_lists_the_newest_documents_and_each_authority_tracks_its_own() {
    let dir = common::corpus(30);
    let site = dir.path().join("site");
    let toml = site.join("site.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{settings}\ntracker_rows = 50\n")).unwrap();
    let out = common::findings(&site, &["-q", "build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let public = site.join("public");
    let rows = |page: &scraper::Html| page.select(&sel("table.sortable tbody tr")).count();

    let tracker = parse(&public.join("recommendations/index.html"));
    let shown = rows(&tracker);
    assert!((1..=50).contains(&shown), "{shown} rows");
    let caption: String = tracker
        .select(&sel("caption"))
        .next()
        .unwrap()
        .text()
        .collect();

    let mut by_authority = 0;
    for entry in std::fs::read_dir(public.join("authorities")).unwrap() {
        let page = entry.unwrap().path().join("index.html");
        if page.exists() {
            by_authority += rows(&parse(&page));
        }
    }
    assert!(by_authority > 50, "the authorities hold them all");
    assert_eq!(
        caption,
        format!("Recommendations of the newest documents ({shown} of {by_authority})")
    );
}
