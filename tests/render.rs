//! The render stage end to end: build the `site-basic` fixture with the real binary, parse every
//! page as HTML and check what residents and staff rely on: links that resolve, one `h1`, pages
//! for recommendations that share well, theme timelines, open data, determinism and atomic failure.

mod common;

use std::path::PathBuf;

use common::html::{html_files, ids, parse, sel};
use scraper::Html;

const BASE: &str = "https://example.org/archive/";
/// How many cross-links a report page lists at most (`view::REPORT_RELATED`), plus its earlier,
/// later and every-document entries.
const MAX_RELATED_SHOWN: usize = 20 + 3;

/// A built copy of the fixture: the temporary site folder (kept alive) and its `public/`.
fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = common::fixture("site-basic");
    let out = common::findings(dir.path(), &["build"]);
    assert!(
        out.status.success(),
        "build failed: {}",
        common::stderr(&out)
    );
    let public = dir.path().join("public");
    (dir, public)
}

fn meta(doc: &Html, attr: &str, name: &str) -> Option<String> {
    doc.select(&sel(&format!("meta[{attr}=\"{name}\"]")))
        .next()
        .and_then(|e| e.value().attr("content").map(str::to_string))
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let (_dir, public) = built();
    let problems = common::html::broken_links(&public);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_page_has_one_h1_landmarks_and_a_skip_link() {
    let (_dir, public) = built();
    for page in html_files(&public) {
        let doc = parse(&page);
        let shown = page.strip_prefix(&public).unwrap().display().to_string();
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{shown}: exactly one h1");
        for landmark in ["header", "header nav", "main#main", "footer"] {
            assert_eq!(
                doc.select(&sel(landmark)).count(),
                1,
                "{shown}: one {landmark}"
            );
        }
        assert!(
            doc.select(&sel("a.skip-link[href=\"#main\"]"))
                .next()
                .is_some(),
            "{shown}"
        );
        assert!(doc.select(&sel("html[lang]")).next().is_some(), "{shown}");
        assert!(doc.select(&sel("title")).next().is_some(), "{shown}");
        // The site works without JavaScript: buttons that need it are inserted by the script.
        assert!(
            doc.select(&sel("main button:not([type=submit])"))
                .next()
                .is_none(),
            "{shown}"
        );
        let ids = ids(&doc);
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{shown}: duplicate ids");
    }
}

#[test]
fn headings_never_skip_a_level() {
    let (_dir, public) = built();
    let headings = sel("h1, h2, h3, h4, h5, h6");
    for page in html_files(&public) {
        let doc = parse(&page);
        let mut previous = 0;
        for h in doc.select(&headings) {
            let level: u32 = h.value().name()[1..].parse().unwrap();
            assert!(
                level <= previous + 1,
                "{}: h{level} after h{previous}",
                page.display()
            );
            previous = level;
        }
    }
}

#[test]
fn report_page_has_summary_recommendations_and_permalinks() {
    let (_dir, public) = built();
    let doc = parse(&public.join("reports/2015-03-testshire-ofsted-inspection/index.html"));
    let summary: String = doc
        .select(&sel("dl.summary"))
        .next()
        .unwrap()
        .text()
        .collect();
    for expected in [
        "Kind",
        "Ofsted inspection report",
        "Inspection dates",
        "Requires improvement",
        "Alex Example HMI",
        "SHA-256",
    ] {
        assert!(
            summary.contains(expected),
            "summary lacks {expected}: {summary}"
        );
    }
    let rec = doc
        .select(&sel(".recommendations li#r-1"))
        .next()
        .expect("r-1 in the box");
    let rec_html = rec.html();
    assert!(rec_html.contains("href=\"#p-4\""), "{rec_html}");
    assert!(
        rec_html.contains("recommendations/2015-03-testshire-ofsted-inspection/r-1/index.html")
    );
    let p25 = doc
        .select(&sel("#p-4 a.permalink"))
        .next()
        .expect("permalink");
    assert_eq!(p25.value().attr("href"), Some("#p-4"));
    assert_eq!(p25.value().attr("aria-label"), Some("Link to paragraph 4"));
    assert_eq!(p25.text().collect::<String>(), "§");
    let num: String = doc
        .select(&sel("#p-5-1 .para-num"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(num, "5.1");
    assert!(
        doc.select(&sel("#p-2 .tags a[href=\"../../themes/cse/index.html\"]"))
            .next()
            .is_some()
    );
    assert!(
        doc.select(&sel("#fn-1 a[href=\"#fnref-1\"]"))
            .next()
            .is_some(),
        "footnote back-link"
    );
    let contents: Vec<String> = doc
        .select(&sel("nav.contents a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        contents,
        ["#summary", "#what-needs-to-improve", "#leadership"]
    );
}

#[test]
fn theme_tags_spell_out_a_shortened_name_for_screen_readers_and_only_then() {
    let dir = common::fixture("site-basic");
    // "Missing" becomes a theme whose short name is its whole title.
    let theme = dir.path().join("themes/missing.yaml");
    let yaml = std::fs::read_to_string(&theme).unwrap();
    let title = "Children missing from home or care";
    std::fs::write(
        &theme,
        yaml.replace("short: Missing", &format!("short: {title}")),
    )
    .unwrap();
    let out = common::findings(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    // A report page (tags written in code) and a recommendation's page (`partials/tags.html`).
    for page in [
        "reports/2015-03-testshire-ofsted-inspection/index.html",
        "recommendations/2015-03-testshire-ofsted-inspection/r-2/index.html",
    ] {
        let doc = parse(&dir.path().join("public").join(page));
        let tag = |slug: &str| {
            doc.select(&sel(&format!(
                ".tags a[href$=\"themes/{slug}/index.html\"]"
            )))
            .next()
            .unwrap_or_else(|| panic!("{page} has a {slug} tag"))
            .text()
            .collect::<String>()
        };
        assert_eq!(tag("cse"), "CSE (Child sexual exploitation)", "{page}");
        assert_eq!(tag("missing"), title, "{page}: said once, not twice");
    }
}

#[test]
fn embedded_letter_and_covering_report_link_both_ways() {
    let (_dir, public) = built();
    let letter = std::fs::read_to_string(
        public.join("reports/2018-02-testshire-ofsted-focused-visit/index.html"),
    )
    .unwrap();
    let cover =
        std::fs::read_to_string(public.join("reports/2018-03-testshire-council-report/index.html"))
            .unwrap();
    assert!(
        letter.contains(
            "Appendix of <a href=\"../../reports/2018-03-testshire-council-report/index.html\">"
        ),
        "letter names its covering report"
    );
    assert!(cover.contains("Includes as an appendix <a href=\"../../reports/2018-02-testshire-ofsted-focused-visit/index.html\">"), "cover names its appendix");
    assert!(
        letter.contains("Inferred, not stated in the document:"),
        "an inferred date says so"
    );
}

#[test]
fn quoted_recommendation_names_and_links_its_source() {
    let (_dir, public) = built();
    let doc = parse(&public.join("reports/2018-03-testshire-council-report/index.html"));
    let quoted: String = doc
        .select(&sel("#r-2 .quoted"))
        .next()
        .expect("quoted note")
        .text()
        .collect();
    assert_eq!(
        quoted,
        "Quoted from Ofsted focused visit letter (22 February 2018)"
    );
    let link = doc.select(&sel("#r-2 .quoted a")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("../../reports/2018-02-testshire-ofsted-focused-visit/index.html")
    );
}

#[test]
fn every_recommendation_has_a_page_that_shares_well() {
    let (_dir, public) = built();
    let mut count = 0;
    for report in std::fs::read_dir(public.join("reports"))
        .unwrap()
        .filter_map(Result::ok)
    {
        let index = report.path().join("index.html");
        if !report.path().is_dir() {
            continue;
        }
        let slug = report.file_name().to_string_lossy().into_owned();
        for rec in parse(&index).select(&sel(".recommendations li.rec")) {
            let id = rec.value().attr("id").unwrap();
            let page = public.join(format!("recommendations/{slug}/{id}/index.html"));
            let doc = parse(&page);
            let url = format!("{BASE}recommendations/{slug}/{id}/");
            assert_eq!(
                meta(&doc, "property", "og:url").as_deref(),
                Some(url.as_str())
            );
            assert_eq!(
                meta(&doc, "property", "og:type").as_deref(),
                Some("article")
            );
            let title = meta(&doc, "property", "og:title").unwrap();
            let page_title: String = doc.select(&sel("title")).next().unwrap().text().collect();
            assert_eq!(title, page_title);
            assert!(
                title.contains(&format!("recommendation {}", &id[2..])),
                "{title}"
            );
            assert!(!meta(&doc, "name", "description").unwrap().is_empty());
            assert!(!meta(&doc, "property", "og:description").unwrap().is_empty());
            count += 1;
        }
    }
    assert_eq!(count, 5);
    let doc =
        parse(&public.join("recommendations/2015-03-testshire-ofsted-inspection/r-1/index.html"));
    assert_eq!(
        meta(&doc, "property", "og:title").unwrap(),
        "Testshire, Ofsted inspection 2015 — recommendation 1: Improve the quality of personal education plans so that they are specific and measurable."
    );
    let back = doc
        .select(&sel("main a[href$=\"#p-4\"]"))
        .next()
        .expect("link to paragraph");
    assert_eq!(
        back.value().attr("href"),
        Some("../../../reports/2015-03-testshire-ofsted-inspection/index.html#p-4")
    );
}

#[test]
fn theme_page_is_a_timeline_of_findings_across_documents() {
    let (_dir, public) = built();
    let doc = parse(&public.join("themes/peps/index.html"));
    let docs: Vec<String> = doc
        .select(&sel(".timeline > li > h3 a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        docs,
        [
            "../../reports/2015-03-testshire-ofsted-inspection/index.html",
            "../../reports/2018-02-testshire-ofsted-focused-visit/index.html",
            "../../reports/2018-03-testshire-council-report/index.html",
        ],
        "oldest first"
    );
    let findings: Vec<String> = doc
        .select(&sel(".findings a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(
        findings.contains(
            &"../../reports/2015-03-testshire-ofsted-inspection/index.html#p-4".to_string()
        ),
        "{findings:?}"
    );
    assert_eq!(
        doc.select(&sel("#recommendations ~ .recs li.rec")).count(),
        3
    );
}

#[test]
fn a_long_theme_continues_on_numbered_pages_that_keep_documents_whole() {
    let dir = common::fixture("site-basic");
    let toml = dir.path().join("site.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("theme_page_size = 1\n");
    std::fs::write(&toml, text).unwrap();
    let out = common::findings(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let public = dir.path().join("public");
    let first = parse(&public.join("themes/peps/index.html"));
    let pages: Vec<String> = first
        .select(&sel("nav.pagination a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        pages[..3],
        [
            "../../themes/peps/index.html",
            "../../themes/peps/page-2/index.html",
            "../../themes/peps/page-3/index.html",
        ],
        "{pages:?}"
    );
    assert_eq!(
        first
            .select(&sel("nav.pagination a[aria-current=page]"))
            .count(),
        2,
        "the current page is marked in both navigation lists"
    );
    // Every document with the theme appears on exactly one page, oldest first across pages.
    let mut docs = Vec::new();
    for n in 1..=pages.len() / 2 {
        let path = if n == 1 {
            public.join("themes/peps/index.html")
        } else {
            public.join(format!("themes/peps/page-{n}/index.html"))
        };
        let page = parse(&path);
        docs.extend(
            page.select(&sel(".timeline > li > h3 a"))
                .map(|a| a.value().attr("href").unwrap().replace("../", "")),
        );
    }
    assert_eq!(
        docs,
        [
            "reports/2015-03-testshire-ofsted-inspection/index.html",
            "reports/2018-02-testshire-ofsted-focused-visit/index.html",
            "reports/2018-03-testshire-council-report/index.html",
        ]
    );
}

#[test]
fn tracker_lists_every_recommendation_in_a_plain_table() {
    let (_dir, public) = built();
    let doc = parse(&public.join("recommendations/index.html"));
    assert_eq!(doc.select(&sel("table.sortable tbody tr")).count(), 5);
    let region = doc.select(&sel(".table-scroll")).next().unwrap();
    assert_eq!(region.value().attr("role"), Some("region"));
    assert_eq!(region.value().attr("tabindex"), Some("0"));
    assert_eq!(doc.select(&sel("th[scope=col]")).count(), 6);
}

#[test]
fn home_and_search_pages_offer_the_search_form_and_themes() {
    let (_dir, public) = built();
    let home = parse(&public.join("index.html"));
    let form = home.select(&sel("form[method=get]")).next().unwrap();
    assert_eq!(form.value().attr("action"), Some("search/index.html"));
    assert!(home.select(&sel("label[for=q]")).next().is_some());
    assert!(home.select(&sel("input[name=q]#q")).next().is_some());
    let first: String = home
        .select(&sel(".documents li a"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(
        first, "Ofsted focused visit and the children's services improvement plan",
        "newest first"
    );
    let search = std::fs::read_to_string(public.join("search/index.html")).unwrap();
    assert!(
        search.contains("child sexual exploitation: <a href=\"../themes/cse/index.html\">"),
        "A–Z terms"
    );
}

#[test]
fn feeds_sitemap_and_open_data_use_absolute_addresses() {
    let (_dir, public) = built();
    let feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    assert!(
        feed.contains("<updated>2018-03-14T00:00:00Z</updated>"),
        "{feed}"
    );
    assert!(feed.contains(&format!(
        "<link href=\"{BASE}reports/2015-03-testshire-ofsted-inspection/\"/>"
    )));
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(&format!("<loc>{BASE}themes/peps/</loc>")));
    assert!(!sitemap.contains("404"));
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml")));

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("findings.json")).unwrap())
            .unwrap();
    // Documents hold sections, which hold paragraphs; a paragraph's address is its document's.
    let documents = json["documents"].as_array().unwrap();
    let paragraphs: Vec<(&serde_json::Value, &serde_json::Value, &serde_json::Value)> = documents
        .iter()
        .flat_map(|d| {
            d["sections"].as_array().unwrap().iter().flat_map(move |s| {
                s["paragraphs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |p| (d, s, p))
            })
        })
        .collect();
    assert_eq!(paragraphs.len(), 14);
    let (doc, section, p4) = paragraphs
        .iter()
        .find(|(d, _, p)| {
            d["slug"] == "2015-03-testshire-ofsted-inspection" && p["anchor"] == "p-4"
        })
        .unwrap();
    assert_eq!(
        doc["url"],
        format!("{BASE}reports/2015-03-testshire-ofsted-inspection/")
    );
    assert_eq!(
        doc["path"],
        "reports/2015-03-testshire-ofsted-inspection/index.html"
    );
    assert_eq!(p4["number"], "4");
    assert_eq!(section["heading"], "What needs to improve");
    assert_eq!(p4["themes"], serde_json::json!(["peps"]));

    let csv = std::fs::read_to_string(public.join("recommendations.csv")).unwrap();
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 6, "header and five recommendations");
    assert!(rows[0].starts_with("report,report_title,date,kind,id,"));
    assert!(
        csv.contains("\"Ofsted focused visit and the children's services improvement plan\"")
            || csv.contains("Ofsted focused visit and the children's services improvement plan,")
    );
}

#[test]
fn about_page_highlights_code_with_classes() {
    let (_dir, public) = built();
    let about = std::fs::read_to_string(public.join("about/index.html")).unwrap();
    assert!(about.contains("<pre class=\"hl-code\""), "{about}");
    assert!(!about.contains("style=\""), "classes, not inline styles");
    let css = std::fs::read_to_string(public.join("static/style.css")).unwrap();
    assert!(
        css.contains(".hl-code"),
        "the stylesheet carries the highlighting classes"
    );
    assert!(public.join("static/site.js").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let (dir, public) = built();
    let first = common::snapshot_tree(&public);
    let out = common::findings(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        first == common::snapshot_tree(&public),
        "second build differs"
    );
}

#[test]
fn bad_theme_fails_naming_file_and_line_and_keeps_previous_output() {
    let (dir, public) = built();
    let before = common::snapshot_tree(&public);
    let page = dir
        .path()
        .join("content/reports/2015-03-testshire-ofsted-inspection.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("{: #p-2 themes=\"cse\"}", "{: #p-2 themes=\"cse2\"}"),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("{: #p-2 "))
        .unwrap()
        + 1;
    let out = common::findings(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(
        err.contains(&format!(
            "content/reports/2015-03-testshire-ofsted-inspection.md:{line}"
        )),
        "names file and line {line}: {err}"
    );
    assert!(err.contains("cse2"), "{err}");
    assert!(
        before == common::snapshot_tree(&public),
        "previous output untouched"
    );
}

/// The element tree of `node` as one `tag#id.class` line per element, indented by depth; the
/// contents of cross-link lists are left out because they depend on the link stage's thresholds.
fn outline(node: scraper::ElementRef, depth: usize, out: &mut String) {
    let e = node.value();
    out.push_str(&"  ".repeat(depth));
    out.push_str(e.name());
    if let Some(id) = e.attr("id") {
        out.push_str(&format!("#{id}"));
    }
    for class in e.classes() {
        out.push_str(&format!(".{class}"));
    }
    out.push('\n');
    if e.classes().any(|c| c == "related") {
        return;
    }
    for child in node.children().filter_map(scraper::ElementRef::wrap) {
        outline(child, depth + 1, out);
    }
}

#[test]
fn report_page_shape() {
    let (_dir, public) = built();
    let doc = parse(&public.join("reports/2015-03-testshire-ofsted-inspection/index.html"));
    let main = doc.select(&sel("main")).next().unwrap();
    let mut shape = String::new();
    outline(main, 0, &mut shape);
    insta::assert_snapshot!(shape);
}

#[test]
fn search_index_builds_on_its_own_and_matches_the_full_build() {
    let (dir, public) = built();
    let only = dir.path().join("index-only");
    let out = common::findings(
        dir.path(),
        &["dev", "search-index", "--out", only.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let alone = common::snapshot_tree(&only.join("search"));
    let full: Vec<_> = common::snapshot_tree(&public.join("search"))
        .into_iter()
        .filter(|(path, _)| path.to_str() != Some("index.html"))
        .collect();
    assert!(!alone.is_empty());
    assert_eq!(alone, full, "the same index files as a full build writes");
    let again = common::findings(
        dir.path(),
        &["dev", "search-index", "--out", only.to_str().unwrap()],
    );
    assert!(
        !again.status.success(),
        "refuses a folder that is not empty"
    );
    assert!(common::stderr(&again).contains("not empty"));
}

#[test]
fn a_rebuild_after_changes_equals_a_fresh_build_and_drops_removed_pages() {
    let (dir, public) = built();
    let reports = dir.path().join("content/reports");
    let changed = reports.join("2018-02-testshire-ofsted-focused-visit.md");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\nA sentence added after the first build.\n");
    std::fs::write(&changed, text).unwrap();
    std::fs::remove_file(reports.join("2018-03-testshire-council-report.md")).unwrap();
    let out = common::findings(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains(" unchanged"),
        "{}",
        common::stderr(&out)
    );
    assert!(
        !public
            .join("reports/2018-03-testshire-council-report")
            .exists()
    );
    let fresh = dir.path().join("fresh");
    let out = common::findings(dir.path(), &["build", "-o", fresh.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::snapshot_tree(&public) == common::snapshot_tree(&fresh),
        "updating in place gives exactly what a fresh build gives"
    );
    let html = std::fs::read_to_string(
        public.join("reports/2018-02-testshire-ofsted-focused-visit/index.html"),
    )
    .unwrap();
    assert!(html.contains("A sentence added after the first build."));
}

#[test]
fn authority_page_lists_every_document_newest_first_and_reports_link_to_it() {
    let (_dir, public) = built();
    let page = "authorities/testshire-county-council/index.html";
    let doc = parse(&public.join(page));
    let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
    assert_eq!(h1, "Testshire County Council");
    let listed: Vec<String> = doc
        .select(&sel("ol.documents > li > a"))
        .map(|a| a.value().attr("href").unwrap().replace("../", ""))
        .collect();
    assert_eq!(
        listed,
        [
            "reports/2018-03-testshire-council-report/index.html",
            "reports/2018-02-testshire-ofsted-focused-visit/index.html",
            "reports/2015-03-testshire-ofsted-inspection/index.html",
        ]
    );
    let report = parse(&public.join("reports/2015-03-testshire-ofsted-inspection/index.html"));
    let summary_link = format!("../../{page}");
    assert!(
        report
            .select(&sel(&format!("dl.summary a[href=\"{summary_link}\"]")))
            .next()
            .is_some(),
        "the summary links to the authority"
    );
    let all = parse(&public.join("reports/index.html"));
    assert_eq!(
        all.select(&sel(&format!("ol.documents a[href=\"../{page}\"]")))
            .count(),
        3
    );
    let index = parse(&public.join("authorities/index.html"));
    assert_eq!(
        index
            .select(&sel(&format!("ul.authorities a[href=\"../{page}\"]")))
            .count(),
        1
    );
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(&format!("{BASE}authorities/testshire-county-council/")));
}

/// Many documents from one authority, each the same focused visit on a later date.
fn many_documents_from_one_authority(reports: &std::path::Path, copies: usize) {
    let source =
        std::fs::read_to_string(reports.join("2018-02-testshire-ofsted-focused-visit.md")).unwrap();
    let source: String = source
        .lines()
        .filter(|l| !l.contains("part:") && !l.contains("part_of:"))
        .map(|l| format!("{l}\n"))
        .collect();
    for n in 0..copies {
        let (year, month) = (2019 + n / 12, 1 + n % 12);
        let slug = format!("{year}-{month:02}-testshire-ofsted-focused-visit");
        let text = source
            .replace("2018-02-testshire-ofsted-focused-visit", &slug)
            .replace("date: 2018-02-22", &format!("date: {year}-{month:02}-22"));
        std::fs::write(reports.join(format!("{slug}.md")), text).unwrap();
    }
}

#[test]
fn report_pages_list_a_bounded_number_of_related_documents_however_many_an_authority_has() {
    let dir = common::fixture("site-basic");
    let copies = 40;
    many_documents_from_one_authority(&dir.path().join("content/reports"), copies);
    let out = common::findings(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let public = dir.path().join("public");
    let authority = parse(&public.join("authorities/testshire-county-council/index.html"));
    assert_eq!(
        authority.select(&sel("ol.documents > li")).count(),
        3 + copies
    );
    for page in html_files(&public.join("reports")) {
        let doc = parse(&page);
        let shown = page.strip_prefix(&public).unwrap().display().to_string();
        let related = doc
            .select(&sel("#related-heading ~ ul.related > li"))
            .count();
        assert!(
            related <= MAX_RELATED_SHOWN,
            "{shown}: {related} related entries"
        );
    }
}
