//! Search: the in-browser search index, built in the same pass as the pages. The index is split so
//! a query downloads only the word shards and text chunks it needs; `static/search.js` reads it.
//!
//! Files (all JavaScript that calls `FindingsSearch.load(name, data)`, so they load as scripts
//! from `file://` too, where `fetch` of local files is blocked):
//! - `search/meta.js`: shard names, reports' facets, themes, synonyms (small, loaded first);
//! - `search/terms/<prefix>.js`: the words starting with a prefix (as long as keeps it small), their stems and BM25 postings;
//! - `search/docs/<n>.js`: the text of units `n*CHUNK ..`, for snippets and phrase checks;
//! - `search/facets.js`: which units each theme tags, for theme filter counts;
//! - `search/themes.js`: each theme's phrases, for an acronym that no text uses (`MASH`).

pub mod encode;
pub mod tokens;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{Report, Site};
use tokens::WordStemmer;

/// Units per text chunk: small, so the first results cost a few kilobytes each.
pub const CHUNK: usize = 8;
/// A word shard over this many bytes is split by one more letter of prefix.
const SHARD_BUDGET: usize = 24 * 1024;
/// The longest prefix a shard is named by; past it a shard may exceed the budget.
const MAX_PREFIX: usize = 5;
/// BM25 parameters (the usual defaults).
const K1: f32 = 1.2;
const B: f32 = 0.5;
/// Recommendations and headings matter more to a reader than a passing mention.
const RECOMMENDATION_BOOST: f32 = 1.25;
const HEADING_WEIGHT: f32 = 0.3;
/// Impacts are stored as 1–63; BM25 scores of single terms stay under about 30.
const IMPACT_SCALE: f32 = 2.0;

/// The index as files to write under the output folder.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// (path relative to the output folder, contents), sorted by path.
    pub files: Vec<(String, String)>,
}

/// A paragraph or recommendation as the search sees it.
struct Unit {
    report: usize,
    anchor: String,
    heading: String,
    text: String,
    themes: Vec<String>,
}

/// Build the index for `site`.
pub fn build(site: &Site) -> SearchIndex {
    let units = collect_units(&site.reports);
    let vocabulary = count_words(&units);
    let postings = bm25_postings(&units, &vocabulary);
    let surfaces: BTreeMap<String, String> = vocabulary
        .surfaces
        .into_iter()
        .map(|(surface, id)| (surface, vocabulary.stems[id as usize].clone()))
        .collect();
    let mut files = Vec::new();
    let shard_names = write_shards(&surfaces, &postings, &mut files);
    write_chunks(&units, &site.reports, &mut files);
    files.push((
        "search/facets.js".into(),
        script("facets", &theme_facets(&units)),
    ));
    files.push((
        "search/themes.js".into(),
        script("themes", &theme_phrases(&site.themes)),
    ));
    files.push((
        "search/meta.js".into(),
        script("meta", &meta(site, &units, &shard_names)),
    ));
    files.sort();
    SearchIndex { files }
}

/// Recommendations first, then the paragraphs that do not merely hold a recommendation.
fn collect_units(reports: &[Report]) -> Vec<Unit> {
    let mut units = Vec::new();
    for (ri, report) in reports.iter().enumerate() {
        let held: BTreeSet<&str> = report
            .meta
            .recommendations
            .iter()
            .filter_map(|r| r.paragraph.as_deref())
            .collect();
        for rec in &report.meta.recommendations {
            let number = rec.id.trim_start_matches("r-");
            let heading = match &rec.group {
                Some(g) => format!("Recommendation {number}: {g}"),
                None => format!("Recommendation {number}"),
            };
            units.push(Unit {
                report: ri,
                anchor: rec.id.clone(),
                heading,
                text: tokens::plain_text(&rec.text),
                themes: rec.themes.clone(),
            });
        }
        for section in &report.sections {
            for p in &section.paragraphs {
                if held.contains(p.anchor.as_str()) {
                    continue;
                }
                units.push(Unit {
                    report: ri,
                    anchor: p.anchor.clone(),
                    heading: section.heading.clone().unwrap_or_default(),
                    text: tokens::plain_text(&p.text),
                    themes: p.themes.clone(),
                });
            }
        }
    }
    units
}

fn is_recommendation(unit: &Unit) -> bool {
    unit.anchor.starts_with("r-")
}

/// Every word's stem, numbered once, and each unit's weighted stem counts.
struct Vocabulary {
    /// Stem text by id.
    stems: Vec<String>,
    /// Surface form → stem id.
    surfaces: HashMap<String, u32>,
    /// Per unit: (stem id, weighted count), and the unit's weighted length.
    counts: Vec<(Vec<(u32, f32)>, f32)>,
}

/// Stemming is the costly step, so each distinct word is stemmed once and then known by number.
fn count_words(units: &[Unit]) -> Vocabulary {
    let stemmer = WordStemmer::new();
    let mut stem_ids: HashMap<String, u32> = HashMap::new();
    let mut vocabulary = Vocabulary {
        stems: Vec::new(),
        surfaces: HashMap::new(),
        counts: Vec::with_capacity(units.len()),
    };
    for unit in units {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        let mut len = 0.0;
        for (text, weight) in [(&unit.text, 1.0), (&unit.heading, HEADING_WEIGHT)] {
            for w in tokens::words(text) {
                let id = match vocabulary.surfaces.get(w.as_str()) {
                    Some(&id) => id,
                    None => {
                        let stem = stemmer.stem(&w);
                        let next = vocabulary.stems.len() as u32;
                        let id = *stem_ids.entry(stem.clone()).or_insert(next);
                        if id == next {
                            vocabulary.stems.push(stem);
                        }
                        vocabulary.surfaces.insert(w, id);
                        id
                    }
                };
                *tf.entry(id).or_insert(0.0) += weight;
                len += weight;
            }
        }
        let mut tf: Vec<(u32, f32)> = tf.into_iter().collect();
        tf.sort_by_key(|(id, _)| *id);
        vocabulary.counts.push((tf, len));
    }
    vocabulary
}

/// For each stem, the units it occurs in with their quantised BM25 impact.
fn bm25_postings(units: &[Unit], vocabulary: &Vocabulary) -> BTreeMap<String, Vec<(u32, u8)>> {
    let n = units.len() as f32;
    let total: f32 = vocabulary.counts.iter().map(|(_, len)| len).sum();
    let avg = (total / n.max(1.0)).max(1.0);
    let mut df = vec![0.0f32; vocabulary.stems.len()];
    for (tf, _) in &vocabulary.counts {
        for (id, _) in tf {
            df[*id as usize] += 1.0;
        }
    }
    let mut by_id: Vec<Vec<(u32, u8)>> = vec![Vec::new(); vocabulary.stems.len()];
    for (i, (tf, len)) in vocabulary.counts.iter().enumerate() {
        let boost = if is_recommendation(&units[i]) {
            RECOMMENDATION_BOOST
        } else {
            1.0
        };
        let norm = K1 * (1.0 - B + B * len / avg);
        for &(id, f) in tf {
            let d = df[id as usize];
            let idf = (1.0 + (n - d + 0.5) / (d + 0.5)).ln();
            let score = idf * f * (K1 + 1.0) / (f + norm) * boost;
            let impact = (score * IMPACT_SCALE).round().clamp(1.0, 63.0) as u8;
            by_id[id as usize].push((i as u32, impact));
        }
    }
    vocabulary.stems.iter().cloned().zip(by_id).collect()
}

/// The shard a word or stem belongs to: its first two characters, or more where a shard was split.
fn shard_of<'a>(word: &str, names: &'a BTreeSet<String>) -> Option<&'a String> {
    let chars: Vec<char> = word.chars().collect();
    (1..=chars.len())
        .rev()
        .map(|n| chars[..n].iter().collect::<String>())
        .find_map(|p| names.get(&p))
}

/// One shard's words (surface form → stem) and postings (stem → encoded list).
type Shard<'a> = (BTreeMap<&'a str, &'a str>, BTreeMap<&'a str, &'a str>);

fn write_shards(
    surfaces: &BTreeMap<String, String>,
    postings: &BTreeMap<String, Vec<(u32, u8)>>,
    files: &mut Vec<(String, String)>,
) -> BTreeSet<String> {
    let encoded: BTreeMap<&str, String> = postings
        .iter()
        .map(|(stem, list)| (stem.as_str(), encode::postings(list)))
        .collect();
    let size_of = |word: &str| word.len() * 2 + encoded.get(word).map_or(0, String::len) + 8;
    let names = shard_names(surfaces.keys().chain(postings.keys()), &size_of);
    let mut shards: BTreeMap<&String, Shard> = BTreeMap::new();
    for (surface, stem) in surfaces {
        if let Some(name) = shard_of(surface, &names) {
            shards
                .entry(name)
                .or_default()
                .0
                .insert(surface.as_str(), stem.as_str());
        }
    }
    for (stem, list) in &encoded {
        if let Some(name) = shard_of(stem, &names) {
            shards
                .entry(name)
                .or_default()
                .1
                .insert(stem, list.as_str());
        }
    }
    for (name, (words, stems)) in shards {
        let data = json!({ "w": words, "p": stems });
        files.push((
            format!("search/terms/{}.js", file_name(name)),
            script(&format!("terms/{}", file_name(name)), &data),
        ));
    }
    names
}

/// Shard names: first letters, split by a further character while over budget, so a small
/// archive has few files and a large one small shards.
fn shard_names<'a>(
    words: impl Iterator<Item = &'a String>,
    size_of: &dyn Fn(&str) -> usize,
) -> BTreeSet<String> {
    let words: BTreeSet<&str> = words.map(String::as_str).collect();
    let mut names = BTreeSet::new();
    let mut queue: Vec<(String, Vec<&str>)> = Vec::new();
    let mut by_first: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for w in &words {
        by_first
            .entry(w.chars().take(1).collect())
            .or_default()
            .push(w);
    }
    queue.extend(by_first);
    while let Some((prefix, members)) = queue.pop() {
        let size: usize = members.iter().map(|w| size_of(w)).sum();
        let depth = prefix.chars().count();
        if size <= SHARD_BUDGET || depth >= MAX_PREFIX {
            names.insert(prefix);
            continue;
        }
        let mut longer: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        let mut rest = Vec::new();
        for w in members {
            if w.chars().count() > depth {
                longer
                    .entry(w.chars().take(depth + 1).collect())
                    .or_default()
                    .push(w);
            } else {
                rest.push(w);
            }
        }
        if !rest.is_empty() {
            names.insert(prefix);
        }
        queue.extend(longer);
    }
    names
}

/// Shard names as file names: letters and digits pass, anything else becomes `_<hex>`.
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("_{:x}", u32::from(c))
            }
        })
        .collect()
}

fn write_chunks(units: &[Unit], reports: &[Report], files: &mut Vec<(String, String)>) {
    for (n, chunk) in units.chunks(CHUNK).enumerate() {
        let mut report_info: BTreeMap<String, Value> = BTreeMap::new();
        let rows: Vec<Value> = chunk
            .iter()
            .map(|u| {
                let r = &reports[u.report];
                report_info.entry(u.report.to_string()).or_insert_with(|| {
                    json!([r.meta.slug, r.meta.title, r.meta.date, r.meta.kind.label()])
                });
                json!([u.report, u.anchor, u.heading, u.text])
            })
            .collect();
        let data = json!({ "r": report_info, "u": rows });
        files.push((
            format!("search/docs/{n}.js"),
            script(&format!("docs/{n}"), &data),
        ));
    }
}

fn theme_facets(units: &[Unit]) -> BTreeMap<String, String> {
    let mut by_theme: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        for t in &u.themes {
            by_theme.entry(t.clone()).or_default().push(i as u32);
        }
    }
    by_theme
        .into_iter()
        .map(|(t, list)| (t, encode::units(&list)))
        .collect()
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    chunk: usize,
    units: usize,
    shards: Vec<&'a String>,
    /// Per report: kind index, year, authority index, first unit.
    reports: Vec<(usize, String, usize, usize)>,
    kinds: Vec<(&'static str, &'static str)>,
    authorities: Vec<&'a str>,
    themes: Vec<(&'a str, &'a str, &'a str)>,
    /// Groups of words and phrases that mean the same (acronyms and their expansions).
    synonyms: Vec<Vec<String>>,
    /// Acronym (lower case) → the theme it marks, for a search whose acronym no text uses.
    acronyms: BTreeMap<String, &'a str>,
}

fn meta<'a>(site: &'a Site, units: &[Unit], shards: &'a BTreeSet<String>) -> Meta<'a> {
    let mut kinds: Vec<_> = site.reports.iter().map(|r| r.meta.kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut authorities: Vec<&str> = site
        .reports
        .iter()
        .map(|r| r.meta.authority.as_str())
        .collect();
    authorities.sort();
    authorities.dedup();
    let mut first_unit = vec![units.len(); site.reports.len()];
    for (i, u) in units.iter().enumerate().rev() {
        first_unit[u.report] = i;
    }
    let reports = site
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                kinds.iter().position(|k| *k == r.meta.kind).unwrap_or(0),
                r.meta.date.chars().take(4).collect(),
                authorities
                    .iter()
                    .position(|a| *a == r.meta.authority)
                    .unwrap_or(0),
                first_unit[i],
            )
        })
        .collect();
    let synonyms = synonym_groups(&site.themes);
    Meta {
        version: 1,
        chunk: CHUNK,
        units: units.len(),
        shards: shards.iter().collect(),
        reports,
        kinds: kinds.iter().map(|k| (k.as_str(), k.label())).collect(),
        authorities,
        themes: site
            .themes
            .iter()
            .map(|t| (t.slug.as_str(), t.short.as_str(), t.title.as_str()))
            .collect(),
        synonyms,
        acronyms: site
            .themes
            .iter()
            .flat_map(|t| {
                t.terms
                    .acronyms
                    .iter()
                    .map(move |a| (a.to_lowercase(), t.slug.as_str()))
            })
            .collect(),
    }
}

/// Each theme's title and phrases, for the fallback search on a theme (loaded only then).
fn theme_phrases(themes: &[crate::model::Theme]) -> BTreeMap<&str, (&str, &[String])> {
    themes
        .iter()
        .map(|t| {
            (
                t.slug.as_str(),
                (t.title.as_str(), t.terms.phrases.as_slice()),
            )
        })
        .collect()
}

/// Acronyms and their expansions, from the themes: a phrase is an acronym's expansion when the
/// initials of its words spell it (`CSE` ↔ `child sexual exploitation`; `CAMHS` ↔ `child and
/// adolescent mental health services`). Other phrases of a theme are related, not the same, so
/// they are left to the theme filter rather than widening every search.
fn synonym_groups(themes: &[crate::model::Theme]) -> Vec<Vec<String>> {
    let mut groups = Vec::new();
    for theme in themes {
        for acronym in &theme.terms.acronyms {
            let wanted = acronym.to_lowercase();
            let mut group = vec![wanted.clone()];
            for phrase in &theme.terms.phrases {
                if initials(phrase) == wanted {
                    group.push(phrase.to_lowercase());
                }
            }
            if group.len() > 1 {
                groups.push(group);
            }
        }
    }
    groups
}

/// First letters of a phrase's words, leaving out the small words acronyms skip.
fn initials(phrase: &str) -> String {
    tokens::words(phrase)
        .filter(|w| !matches!(w.as_str(), "and" | "of" | "for" | "the" | "in"))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Wrap data as a script that hands it to the search client.
fn script(name: &str, data: &impl Serialize) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    format!("FindingsSearch.load({:?},{json});\n", name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        FrontMatter, Paragraph, Recommendation, RecommendationKind, ReportKind, Section, Source,
        Theme, ThemeTerms,
    };

    fn site() -> Site {
        let para = |anchor: &str, text: &str| Paragraph {
            anchor: anchor.into(),
            number: None,
            text: text.into(),
            themes: vec!["cse".into()],
            bullet: false,
            line: 1,
        };
        let report = Report {
            meta: FrontMatter {
                slug: "2015-03-t-ofsted-inspection".into(),
                title: "Inspection".into(),
                kind: ReportKind::OfstedInspectionReport,
                authority: "Testshire".into(),
                date: "2015-03-01".into(),
                date_inferred: None,
                inspection_dates: None,
                period: None,
                framework: None,
                judgements: vec![],
                inspectors: vec![],
                source: Source::default(),
                contains: vec![],
                recommendations: vec![Recommendation {
                    id: "r-1".into(),
                    kind: RecommendationKind::Inspection,
                    group: Some("Help".into()),
                    text: "Ensure foster carers have training in child sexual exploitation.".into(),
                    paragraph: Some("p-8".into()),
                    themes: vec!["cse".into()],
                    quoted_from: None,
                }],
                links: vec![],
            },
            sections: vec![Section {
                heading: Some("Help and protection".into()),
                anchor: Some("help".into()),
                level: 2,
                paragraphs: vec![
                    para("p-8", "Ensure foster carers have training."),
                    para(
                        "p-9",
                        "Children who are exploited are helped <b>quickly</b>.",
                    ),
                ],
            }],
            footnotes: vec![],
            path: "x.md".into(),
            link_lines: vec![],
        };
        Site {
            reports: vec![report],
            themes: vec![Theme {
                slug: "cse".into(),
                title: "Child sexual exploitation".into(),
                short: "CSE".into(),
                description: "d".into(),
                terms: ThemeTerms {
                    phrases: vec!["child sexual exploitation".into()],
                    acronyms: vec!["CSE".into()],
                    ..ThemeTerms::default()
                },
                related: vec![],
            }],
            links: vec![],
        }
    }

    fn file<'a>(index: &'a SearchIndex, name: &str) -> &'a str {
        &index
            .files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .1
    }

    #[test]
    fn units_are_recommendations_then_paragraphs_not_holding_one() {
        let index = build(&site());
        let docs = file(&index, "search/docs/0.js");
        assert!(docs.contains("\"r-1\"") && docs.contains("\"p-9\""));
        assert!(
            !docs.contains("\"p-8\""),
            "paragraph holding r-1 is not a second result"
        );
    }

    #[test]
    fn stems_join_inflections_and_synonyms_are_listed() {
        let index = build(&site());
        let shard = file(&index, "search/terms/e.js");
        assert!(shard.contains("\"exploited\":\"exploit\""), "{shard}");
        assert!(shard.contains("\"exploitation\":\"exploit\""), "{shard}");
        let meta = file(&index, "search/meta.js");
        assert!(
            meta.contains("[\"cse\",\"child sexual exploitation\"]"),
            "{meta}"
        );
    }

    #[test]
    fn index_is_deterministic_and_script_wrapped() {
        let a = build(&site()).files;
        let b = build(&site()).files;
        assert_eq!(a, b);
        assert!(
            a.iter()
                .all(|(_, text)| text.starts_with("FindingsSearch.load("))
        );
    }

    #[test]
    fn large_shards_split_by_longer_prefix() {
        let words: Vec<String> = (0..3000).map(|i| format!("ca{i:05}x")).collect();
        let names = shard_names(words.iter(), &|w| w.len() * 4);
        assert!(names.len() > 1, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("ca")));
        for w in &words {
            assert!(shard_of(w, &names).is_some());
        }
    }
}

#[cfg(test)]
mod synonym_tests {
    use super::*;
    use crate::model::{Theme, ThemeTerms};

    #[test]
    fn only_expansions_of_acronyms_are_synonyms() {
        let theme = Theme {
            slug: "mental-health".into(),
            title: "Mental health".into(),
            short: "Mental health".into(),
            description: "d".into(),
            terms: ThemeTerms {
                phrases: vec![
                    "child and adolescent mental health services".into(),
                    "emotional wellbeing".into(),
                ],
                acronyms: vec!["CAMHS".into()],
                ..ThemeTerms::default()
            },
            related: vec![],
        };
        assert_eq!(
            synonym_groups(&[theme]),
            vec![vec![
                "camhs".to_string(),
                "child and adolescent mental health services".to_string()
            ]]
        );
    }
}
