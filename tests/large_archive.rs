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
