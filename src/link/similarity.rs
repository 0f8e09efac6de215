//! The same concern found again: each inspection recommendation is compared with the later
//! findings and recommendations of the same authority by shared themes and TF-IDF cosine
//! similarity, summed along an inverted index of words, so the work grows with the archive, not
//! with the square of it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;

use super::terms::GroupTerms;

use crate::model::{Link, RecommendationKind, Relation, Report, ReportKind, Target};
use crate::site::cache::{self, Entries, Previous};

/// Thresholds on cosine similarity (TF-IDF over stemmed words, with themes counted as words),
/// tuned on the Leeds seeds. With a shared theme, recommendation pairs that raise the same concern
/// (2015 PEPs → 2018 letter's PEPs 0.24, → 2019 council report 0.34; 2015 agency attendance at
/// child protection meetings → 2019 "health agencies in strategy discussions" 0.20) score above
/// 0.19, while recommendations on neighbouring topics mostly score below it.
const RECOMMENDATION_THRESHOLD: f32 = 0.19;
/// Paragraphs share many words with everything on their theme, so they need more to count.
const PARAGRAPH_THRESHOLD: f32 = 0.30;
/// Without a shared theme, only near-identical wording counts as the same concern.
const UNTHEMED_THRESHOLD: f32 = 0.35;
/// A covering report is about its appendix, so less is needed to see it answer a recommendation
/// (the 2021 letter's assessment item and the council's paragraph on its assessment work: 0.28).
const COVERING_THRESHOLD: f32 = 0.20;
/// Below every threshold a match can meet, so most pairs are turned down on their score alone.
const LOWEST_THRESHOLD: f32 = RECOMMENDATION_THRESHOLD
    .min(PARAGRAPH_THRESHOLD)
    .min(UNTHEMED_THRESHOLD)
    .min(COVERING_THRESHOLD);
/// A quotation is nearly word for word; this only guards against quoting nothing alike.
const QUOTATION_THRESHOLD: f32 = 0.20;
/// A council report within this many months of an inspection answers it; later ones raise again.
const ANSWER_WINDOW_MONTHS: i32 = 15;
/// At most this many links from one recommendation into one later document.
const PER_DOCUMENT: usize = 2;
/// At most this many later documents linked from one recommendation, the best matches first.
/// Without a cap an authority with decades of reports links every recommendation to all of
/// them, so links (and the pages listing them) grow with the square of the archive; a reader
/// follows the chain onward from the next documents instead.
const MAX_DOCUMENTS: usize = 4;
/// Matches are looked for in at most this many of the authority's next documents (about four
/// years of an authority's inspections, visits and council reports). The chain of links carries
/// a concern further; without the window each recommendation is compared with every later
/// document of its authority, and the work grows with the square of the authority's archive.
const LATER_DOCUMENTS: usize = 16;

/// One comparable piece of text: a recommendation or a paragraph.
struct Unit<'a> {
    report: usize,
    anchor: &'a str,
    themes: &'a [String],
    /// `Some` for a recommendation.
    rec: Option<RecInfo<'a>>,
    /// Sorted by term id, unit length.
    vector: Vec<(u32, f32)>,
}

struct RecInfo<'a> {
    kind: RecommendationKind,
    /// The archive document it quotes.
    quotes: Option<&'a str>,
}

/// Cross-links found by similarity, each stated once (from the earlier side), group by group.
#[cfg(test)]
pub fn find(reports: &[Report]) -> Vec<Link> {
    find_reusing(reports, &vec![0; reports.len()], &Previous::default()).0
}

/// `find`, taking a group's links from `previous` when the keys of its reports (`keys`, by
/// report) are those they were found from. Returns each group's entry for the next cache too.
pub fn find_reusing<'p>(
    reports: &[Report],
    keys: &[u64],
    previous: &'p Previous,
) -> (Vec<Link>, Entries<'p>) {
    let (links, entries): (Vec<Vec<Link>>, Entries) = groups(reports)
        .par_iter()
        .map(|members| {
            let key = cache::key(members.iter().map(|&i| keys.get(i)).collect::<Vec<_>>());
            let reused = previous.get(key).and_then(|bytes| {
                let links = serde_json::from_slice(bytes).ok()?;
                Some((links, (key, Cow::Borrowed(bytes))))
            });
            reused.unwrap_or_else(|| {
                let links = find_in_group(reports, members);
                let bytes = serde_json::to_vec(&links).unwrap_or_default();
                (links, (key, Cow::Owned(bytes)))
            })
        })
        .unzip();
    (links.concat(), entries)
}

/// The reports of each authority (indices into `reports`, in archive order), groups in order of
/// authority name: a concern is only followed within one authority.
pub fn groups(reports: &[Report]) -> Vec<Vec<usize>> {
    let mut by_authority: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        by_authority
            .entry(r.meta.authority.as_str())
            .or_default()
            .push(i);
    }
    by_authority.into_values().collect()
}

/// The links among one group's reports (`members`, indices into `reports`).
///
/// They depend only on those reports, in that order, besides the thresholds here and the theme
/// tags on the reports: word weights (IDF) are counted over the group alone and term ids are
/// numbered within it. So a build cache may keep a group's links while none of its members
/// changed, and recompute only the groups that did.
pub fn find_in_group(reports: &[Report], members: &[usize]) -> Vec<Link> {
    // Archive order (newest first), which the window of later documents counts along.
    let mut members = members.to_vec();
    members.sort_by(|&a, &b| {
        let (a, b) = (&reports[a], &reports[b]);
        (&b.meta.date, a.slug()).cmp(&(&a.meta.date, b.slug()))
    });
    let units = collect_units(reports, &members);
    let postings = Postings::new(&units);
    let windows = later_windows(reports, &members, &units);
    let mut links = quotation_links(reports, &units);
    let mut dot = vec![0.0f32; units.len()];
    let mut touched: Vec<usize> = Vec::new();
    for (source, window) in units.iter().zip(&windows) {
        if !stands_for_inspection(source) {
            continue;
        }
        accumulate(source, &postings, window.clone(), &mut dot, &mut touched);
        let scored = above_threshold(reports, &units, source, &mut dot, &mut touched);
        links.extend(best_per_document(reports, &units, source, scored));
    }
    links
}

/// The units whose similarity with `source` (summed in `dot`) clears the threshold for the pair,
/// best first; `dot` is left zeroed for the next source.
fn above_threshold(
    reports: &[Report],
    units: &[Unit],
    source: &Unit,
    dot: &mut [f32],
    touched: &mut Vec<usize>,
) -> Vec<(f32, usize)> {
    let from_report = &reports[source.report];
    let mut scored: Vec<(f32, usize)> = touched
        .drain(..)
        .filter_map(|j| {
            let score = std::mem::take(&mut dot[j]);
            if score < LOWEST_THRESHOLD {
                return None;
            }
            let target = &units[j];
            let to_report = &reports[target.report];
            if target.report == source.report || to_report.meta.date < from_report.meta.date {
                return None;
            }
            let threshold = if covers(to_report, from_report) {
                COVERING_THRESHOLD
            } else if !shares_theme(source, target) {
                UNTHEMED_THRESHOLD
            } else if target.rec.is_some() {
                RECOMMENDATION_THRESHOLD
            } else {
                PARAGRAPH_THRESHOLD
            };
            (score >= threshold).then_some((score, j))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
}

/// Links from `source` to its best matches, at most `PER_DOCUMENT` into any one document and
/// into at most `MAX_DOCUMENTS` documents.
fn best_per_document(
    reports: &[Report],
    units: &[Unit],
    source: &Unit,
    scored: Vec<(f32, usize)>,
) -> Vec<Link> {
    let from_report = &reports[source.report];
    let mut per_doc: HashMap<usize, usize> = HashMap::new();
    let mut links = Vec::new();
    for (_, j) in scored {
        let target = &units[j];
        let count = per_doc.get(&target.report).copied().unwrap_or(0);
        if count >= PER_DOCUMENT || (count == 0 && per_doc.len() >= MAX_DOCUMENTS) {
            continue;
        }
        let Some(relation) = relation(from_report, &reports[target.report], target) else {
            continue;
        };
        per_doc.insert(target.report, count + 1);
        links.push(Link {
            from: Target {
                report: from_report.slug().to_string(),
                anchor: Some(source.anchor.to_string()),
            },
            to: Target {
                report: reports[target.report].slug().to_string(),
                anchor: Some(target.anchor.to_string()),
            },
            relation,
        });
    }
    links
}

/// An inspection's own recommendation, or a council's quotation of one from an inspection that
/// is not in the archive (it stands in for the missing document).
fn stands_for_inspection(unit: &Unit) -> bool {
    match &unit.rec {
        Some(info) => match info.kind {
            RecommendationKind::Inspection => true,
            RecommendationKind::Quoted => info.quotes.is_none(),
            RecommendationKind::Committee => false,
        },
        None => false,
    }
}

/// Whether `cover` carries `inner` as an appendix: a covering report answers its appendix.
fn covers(cover: &Report, inner: &Report) -> bool {
    cover.meta.contains.iter().any(|s| s == inner.slug())
}

/// Each quoted recommendation links to the recommendation it quotes: the closest in wording
/// among those of the document it names.
fn quotation_links(reports: &[Report], units: &[Unit]) -> Vec<Link> {
    // Each document's recommendations, so a quotation looks only at its source's.
    let mut recs_of: HashMap<&str, Vec<&Unit>> = HashMap::new();
    for u in units.iter().filter(|u| u.rec.is_some()) {
        recs_of.entry(reports[u.report].slug()).or_default().push(u);
    }
    let mut links = Vec::new();
    for quote in units {
        let Some(RecInfo {
            kind: RecommendationKind::Quoted,
            quotes: Some(source_slug),
        }) = &quote.rec
        else {
            continue;
        };
        let best = recs_of
            .get(source_slug)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|u| (cosine(&quote.vector, &u.vector), u))
            .filter(|(score, _)| *score >= QUOTATION_THRESHOLD)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.anchor.cmp(a.1.anchor)));
        if let Some((_, source)) = best {
            links.push(Link {
                from: Target {
                    report: source_slug.to_string(),
                    anchor: Some(source.anchor.to_string()),
                },
                to: Target {
                    report: reports[quote.report].slug().to_string(),
                    anchor: Some(quote.anchor.to_string()),
                },
                relation: Relation::QuotedIn,
            });
        }
    }
    links
}

/// What a later match means for the earlier recommendation.
fn relation(from: &Report, to: &Report, target: &Unit) -> Option<Relation> {
    if let Some(info) = &target.rec {
        match (&info.kind, &info.quotes) {
            // Found by `quotation_links`, which picks the one recommendation quoted.
            (RecommendationKind::Quoted, Some(src)) if *src == from.slug() => return None,
            // Quoting another inspection that made the same point: the concern came back.
            (RecommendationKind::Quoted, _) => return Some(Relation::RaisedAgain),
            (RecommendationKind::Committee, _) => return None,
            _ => {}
        }
    }
    let council = to.meta.kind == ReportKind::CouncilCommitteeReport;
    if council && months_between(&from.meta.date, &to.meta.date) <= ANSWER_WINDOW_MONTHS {
        Some(Relation::AnsweredIn)
    } else {
        Some(Relation::RaisedAgain)
    }
}

fn months_between(earlier: &str, later: &str) -> i32 {
    let ym = |d: &str| -> i32 {
        let y: i32 = d.get(..4).and_then(|s| s.parse().ok()).unwrap_or(0);
        let m: i32 = d.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(1);
        y * 12 + m
    };
    ym(later) - ym(earlier)
}

fn shares_theme(a: &Unit, b: &Unit) -> bool {
    a.themes.iter().any(|t| b.themes.contains(t))
}

/// The group's recommendations and paragraphs (a recommendation's own paragraph only once, as
/// the recommendation), with their vectors.
fn collect_units<'a>(reports: &'a [Report], members: &[usize]) -> Vec<Unit<'a>> {
    let mut terms = GroupTerms::default();
    let mut units = Vec::new();
    let mut counts = Vec::new();
    for &ri in members {
        let report = &reports[ri];
        let rec_paragraphs: HashSet<&str> = report
            .meta
            .recommendations
            .iter()
            .filter_map(|r| r.paragraph.as_deref())
            .collect();
        for rec in &report.meta.recommendations {
            counts.push(terms.counts(&rec.text, &rec.themes));
            units.push(Unit {
                report: ri,
                anchor: &rec.id,
                themes: &rec.themes,
                rec: Some(RecInfo {
                    kind: rec.kind,
                    quotes: rec.quoted_from.as_ref().and_then(|q| q.report.as_deref()),
                }),
                vector: Vec::new(),
            });
        }
        for p in report.paragraphs() {
            if rec_paragraphs.contains(p.anchor.as_str()) {
                continue;
            }
            counts.push(terms.counts(&p.text, &p.themes));
            units.push(Unit {
                report: ri,
                anchor: &p.anchor,
                themes: &p.themes,
                rec: None,
                vector: Vec::new(),
            });
        }
    }
    for (unit, vector) in units.iter_mut().zip(terms.weigh(counts)) {
        unit.vector = vector;
    }
    units
}

/// For each unit, the units it may be compared with: those of the `LATER_DOCUMENTS` documents
/// before its own in `members` (newest first) through the last document of its own date.
/// Units hold each document's parts together, in `members` order.
fn later_windows(reports: &[Report], members: &[usize], units: &[Unit]) -> Vec<Range<usize>> {
    // Per member, where its units start; one more entry marks the end.
    let mut starts = Vec::with_capacity(members.len() + 1);
    let mut next = 0;
    for &ri in members {
        starts.push(next);
        next += units[next..].iter().take_while(|u| u.report == ri).count();
    }
    starts.push(units.len());
    let date = |m: usize| reports[members[m]].meta.date.as_str();
    let mut windows = Vec::with_capacity(units.len());
    for m in 0..members.len() {
        let mut last_same_date = m;
        while last_same_date + 1 < members.len() && date(last_same_date + 1) == date(m) {
            last_same_date += 1;
        }
        let window = starts[m.saturating_sub(LATER_DOCUMENTS)]..starts[last_same_date + 1];
        windows.extend(std::iter::repeat_n(window, starts[m + 1] - starts[m]));
    }
    windows
}

/// For each term, the units that use it and its weight in each: one array holds every list.
/// Units are numbered in 32 bits (a group has tens of thousands at most), which halves the
/// bytes each comparison reads from the lists.
struct Postings {
    /// Term `t`'s list is `entries[start[t]..start[t + 1]]`.
    start: Vec<usize>,
    entries: Vec<(u32, f32)>,
}

impl Postings {
    fn new(units: &[Unit]) -> Self {
        // Vectors are sorted by term, so the last term of each is its highest.
        let terms = units
            .iter()
            .filter_map(|u| u.vector.last())
            .map(|&(t, _)| t as usize + 1)
            .max()
            .unwrap_or(0);
        let mut start = vec![0; terms + 1];
        for u in units {
            for &(t, _) in &u.vector {
                start[t as usize + 1] += 1;
            }
        }
        for t in 0..terms {
            start[t + 1] += start[t];
        }
        let mut next = start.clone();
        let mut entries = vec![(0, 0.0); start[terms]];
        for (i, u) in (0..).zip(units) {
            for &(t, w) in &u.vector {
                entries[next[t as usize]] = (i, w);
                next[t as usize] += 1;
            }
        }
        Postings { start, entries }
    }

    fn of(&self, term: u32) -> &[(u32, f32)] {
        let t = term as usize;
        &self.entries[self.start[t]..self.start[t + 1]]
    }
}

/// Cosine similarity of `source` with every unit sharing a word, summed along the word lists
/// (`dot[j]`), so the cost follows the lists, not the number of units.
fn accumulate(
    source: &Unit,
    postings: &Postings,
    window: Range<usize>,
    dot: &mut [f32],
    touched: &mut Vec<usize>,
) {
    for &(t, w) in &source.vector {
        let list = postings.of(t);
        // Lists are in unit order, so the window is one slice of each.
        let start = list.partition_point(|&(j, _)| (j as usize) < window.start);
        let end = list.partition_point(|&(j, _)| (j as usize) < window.end);
        for &(j, wj) in &list[start..end] {
            let j = j as usize;
            if dot[j] == 0.0 {
                touched.push(j);
            }
            dot[j] += w * wj;
        }
    }
}

fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{FrontMatter, Paragraph, QuotedFrom, Recommendation, Section, Source};

    fn report(slug: &str, date: &str, kind: ReportKind, recs: Vec<Recommendation>) -> Report {
        Report {
            meta: FrontMatter {
                slug: slug.into(),
                title: slug.into(),
                kind,
                authority: "Testshire Council".into(),
                date: date.into(),
                date_inferred: None,
                inspection_dates: None,
                period: None,
                framework: None,
                judgements: vec![],
                inspectors: vec![],
                source: Source::default(),
                contains: vec![],
                recommendations: recs,
                links: vec![],
            },
            sections: vec![Section {
                heading: None,
                anchor: None,
                level: 2,
                paragraphs: vec![],
            }],
            footnotes: vec![],
            path: format!("content/reports/{slug}.md"),
            link_lines: vec![],
        }
    }

    fn rec(id: &str, text: &str, themes: &[&str], kind: RecommendationKind) -> Recommendation {
        Recommendation {
            id: id.into(),
            kind,
            group: None,
            text: text.into(),
            paragraph: None,
            themes: themes.iter().map(|s| s.to_string()).collect(),
            quoted_from: None,
        }
    }

    fn para(anchor: &str, text: &str, themes: &[&str]) -> Paragraph {
        Paragraph {
            anchor: anchor.into(),
            number: None,
            text: text.into(),
            themes: themes.iter().map(|s| s.to_string()).collect(),
            bullet: false,
            line: 1,
            plain: false,
        }
    }

    const PEP_2015: &str = "Improve Personal Education Plans, ensuring that they contain SMART targets which can be used to drive improvement in pupils' performance.";
    const PEP_2018: &str = "Personal Education Plans are of variable quality. Sometimes delayed, they are not always sufficiently ambitious, specific or measurable.";
    const ADOPTION: &str =
        "Ensure that all post-adoption support plans are measurable and outcome focused.";

    pub(super) fn archive() -> Vec<Report> {
        let inspection = Recommendation {
            kind: RecommendationKind::Inspection,
            ..rec("r-1", PEP_2015, &["peps"], RecommendationKind::Inspection)
        };
        let first = report(
            "2015-03-t-ofsted-inspection",
            "2015-03-01",
            ReportKind::OfstedInspectionReport,
            vec![
                inspection,
                rec(
                    "r-2",
                    ADOPTION,
                    &["adoption"],
                    RecommendationKind::Inspection,
                ),
            ],
        );
        let letter = report(
            "2018-02-t-ofsted-focused-visit",
            "2018-02-22",
            ReportKind::OfstedFocusedVisitLetter,
            vec![rec(
                "r-1",
                PEP_2018,
                &["peps"],
                RecommendationKind::Inspection,
            )],
        );
        let mut council = report(
            "2018-06-t-council-report",
            "2018-06-01",
            ReportKind::CouncilCommitteeReport,
            vec![Recommendation {
                quoted_from: Some(QuotedFrom {
                    title: "Ofsted focused visit letter".into(),
                    date: Some("2018-02-22".into()),
                    report: Some("2018-02-t-ofsted-focused-visit".into()),
                }),
                ..rec("r-1", PEP_2018, &["peps"], RecommendationKind::Quoted)
            }],
        );
        let mut first = first;
        for (i, text) in FILLER.iter().enumerate() {
            first.sections[0]
                .paragraphs
                .push(para(&format!("p-{}", i + 20), text, &["other"]));
        }
        council.sections[0].paragraphs.push(para(
            "p-3-1",
            "The virtual school is working with designated teachers so that personal education plans are ambitious, specific and measurable, and delays are reduced.",
            &["peps"],
        ));
        vec![first, letter, council]
    }

    /// Ordinary findings on other topics, so that word weights are realistic.
    const FILLER: &[&str] = &[
        "Social workers visit families regularly and know them well.",
        "The front door responds quickly to contacts and referrals from partner agencies.",
        "Foster carers receive good training and support from supervising social workers.",
        "Care leavers have access to a wide range of suitable accommodation.",
        "Managers provide regular supervision that is reflective and recorded on case files.",
        "Return home interviews are offered to children who go missing from home or care.",
        "The youth offending service works well with the police to divert young people from crime.",
        "Early help assessments are of good quality and lead to timely support.",
        "Leaders have a clear understanding of strengths and areas for development.",
        "Audits are completed regularly and the learning is shared with staff.",
    ];

    fn has(links: &[Link], from: (&str, &str), to: (&str, &str), relation: Relation) -> bool {
        links.iter().any(|l| {
            l.from.report == from.0
                && l.from.anchor.as_deref() == Some(from.1)
                && l.to.report == to.0
                && l.to.anchor.as_deref() == Some(to.1)
                && l.relation == relation
        })
    }

    #[test]
    fn same_concern_later_is_raised_again() {
        let links = find(&archive());
        assert!(
            has(
                &links,
                ("2015-03-t-ofsted-inspection", "r-1"),
                ("2018-02-t-ofsted-focused-visit", "r-1"),
                Relation::RaisedAgain
            ),
            "{links:#?}"
        );
    }

    /// An inspection in January `year` recommending on PEPs, then a focused visit each January
    /// after it, the `n`th (from 1) recommending `visits(n)`: (text, theme).
    fn inspection_then_visits(
        year: usize,
        count: usize,
        visits: impl Fn(usize) -> (&'static str, &'static str),
    ) -> Vec<Report> {
        let one = |year: usize, kind: ReportKind, (text, theme): (&str, &str)| {
            let slug = match kind {
                ReportKind::OfstedInspectionReport => "ofsted-inspection",
                _ => "ofsted-focused-visit",
            };
            report(
                &format!("{year}-01-t-{slug}"),
                &format!("{year}-01-01"),
                kind,
                vec![rec("r-1", text, &[theme], RecommendationKind::Inspection)],
            )
        };
        let mut reports = vec![one(
            year,
            ReportKind::OfstedInspectionReport,
            (PEP_2015, "peps"),
        )];
        for n in 1..=count {
            reports.push(one(
                year + n,
                ReportKind::OfstedFocusedVisitLetter,
                visits(n),
            ));
        }
        reports
    }

    #[test]
    fn a_concern_raised_in_many_later_documents_links_to_a_few_of_them() {
        let links = find(&inspection_then_visits(2012, 8, |_| (PEP_2015, "peps")));
        let from_first: std::collections::BTreeSet<&str> = links
            .iter()
            .filter(|l| l.from.report == "2012-01-t-ofsted-inspection")
            .map(|l| l.to.report.as_str())
            .collect();
        assert_eq!(from_first.len(), MAX_DOCUMENTS, "{from_first:?}");
    }

    #[test]
    fn quoted_and_answered_by_the_council() {
        let links = find(&archive());
        let letter = ("2018-02-t-ofsted-focused-visit", "r-1");
        assert!(
            has(
                &links,
                letter,
                ("2018-06-t-council-report", "r-1"),
                Relation::QuotedIn
            ),
            "{links:#?}"
        );
        assert!(
            has(
                &links,
                letter,
                ("2018-06-t-council-report", "p-3-1"),
                Relation::AnsweredIn
            ),
            "{links:#?}"
        );
    }

    #[test]
    fn a_concern_is_followed_through_the_next_documents_only() {
        let linked = |gap| {
            // Visits on adoption, but the `gap`th raises PEPs again.
            let visits = inspection_then_visits(2000, LATER_DOCUMENTS + 4, |n| {
                if n == gap {
                    (PEP_2015, "peps")
                } else {
                    (ADOPTION, "adoption")
                }
            });
            find(&visits)
                .iter()
                .any(|l| l.from.report == "2000-01-t-ofsted-inspection")
        };
        assert!(linked(LATER_DOCUMENTS));
        assert!(!linked(LATER_DOCUMENTS + 1));
    }

    #[test]
    fn different_concerns_and_earlier_documents_are_not_linked() {
        let links = find(&archive());
        assert!(
            !links
                .iter()
                .any(|l| l.from.anchor.as_deref() == Some("r-2"))
        );
        assert!(
            !links
                .iter()
                .any(|l| l.from.report == "2018-02-t-ofsted-focused-visit"
                    && l.to.report == "2015-03-t-ofsted-inspection")
        );
    }

    #[test]
    fn other_authorities_are_not_linked() {
        let mut reports = archive();
        reports[1].meta.authority = "Elsewhere Council".into();
        let links = find(&reports);
        assert!(
            !links
                .iter()
                .any(|l| l.to.report == "2018-02-t-ofsted-focused-visit")
        );
    }

    /// Another authority's reports, differently worded, so that words and their weights would
    /// differ if they leaked across groups.
    fn elsewhere() -> Vec<Report> {
        let mut reports = archive();
        for (i, r) in reports.iter_mut().enumerate() {
            r.meta.authority = "Elsewhere Council".into();
            r.meta.slug = format!("elsewhere-{i}");
            for p in r.sections.iter_mut().flat_map(|s| s.paragraphs.iter_mut()) {
                p.text = format!("{} Plans and targets are measurable.", FILLER[i]);
            }
        }
        reports
    }

    #[test]
    fn a_groups_links_depend_only_on_its_reports() {
        let alone = find_in_group(&archive(), &[0, 1, 2]);
        assert!(!alone.is_empty());
        let mut mixed = elsewhere();
        mixed.splice(1..1, archive());
        let groups = groups(&mixed);
        assert_eq!(groups, vec![vec![0, 4, 5], vec![1, 2, 3]]);
        // The other group first, so that the words it brings are already known to this thread.
        find_in_group(&mixed, &groups[0]);
        assert_eq!(find_in_group(&mixed, &groups[1]), alone);
    }

    #[test]
    fn a_rebuild_reuses_unchanged_groups_and_redoes_changed_ones() {
        let mut reports = elsewhere();
        reports.splice(1..1, archive());
        let keys: Vec<u64> = (0..reports.len() as u64).collect();
        let none = Previous::default();
        let (fresh, entries) = find_reusing(&reports, &keys, &none);
        let (_dir, previous) = cache::previous_of(&entries);
        let (again, reused) = find_reusing(&reports, &keys, &previous);
        assert_eq!(again, fresh);
        assert!(reused.iter().all(|(_, b)| matches!(b, Cow::Borrowed(_))));

        // A report changed: its key changes, so its group's links are found again.
        reports[1].meta.recommendations.clear();
        let mut changed = keys.clone();
        changed[1] = 100;
        let (rebuilt, redone) = find_reusing(&reports, &changed, &previous);
        assert_eq!(rebuilt, find(&reports));
        assert_ne!(rebuilt, fresh);
        let owned = redone.iter().filter(|(_, b)| matches!(b, Cow::Owned(_)));
        assert_eq!(owned.count(), 1, "only the changed report's group");
    }
}
