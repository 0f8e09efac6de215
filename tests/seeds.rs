//! The five seeds end to end: ingest them into a fresh site and check what a reader of the
//! documents expects (metadata, every recommendation, themes, repaired text), then build the site
//! and check its links, recommendation pages, theme timelines and cross-links both ways.
//! Expectations come from reading the documents, not from the program's output.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::html::{broken_links, parse, sel};
use findings::annotated::{self, Block, Page};
use findings::model::{RecommendationKind, ReportKind};

/// The seeds ingested and built once for all tests in this file, in cargo's folder for
/// integration tests' files. A static is never dropped, so a temporary folder here would be left
/// behind by every run; this one is made afresh by the next run instead.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("seeds-site");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove the last run's site");
        }
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for sub in ["seeds", "themes", "templates", "static", "content/pages"] {
            if repo.join(sub).is_dir() {
                std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
                common::copy_dir(&repo.join(sub), &dir.join(sub));
            }
        }
        std::fs::copy(repo.join("site.toml"), dir.join("site.toml")).expect("site.toml");
        let out = common::findings(&dir, &["ingest"]);
        assert!(out.status.success(), "ingest: {}", common::stderr(&out));
        let out = common::findings(&dir, &["build"]);
        assert!(out.status.success(), "build: {}", common::stderr(&out));
        dir
    })
}

fn pages() -> Vec<(PathBuf, String, Page)> {
    common::report_pages(site())
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read page");
            let page = annotated::parse(&text).expect("page parses");
            (p, text, page)
        })
        .collect()
}

/// The one page of `kind` whose date starts with `year`.
fn page(kind: ReportKind, year: &str) -> Page {
    let found: Vec<Page> = pages()
        .into_iter()
        .map(|(_, _, p)| p)
        .filter(|p| p.front.kind == kind && p.front.date.starts_with(year))
        .collect();
    assert_eq!(found.len(), 1, "one {kind:?} of {year}");
    found.into_iter().next().expect("one page")
}

fn body_text(page: &Page) -> String {
    page.blocks
        .iter()
        .map(|b| match b {
            Block::Heading { text, .. } | Block::Paragraph { text, .. } => text.as_str(),
            Block::Footnote { text, .. } => text.as_str(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn five_seeds_make_six_documents_of_the_right_kinds() {
    let mut kinds: Vec<ReportKind> = pages().iter().map(|(_, _, p)| p.front.kind).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ReportKind::OfstedInspectionReport,
            ReportKind::OfstedFocusedVisitLetter,
            ReportKind::OfstedFocusedVisitLetter,
            ReportKind::CouncilCommitteeReport,
            ReportKind::CouncilCommitteeReport,
            ReportKind::SafeguardingPartnershipAnnualReport,
        ]
    );
    for (_, _, p) in pages() {
        assert_eq!(p.front.authority, "Leeds City Council", "{}", p.front.slug);
        assert_eq!(p.front.source.sha256.len(), 64);
    }
}

#[test]
fn inspection_2015_keeps_the_council_and_board_lists_apart() {
    let p = page(ReportKind::OfstedInspectionReport, "2015");
    assert_eq!(p.front.framework.as_deref(), Some("SIF"));
    assert!(
        p.front.date_inferred.is_some(),
        "the cover page with the date was lost"
    );
    let grade = |area: &str| {
        p.front
            .judgements
            .iter()
            .find(|j| j.area.eq_ignore_ascii_case(area))
            .map(|j| j.grade.clone())
    };
    assert_eq!(
        grade("Leadership, management and governance").as_deref(),
        Some("Outstanding")
    );
    assert_eq!(
        grade("Children who need help and protection").as_deref(),
        Some("Good")
    );
    assert_eq!(
        grade("Local Safeguarding Children Board").as_deref(),
        Some("Good")
    );
    let recs = &p.front.recommendations;
    assert_eq!(recs.len(), 20, "15 for the council, 5 for the LSCB");
    let board: Vec<_> = recs
        .iter()
        .filter(|r| {
            r.group
                .as_deref()
                .is_some_and(|g| g.contains("Safeguarding Children Board"))
        })
        .collect();
    assert_eq!(board.len(), 5);
    let paragraphs: Vec<&str> = board
        .iter()
        .filter_map(|r| r.paragraph.as_deref())
        .collect();
    assert_eq!(paragraphs, ["p-184", "p-185", "p-186", "p-187", "p-188"]);
    let pep = recs
        .iter()
        .find(|r| r.text.starts_with("Improve Personal Education Plans"))
        .expect("the PEP recommendation");
    assert!(
        pep.text
            .ends_with("sustained improvement in pupils’ performance."),
        "{}",
        pep.text
    );
    assert_eq!(pep.paragraph.as_deref(), Some("p-11"));
    assert!(pep.themes.iter().any(|t| t == "peps"), "{:?}", pep.themes);
    let cse = recs
        .iter()
        .find(|r| r.text.contains("training in child sexual exploitation"))
        .expect("the CSE training recommendation");
    assert!(cse.themes.iter().any(|t| t == "cse"));
    assert!(
        recs.iter()
            .all(|r| r.kind == RecommendationKind::Inspection)
    );
}

#[test]
fn focused_visit_2018_has_its_date_inspectors_and_two_items() {
    let p = page(ReportKind::OfstedFocusedVisitLetter, "2018");
    assert_eq!(p.front.date, "2018-02-22");
    let dates = p.front.inspection_dates.as_ref().expect("visit dates");
    assert_eq!(
        (dates.start.as_str(), dates.end.as_str()),
        ("2018-01-30", "2018-01-31")
    );
    assert_eq!(
        p.front.inspectors,
        ["Nigel Parkes HMI", "Kate Malleson HMI"]
    );
    let recs = &p.front.recommendations;
    assert_eq!(recs.len(), 2);
    assert!(
        recs[1]
            .text
            .starts_with("Personal Education Plans are of variable quality.")
    );
    assert!(
        recs[1]
            .text
            .ends_with("it remains an area for development."),
        "{}",
        recs[1].text
    );
    assert!(recs[1].themes.iter().any(|t| t == "peps"));
}

#[test]
fn council_report_2019_records_its_own_and_quoted_recommendations() {
    let p = page(ReportKind::CouncilCommitteeReport, "2019");
    assert_eq!(p.front.date, "2019-03-20");
    let recs = &p.front.recommendations;
    let own = recs
        .iter()
        .filter(|r| r.kind == RecommendationKind::Committee)
        .count();
    let quoted: Vec<_> = recs
        .iter()
        .filter(|r| r.kind == RecommendationKind::Quoted)
        .collect();
    assert!(own >= 1);
    assert_eq!(quoted.len(), 4, "Ofsted's four areas for improvement");
    assert!(
        quoted
            .iter()
            .any(|r| r.text.contains("personal education plans (PEPs)"))
    );
    assert!(
        quoted
            .iter()
            .any(|r| r.text.contains("health agencies in strategy discussions"))
    );
    assert!(quoted.iter().all(|r| r.quoted_from.is_some()));
}

#[test]
fn scrutiny_report_2021_and_its_appendix_letter_are_split_and_linked() {
    let host = page(ReportKind::CouncilCommitteeReport, "2021");
    let letter = page(ReportKind::OfstedFocusedVisitLetter, "2021");
    assert_eq!(
        host.front.contains,
        std::slice::from_ref(&letter.front.slug)
    );
    assert_eq!(
        letter.front.source.part_of.as_deref(),
        Some(host.front.slug.as_str())
    );
    assert_eq!(letter.front.date, "2021-08-31");
    let dates = letter.front.inspection_dates.as_ref().expect("visit dates");
    assert_eq!(
        (dates.start.as_str(), dates.end.as_str()),
        ("2021-07-20", "2021-07-21")
    );
    assert_eq!(letter.front.recommendations.len(), 3);
    let quoted: Vec<_> = host
        .front
        .recommendations
        .iter()
        .filter(|r| r.kind == RecommendationKind::Quoted)
        .collect();
    assert_eq!(quoted.len(), 3);
    for q in quoted {
        let from = q.quoted_from.as_ref().expect("source");
        assert_eq!(from.report.as_deref(), Some(letter.front.slug.as_str()));
    }
    let committee = host
        .front
        .recommendations
        .iter()
        .filter(|r| r.kind == RecommendationKind::Committee)
        .count();
    assert_eq!(committee, 3, "a), b) and c): what scrutiny is asked to do");
}

#[test]
fn partnership_report_is_repaired() {
    let p = page(ReportKind::SafeguardingPartnershipAnnualReport, "2019");
    assert_eq!(p.front.period.as_deref(), Some("2018/19"));
    let text = body_text(&p);
    for damaged in [
        "priori es",
        "a endance",
        "mul -agency",
        "mul \u{2010}agency",
        "Exploita on",
        "eﬀec ve",
        "effec ve",
        "prac oners",
        "o en ",
    ] {
        assert!(!text.contains(damaged), "{damaged:?} survived ingest");
    }
    for repaired in ["priorities", "attendance", "practitioners", "effective"] {
        assert!(text.contains(repaired), "{repaired} missing");
    }
}

#[test]
fn no_page_keeps_a_bare_page_number_line() {
    for (path, text, _) in pages() {
        let body = text.split("\n---\n").nth(1).unwrap_or("");
        for line in body.lines() {
            let t = line.trim();
            assert!(
                t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()),
                "{}: bare number line {t:?}",
                path.display()
            );
        }
    }
}

#[test]
fn themes_tag_findings_in_more_than_one_document() {
    let mut docs_with_cse = 0;
    for (_, _, p) in pages() {
        let tagged = p.blocks.iter().any(
            |b| matches!(b, Block::Paragraph { themes, .. } if themes.iter().any(|t| t == "cse")),
        );
        docs_with_cse += usize::from(tagged);
    }
    assert!(docs_with_cse >= 3, "CSE found in {docs_with_cse} documents");
}

#[test]
fn reingest_changes_no_byte() {
    let before: Vec<(PathBuf, String)> = pages().into_iter().map(|(p, t, _)| (p, t)).collect();
    let out = common::findings(site(), &["ingest"]);
    assert!(out.status.success());
    let after: Vec<(PathBuf, String)> = pages().into_iter().map(|(p, t, _)| (p, t)).collect();
    assert_eq!(before, after);
}

#[test]
fn built_site_links_all_resolve() {
    let problems = broken_links(&site().join("public"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_recommendation_has_its_own_page() {
    for (_, _, p) in pages() {
        for r in &p.front.recommendations {
            let page = site()
                .join("public/recommendations")
                .join(&p.front.slug)
                .join(&r.id)
                .join("index.html");
            assert!(page.is_file(), "{}", page.display());
        }
    }
}

/// The `(label, target slug, target anchor)` cross-links shown on `slug`'s page for `anchor`.
fn cross_links(slug: &str, anchor: &str) -> Vec<(String, String, String)> {
    let doc = parse(&site().join("public/reports").join(slug).join("index.html"));
    let mut out = Vec::new();
    for host in doc.select(&sel(&format!("[id=\"{anchor}\"]"))) {
        for li in host.select(&sel("ul.related li")) {
            let label = li.text().collect::<String>();
            for a in li.select(&sel("a[href]")) {
                let href = a.value().attr("href").unwrap_or_default();
                let target = href.split("reports/").nth(1).unwrap_or_default();
                let (page, frag) = target.split_once("/index.html").unwrap_or((target, ""));
                out.push((
                    label.clone(),
                    page.to_string(),
                    frag.trim_start_matches('#').to_string(),
                ));
            }
        }
    }
    out
}

fn rec_id(page: &Page, starts: &str) -> String {
    page.front
        .recommendations
        .iter()
        .find(|r| r.text.contains(starts))
        .unwrap_or_else(|| panic!("{}: no recommendation with {starts:?}", page.front.slug))
        .id
        .clone()
}

fn assert_linked_both_ways(a: (&Page, &str), b: (&Page, &str), forward: &str, back: &str) {
    let (pa, aa) = (a.0.front.slug.as_str(), a.1);
    let (pb, ab) = (b.0.front.slug.as_str(), b.1);
    let there = cross_links(pa, aa);
    assert!(
        there
            .iter()
            .any(|(l, s, f)| l.contains(forward) && s == pb && f == ab),
        "{pa}#{aa} should say '{forward}' {pb}#{ab}: {there:?}"
    );
    let back_links = cross_links(pb, ab);
    assert!(
        back_links
            .iter()
            .any(|(l, s, f)| l.contains(back) && s == pa && f == aa),
        "{pb}#{ab} should say '{back}' {pa}#{aa}: {back_links:?}"
    );
}

#[test]
fn personal_education_plans_concern_is_linked_across_the_years() {
    let y2015 = page(ReportKind::OfstedInspectionReport, "2015");
    let y2018 = page(ReportKind::OfstedFocusedVisitLetter, "2018");
    let y2019 = page(ReportKind::CouncilCommitteeReport, "2019");
    let r2015 = rec_id(&y2015, "Personal Education Plans");
    let r2018 = rec_id(&y2018, "Personal Education Plans");
    let r2019 = rec_id(&y2019, "personal education plans");
    assert_linked_both_ways(
        (&y2015, &r2015),
        (&y2018, &r2018),
        "Raised again",
        "Raised before",
    );
    assert_linked_both_ways(
        (&y2018, &r2018),
        (&y2019, &r2019),
        "Raised again",
        "Raised before",
    );
}

#[test]
fn health_and_police_at_meetings_is_linked_from_2015_to_2021() {
    let y2015 = page(ReportKind::OfstedInspectionReport, "2015");
    let y2019 = page(ReportKind::CouncilCommitteeReport, "2019");
    let r2015 = rec_id(&y2015, "agency attendance at all initial child protection");
    let r2019 = rec_id(&y2019, "health agencies in strategy discussions");
    assert_linked_both_ways(
        (&y2015, &r2015),
        (&y2019, &r2019),
        "Raised again",
        "Raised before",
    );
    let letter = page(ReportKind::OfstedFocusedVisitLetter, "2021");
    let onward = cross_links(&y2019.front.slug, &r2019);
    assert!(
        onward
            .iter()
            .any(|(l, s, _)| l.contains("Raised again") && *s == letter.front.slug),
        "2019's strategy-discussion concern should lead on to the 2021 letter: {onward:?}"
    );
}

#[test]
fn letter_2021_recommendations_are_quoted_and_answered_in_the_covering_report() {
    let host = page(ReportKind::CouncilCommitteeReport, "2021");
    let letter = page(ReportKind::OfstedFocusedVisitLetter, "2021");
    for rec in &letter.front.recommendations {
        let links = cross_links(&letter.front.slug, &rec.id);
        let quoted = links
            .iter()
            .any(|(l, s, _)| l.contains("Quoted in") && *s == host.front.slug);
        let answered = links
            .iter()
            .any(|(l, s, _)| l.contains("Answered in") && *s == host.front.slug);
        assert!(quoted && answered, "{}: {links:?}", rec.id);
    }
}

#[test]
fn committed_pages_are_what_ingest_writes_unless_a_person_edited_them() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh: Vec<(String, String)> = pages()
        .into_iter()
        .map(|(p, t, _)| (p.file_name().unwrap().to_string_lossy().into_owned(), t))
        .collect();
    for (name, text) in fresh {
        let committed = repo.join("content/reports").join(&name);
        let Ok(old) = std::fs::read_to_string(&committed) else {
            panic!("{name} is not in content/reports: run `findings ingest` and commit it");
        };
        if annotated::provenance(&old) == annotated::Provenance::Generated {
            assert!(
                old == text,
                "content/reports/{name} is out of date with ingest: run `findings ingest` and commit"
            );
        }
    }
}
