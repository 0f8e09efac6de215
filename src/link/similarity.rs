//! The same concern found again: each inspection recommendation is compared with the later
//! findings and recommendations of the same authority by shared themes and TF-IDF cosine
//! similarity, summed along an inverted index of words, so the work grows with the archive, not
//! with the square of it.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};

use crate::model::{Link, RecommendationKind, Relation, Report, ReportKind, Target};

/// Thresholds on cosine similarity (TF-IDF over stemmed words, with themes counted as words),
/// tuned on the Leeds seeds. With a shared theme, recommendation pairs that raise the same concern
/// (2015 PEPs → 2018 letter's PEPs 0.24, → 2019 council report 0.34; 2015 agency attendance at
/// child protection meetings → 2019 "health agencies in strategy discussions" 0.20) score above
/// 0.19, while recommendations on neighbouring topics mostly score below it.
const RECOMMENDATION_THRESHOLD: f32 = 0.19;
/// Paragraphs share many words with everything on their theme, so they need more to count.
const PARAGRAPH_THRESHOLD: f32 = 0.30;
/// How many times a theme counts as a word in a unit's vector.
const THEME_WEIGHT: f32 = 2.0;
/// Without a shared theme, only near-identical wording counts as the same concern.
const UNTHEMED_THRESHOLD: f32 = 0.35;
/// A covering report is about its appendix, so less is needed to see it answer a recommendation
/// (the 2021 letter's assessment item and the council's paragraph on its assessment work: 0.28).
const COVERING_THRESHOLD: f32 = 0.20;
/// A quotation is nearly word for word; this only guards against quoting nothing alike.
const QUOTATION_THRESHOLD: f32 = 0.20;
/// A council report within this many months of an inspection answers it; later ones raise again.
const ANSWER_WINDOW_MONTHS: i32 = 15;
/// At most this many links from one recommendation into one later document.
const PER_DOCUMENT: usize = 2;

/// Words too common in these documents to say anything about the concern.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "all",
    "also",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "been",
    "by",
    "can",
    "for",
    "from",
    "has",
    "have",
    "in",
    "into",
    "is",
    "it",
    "its",
    "more",
    "not",
    "of",
    "on",
    "or",
    "so",
    "such",
    "that",
    "the",
    "their",
    "them",
    "there",
    "these",
    "they",
    "this",
    "to",
    "was",
    "were",
    "which",
    "while",
    "who",
    "will",
    "with",
    "within",
    "ensure",
    "ensuring",
    "improve",
    "improved",
    "improvement",
    "improvements",
    "quality",
    "children",
    "child",
    "young",
    "people",
    "local",
    "authority",
    "services",
    "service",
    "council",
    "that",
    "where",
    "when",
    "than",
    "those",
];

/// One comparable piece of text: a recommendation or a paragraph.
struct Unit {
    report: usize,
    anchor: String,
    themes: Vec<String>,
    /// `Some` for a recommendation.
    rec: Option<RecInfo>,
    /// Sorted by term id, unit length.
    vector: Vec<(u32, f32)>,
}

struct RecInfo {
    kind: RecommendationKind,
    /// The archive document it quotes.
    quotes: Option<String>,
}

/// Cross-links found by similarity, each stated once (from the earlier side).
pub fn find(reports: &[Report]) -> Vec<Link> {
    let mut by_authority: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        by_authority
            .entry(r.meta.authority.as_str())
            .or_default()
            .push(i);
    }
    let mut groups: Vec<(&str, Vec<usize>)> = by_authority.into_iter().collect();
    groups.sort();
    groups
        .into_iter()
        .flat_map(|(_, members)| find_in_group(reports, &members))
        .collect()
}

fn find_in_group(reports: &[Report], members: &[usize]) -> Vec<Link> {
    let units = collect_units(reports, members);
    let postings = index(&units);
    let mut links = quotation_links(reports, &units);
    let mut dot = vec![0.0f32; units.len()];
    let mut touched: Vec<usize> = Vec::new();
    for source in &units {
        if !stands_for_inspection(source) {
            continue;
        }
        let from_report = &reports[source.report];
        accumulate(source, &postings, &mut dot, &mut touched);
        let mut scored: Vec<(f32, usize)> = touched
            .drain(..)
            .filter_map(|j| {
                let score = std::mem::take(&mut dot[j]);
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
        let mut per_doc: HashMap<usize, usize> = HashMap::new();
        for (_, j) in scored {
            let target = &units[j];
            let count = per_doc.entry(target.report).or_insert(0);
            if *count >= PER_DOCUMENT {
                continue;
            }
            let Some(relation) = relation(from_report, &reports[target.report], target) else {
                continue;
            };
            *count += 1;
            links.push(Link {
                from: Target {
                    report: from_report.slug().to_string(),
                    anchor: Some(source.anchor.clone()),
                },
                to: Target {
                    report: reports[target.report].slug().to_string(),
                    anchor: Some(target.anchor.clone()),
                },
                relation,
            });
        }
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
    let mut links = Vec::new();
    for quote in units {
        let Some(RecInfo {
            kind: RecommendationKind::Quoted,
            quotes: Some(source_slug),
        }) = &quote.rec
        else {
            continue;
        };
        let best = units
            .iter()
            .filter(|u| u.rec.is_some() && reports[u.report].slug() == source_slug.as_str())
            .map(|u| (cosine(&quote.vector, &u.vector), u))
            .filter(|(score, _)| *score >= QUOTATION_THRESHOLD)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.anchor.cmp(&a.1.anchor)));
        if let Some((_, source)) = best {
            links.push(Link {
                from: Target {
                    report: source_slug.clone(),
                    anchor: Some(source.anchor.clone()),
                },
                to: Target {
                    report: reports[quote.report].slug().to_string(),
                    anchor: Some(quote.anchor.clone()),
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
            (RecommendationKind::Quoted, Some(src)) if src == from.slug() => return None,
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

fn collect_units(reports: &[Report], members: &[usize]) -> Vec<Unit> {
    let stemmer = Stemmer::create(Algorithm::English);
    let stop: HashSet<&str> = STOP_WORDS.iter().copied().collect();
    let mut words = Words::default();
    let mut raw: Vec<(Unit, HashMap<u32, f32>)> = Vec::new();
    for &ri in members {
        let report = &reports[ri];
        let rec_paragraphs: HashSet<&str> = report
            .meta
            .recommendations
            .iter()
            .filter_map(|r| r.paragraph.as_deref())
            .collect();
        for rec in &report.meta.recommendations {
            let mut counts = term_counts(&rec.text, &stemmer, &stop, &mut words);
            add_themes(&mut counts, &rec.themes, &mut words);
            raw.push((
                Unit {
                    report: ri,
                    anchor: rec.id.clone(),
                    themes: rec.themes.clone(),
                    rec: Some(RecInfo {
                        kind: rec.kind,
                        quotes: rec.quoted_from.as_ref().and_then(|q| q.report.clone()),
                    }),
                    vector: Vec::new(),
                },
                counts,
            ));
        }
        for p in report.paragraphs() {
            if rec_paragraphs.contains(p.anchor.as_str()) {
                continue;
            }
            let mut counts = term_counts(&p.text, &stemmer, &stop, &mut words);
            add_themes(&mut counts, &p.themes, &mut words);
            raw.push((
                Unit {
                    report: ri,
                    anchor: p.anchor.clone(),
                    themes: p.themes.clone(),
                    rec: None,
                    vector: Vec::new(),
                },
                counts,
            ));
        }
    }
    weigh(raw, words.len())
}

/// Themes count as words of their own, so sharing a rare theme (PEPs) says more than sharing a
/// common one (leadership), by the same inverse-document-frequency weighting as words.
fn add_themes(counts: &mut HashMap<u32, f32>, themes: &[String], words: &mut Words) {
    for t in themes {
        let id = words.term(format!("theme:{t}"));
        *counts.entry(id).or_insert(0.0) += THEME_WEIGHT;
    }
}

/// Words seen so far: each distinct word is stemmed once, the costly step.
#[derive(Default)]
struct Words {
    /// Stem (or `theme:` name) → term id.
    terms: HashMap<String, u32>,
    /// Lower-cased word → term id, or `None` for a stop word or number.
    seen: HashMap<String, Option<u32>>,
}

impl Words {
    fn term(&mut self, name: String) -> u32 {
        let next = self.terms.len() as u32;
        *self.terms.entry(name).or_insert(next)
    }

    fn len(&self) -> usize {
        self.terms.len()
    }
}

fn term_counts(
    text: &str,
    stemmer: &Stemmer,
    stop: &HashSet<&str>,
    words: &mut Words,
) -> HashMap<u32, f32> {
    let mut counts = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 3 {
            continue;
        }
        let lower = word.to_lowercase();
        let id = match words.seen.get(&lower) {
            Some(id) => *id,
            None => {
                let id =
                    if stop.contains(lower.as_str()) || lower.bytes().all(|b| b.is_ascii_digit()) {
                        None
                    } else {
                        Some(words.term(stemmer.stem(&lower).into_owned()))
                    };
                words.seen.insert(lower, id);
                id
            }
        };
        if let Some(id) = id {
            *counts.entry(id).or_insert(0.0) += 1.0;
        }
    }
    counts
}

/// TF-IDF weights, each vector scaled to unit length.
fn weigh(raw: Vec<(Unit, HashMap<u32, f32>)>, terms: usize) -> Vec<Unit> {
    let mut df = vec![0u32; terms];
    for (_, counts) in &raw {
        for &t in counts.keys() {
            df[t as usize] += 1;
        }
    }
    let n = raw.len() as f32;
    raw.into_iter()
        .map(|(mut unit, counts)| {
            let mut vector: Vec<(u32, f32)> = counts
                .into_iter()
                .map(|(t, c)| {
                    let idf = (n / df[t as usize] as f32).ln() + 1.0;
                    (t, (1.0 + c.ln()) * idf)
                })
                .collect();
            // Sorted before summing: a float sum in hash-map order differs between runs in the
            // last bit, enough to swap near-tied matches and so change which links are found.
            vector.sort_by_key(|(t, _)| *t);
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                for (_, w) in &mut vector {
                    *w /= norm;
                }
            }
            unit.vector = vector;
            unit
        })
        .collect()
}

/// For each word, the units that use it and its weight in each.
fn index(units: &[Unit]) -> HashMap<u32, Vec<(usize, f32)>> {
    let mut postings: HashMap<u32, Vec<(usize, f32)>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        for &(t, w) in &u.vector {
            postings.entry(t).or_default().push((i, w));
        }
    }
    postings
}

/// Cosine similarity of `source` with every unit sharing a word, summed along the word lists
/// (`dot[j]`), so the cost follows the lists, not the number of units.
fn accumulate(
    source: &Unit,
    postings: &HashMap<u32, Vec<(usize, f32)>>,
    dot: &mut [f32],
    touched: &mut Vec<usize>,
) {
    for (t, w) in &source.vector {
        for &(j, wj) in postings.get(t).map_or(&[][..], Vec::as_slice) {
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
}
