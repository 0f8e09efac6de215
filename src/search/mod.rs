//! Search: the in-browser search index, built in the same pass as the pages. The index is split so
//! a query downloads only the word shards and text chunks it needs; `static/search.js` reads it.
//!
//! Files (all JavaScript that calls `FindingsSearch.load(name, data)`, so they load as scripts
//! from `file://` too, where `fetch` of local files is blocked):
//! - `search/meta.js`: shard names, reports' facets, themes, synonyms (small, loaded first);
//! - `search/terms/<prefix>.js`: the words starting with a prefix (as long as keeps it small), their
//!   stems and postings with BM25 term weights (`shards.rs`); the browser adds IDF from the lists'
//!   lengths and the number of units in `meta.js`;
//! - `search/places/<prefix>.js`: each of those stems' word places in each unit, loaded only to
//!   check a phrase, so a phrase is checked without any text;
//! - `search/docs/<doc>-<part>.js`: the text of one document's units, fetched only for the
//!   results shown, for their snippets (`chunks.rs`);
//! - `search/phrases/<words>.js`: for each theme phrase of several words, the units where it
//!   stands and its words' weights there (`phrases.rs`), so an acronym's expansion or a theme
//!   fallback needs neither the shards nor the places of common words like "child";
//! - `search/facets.js`: which units each theme tags, for theme filter counts;
//! - `search/themes.js`: each theme's phrases, for an acronym that no text uses (`MASH`).
//!
//! A unit is addressed by its document's number (oldest first, so a new report is usually added
//! at the end) and its place in the document, and nothing in a shard or chunk depends on figures
//! of the whole archive: when one report changes, only the files holding its words or text do.

mod chunks;
pub mod encode;
mod phrases;
mod shards;
pub mod tokens;
mod update;
mod vocabulary;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Diagnostic;
use crate::model::{Report, Site, Theme};
use crate::site::cache::{Entries, Previous};
use vocabulary::Vocabulary;

/// The index as files to write under the output folder.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// (path relative to the output folder, contents), sorted by path.
    pub files: Vec<(String, String)>,
}

/// A paragraph or recommendation as the search sees it.
struct Unit<'a> {
    report: usize,
    /// The document's number: reports oldest first.
    doc: u32,
    /// The unit's place within its document.
    index: u32,
    anchor: &'a str,
    heading: Cow<'a, str>,
    /// The unit's Markdown, made plain text (`text`) only when first needed: a rebuild needs
    /// only the changed reports' text, not all of the archive's.
    markdown: &'a str,
    plain: std::sync::OnceLock<Cow<'a, str>>,
    themes: &'a [String],
}

impl Unit<'_> {
    /// The unit's plain text (`tokens::plain_text`), made once.
    fn text(&self) -> &str {
        self.plain.get_or_init(|| tokens::plain_text(self.markdown))
    }
}

/// Build the index for `site`.
pub fn build(site: &Site) -> SearchIndex {
    let keys = vec![0; site.reports.len()];
    build_reusing(site, &keys, &Previous::default(), &mut |_| {})
}

/// Where the index's files go as they are made.
pub trait Output: Sync {
    /// Write `text` at `path` under the output folder.
    fn write(&self, path: &str, text: &str) -> Result<(), Diagnostic>;
    /// Keep the earlier build's file at `path` as this build's; false when there is none.
    fn keep(&self, _path: &str) -> bool {
        false
    }
    /// The earlier build's file at `path`, when this build updates one.
    fn earlier(&self, _path: &str) -> Option<String> {
        None
    }
    /// Whether the earlier build this one updates has a file at `path`.
    fn has_earlier(&self, _path: &str) -> bool {
        false
    }
}

impl<F: Fn(&str, &str) -> Result<(), Diagnostic> + Sync> Output for F {
    fn write(&self, path: &str, text: &str) -> Result<(), Diagnostic> {
        self(path, text)
    }
}

impl Output for crate::render::output::Staging {
    fn write(&self, path: &str, text: &str) -> Result<(), Diagnostic> {
        crate::render::output::Staging::write(self, path, text)
    }

    fn keep(&self, path: &str) -> bool {
        if self.updating() {
            crate::render::output::Staging::keep(self, path);
        }
        self.updating()
    }

    fn earlier(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(crate::render::output::Staging::earlier(self, path)?).ok()
    }

    fn has_earlier(&self, path: &str) -> bool {
        crate::render::output::Staging::earlier(self, path).is_some_and(|p| p.is_file())
    }
}

/// Where the index's files go, as `write_reusing` takes it.
pub type Sink<'s> = &'s dyn Output;

/// `write_reusing`, with the files gathered and sorted by path instead of handed on.
pub fn build_reusing<'p>(
    site: &Site,
    keys: &[u64],
    previous: &'p Previous,
    keep: &mut dyn FnMut(Entries<'p>),
) -> SearchIndex {
    let files = std::sync::Mutex::new(Vec::new());
    let gather = |path: &str, text: &str| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), text.to_string()));
        Ok(())
    };
    // Gathering in memory cannot fail.
    let _ = write_reusing(&site.reports, &site.themes, keys, previous, keep, &gather);
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    SearchIndex { files }
}

/// Whether the index of reports with load keys `keys` will be updated in place from `previous`
/// (few reports changed) rather than made afresh: a cheap guess, for planning the build.
pub fn updates_in_place(keys: &[u64], previous: &Previous) -> bool {
    can_update(previous)
        && keys.iter().filter(|&&k| !previous.contains(k)).count() <= update::MOST_CHANGED
}

/// Whether `previous` holds a whole earlier index that a rebuild could update.
pub fn can_update(previous: &Previous) -> bool {
    previous.contains(update::state_key())
}

/// Build the index for `reports` (tagged with `themes`) and hand each file to `sink` as soon as
/// it is made, so the index is never held whole. The words of each report whose key (`keys`, by
/// report) is in `previous` are taken from there; each report's entry for the next cache is
/// handed to `keep`. Returns how many files were made.
pub fn write_reusing<'p>(
    reports: &[Report],
    themes: &[Theme],
    keys: &[u64],
    previous: &'p Previous,
    keep: &mut dyn FnMut(Entries<'p>),
    sink: Sink,
) -> Result<usize, Diagnostic> {
    crate::trace::point("search: begins");
    let units = collect_units(reports);
    let docs = update::documents(&units, keys);
    crate::trace::point("search: units listed");
    // The theme facets list every unit, on one core: they are made beside the word index, which
    // in a rebuild mostly waits on files.
    let (indexed, facets) = std::thread::scope(|scope| {
        let facets = scope.spawn(|| script("facets", &theme_facets(&units)));
        let indexed = match update::try_update(&units, keys, &docs, themes, previous, keep, sink) {
            Ok(Some(updated)) => Ok(updated),
            Ok(None) => write_shards(&units, keys, &docs, themes, previous, keep, sink),
            Err(e) => Err(e),
        };
        (indexed, facets.join())
    });
    let (shard_files, shard_names) = indexed?;
    let facets = facets.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    crate::trace::point("search: word index done");
    let (chunk_files, entries) = chunks::write(&units, reports, keys, previous, sink)?;
    crate::trace::point("search: document chunks written");
    keep(entries);
    sink.write("search/facets.js", &facets)?;
    sink.write(
        "search/themes.js",
        &script("themes", &theme_phrases(themes)),
    )?;
    let meta = meta(reports, themes, units.len(), &shard_names);
    sink.write("search/meta.js", &script("meta", &meta))?;
    Ok(shard_files + chunk_files + 3)
}

/// Cut every unit into words and write every word shard, places file and phrase list; returns
/// the number of those files and the shards' names.
fn write_shards<'p>(
    units: &[Unit],
    keys: &[u64],
    docs: &[update::Doc],
    themes: &[crate::model::Theme],
    previous: &'p Previous,
    keep: &mut dyn FnMut(Entries<'p>),
    sink: Sink,
) -> Result<(usize, BTreeSet<String>), Diagnostic> {
    // Cache entries are handed on a batch of reports at a time, so they are not held with the lists.
    let (vocabulary, (postings, places)) = Vocabulary::index(units, keys, previous, keep);
    crate::trace::point("search: posting lists made");
    let (files, names) = shards::write(&vocabulary, &postings, &places, sink)?;
    crate::trace::point("search: shards written");
    let phrase_files = phrases::write(&vocabulary, &postings, &places, themes, sink)?;
    crate::trace::point("search: phrase lists written");
    let state = update::encode_state(docs, &vocabulary, &postings, &names);
    crate::trace::point("search: record for rebuilds made");
    keep(vec![(update::state_key(), Cow::Owned(state))]);
    Ok((files + phrase_files, names))
}

/// Per report, recommendations first, then the paragraphs that do not merely hold a
/// recommendation; documents in order (reports oldest first), each document's units together.
///
/// Made one after another straight into one list sized once (a few milliseconds at 1,000
/// reports). Made per report in parallel and then gathered, the units were held twice over
/// (22 MB each at 1,000 reports), and fresh memory is dear: the kernel zeroes every new page.
fn collect_units(reports: &[Report]) -> Vec<Unit<'_>> {
    // At most the held paragraphs (one a recommendation, a few hundred at 1,000 reports) too many.
    let most: usize = reports
        .iter()
        .map(|r| {
            let paragraphs: usize = r.sections.iter().map(|s| s.paragraphs.len()).sum();
            r.meta.recommendations.len() + paragraphs
        })
        .sum();
    let mut all = Vec::with_capacity(most);
    for (ri, report) in reports.iter().enumerate().rev() {
        report_units(ri, (reports.len() - 1 - ri) as u32, report, &mut all);
    }
    all
}

/// Add the units of report `ri`, document `doc`, to `units`.
fn report_units<'a>(ri: usize, doc: u32, report: &'a Report, units: &mut Vec<Unit<'a>>) {
    let held: BTreeSet<&str> = report
        .meta
        .recommendations
        .iter()
        .filter_map(|r| r.paragraph.as_deref())
        .collect();
    let mut index = 0;
    for rec in &report.meta.recommendations {
        let number = rec.id.trim_start_matches("r-");
        let heading = match &rec.group {
            Some(g) => format!("Recommendation {number}: {g}"),
            None => format!("Recommendation {number}"),
        };
        units.push(Unit {
            report: ri,
            doc,
            index,
            anchor: &rec.id,
            heading: Cow::Owned(heading),
            markdown: &rec.text,
            plain: Default::default(),
            themes: &rec.themes,
        });
        index += 1;
    }
    for section in &report.sections {
        let heading = section.heading.as_deref().unwrap_or_default();
        for p in &section.paragraphs {
            if held.contains(p.anchor.as_str()) {
                continue;
            }
            units.push(Unit {
                report: ri,
                doc,
                index,
                anchor: &p.anchor,
                heading: Cow::Borrowed(heading),
                markdown: &p.text,
                plain: Default::default(),
                themes: &p.themes,
            });
            index += 1;
        }
    }
}

fn is_recommendation(unit: &Unit) -> bool {
    unit.anchor.starts_with("r-")
}

fn theme_facets<'a>(units: &[Unit<'a>]) -> BTreeMap<&'a str, String> {
    // Themes are few and tags many: a tag's list is found by hashing its slug rather than by
    // comparing it along a tree.
    let mut index: rustc_hash::FxHashMap<&str, usize> = Default::default();
    let mut by_theme: Vec<(&str, Vec<encode::Address>)> = Vec::new();
    for u in units {
        for t in u.themes {
            let i = *index.entry(t).or_insert_with(|| {
                by_theme.push((t, Vec::new()));
                by_theme.len() - 1
            });
            by_theme[i].1.push((u.doc, u.index));
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
    /// Units per text chunk.
    part: usize,
    /// How many units there are, for IDF.
    units: usize,
    shards: Vec<&'a String>,
    /// Per document (reports oldest first): kind index, year, authority index.
    reports: Vec<(usize, String, usize)>,
    kinds: Vec<(&'static str, &'static str)>,
    authorities: Vec<&'a str>,
    themes: Vec<(&'a str, &'a str, &'a str)>,
    /// Groups of words and phrases that mean the same (acronyms and their expansions).
    synonyms: Vec<Vec<String>>,
    /// Acronym (lower case) → the theme it marks, for a search whose acronym no text uses.
    acronyms: BTreeMap<String, &'a str>,
}

fn meta<'a>(
    reports: &'a [Report],
    themes: &'a [Theme],
    units: usize,
    shards: &'a BTreeSet<String>,
) -> Meta<'a> {
    let mut kinds: Vec<_> = reports.iter().map(|r| r.meta.kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut authorities: Vec<&str> = reports.iter().map(|r| r.meta.authority.as_str()).collect();
    authorities.sort();
    authorities.dedup();
    let reports = reports
        .iter()
        .rev()
        .map(|r| {
            (
                kinds.iter().position(|k| *k == r.meta.kind).unwrap_or(0),
                r.meta.date.chars().take(4).collect(),
                authorities
                    .iter()
                    .position(|a| *a == r.meta.authority)
                    .unwrap_or(0),
            )
        })
        .collect();
    let synonyms = synonym_groups(themes);
    Meta {
        version: 2,
        part: chunks::PART_UNITS,
        units,
        shards: shards.iter().collect(),
        reports,
        kinds: kinds.iter().map(|k| (k.as_str(), k.label())).collect(),
        authorities,
        themes: themes
            .iter()
            .map(|t| (t.slug.as_str(), t.short.as_str(), t.title.as_str()))
            .collect(),
        synonyms,
        acronyms: themes
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
        .filter(|w| !matches!(&**w, "and" | "of" | "for" | "the" | "in"))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Wrap data as a script that hands it to the search client.
fn script(name: &str, data: &impl Serialize) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    script_with(name, json.len(), |out| out.push_str(&json))
}

/// `script` for data that `write_json` writes as JSON straight into the script, about `len`
/// bytes of it.
fn script_with(name: &str, len: usize, write_json: impl FnOnce(&mut String)) -> String {
    let mut out = String::with_capacity(len + name.len() + 32);
    out.push_str(&format!("FindingsSearch.load({name:?},"));
    write_json(&mut out);
    out.push_str(");\n");
    out
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
            plain: false,
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
        let docs = file(&index, "search/docs/0-0.js");
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
    fn a_theme_phrase_lists_the_units_where_it_stands_in_order() {
        let mut one = site();
        let paragraphs = &mut one.reports[0].sections[0].paragraphs;
        // The same words out of order are not the phrase.
        paragraphs[1].text = "Sexual exploitation of a child is rare.".into();
        let index = build(&one);
        let list = file(&index, "search/phrases/child-sexual-exploitation.js");
        // Only r-1 (document 0, place 0: `x`, `w`), then one weight character a word.
        let u = list
            .split("\"u\":\"")
            .nth(1)
            .and_then(|u| u.split('"').next());
        assert_eq!(u, Some("xwBBB"), "{list}");
        assert!(list.contains("\"d\":[2,2,2]"), "{list}");
        assert!(list.contains("\"exploitation\""), "{list}");
    }

    #[test]
    fn word_places_are_beside_the_shards_not_in_them() {
        let index = build(&site());
        let shard = file(&index, "search/terms/e.js");
        assert!(!shard.contains("\"x\""), "{shard}");
        let places = file(&index, "search/places/e.js");
        assert!(places.contains("\"exploit\":\"OE\""), "{places}");
    }

    #[test]
    fn units_come_oldest_document_first_recommendations_first_without_held_paragraphs() {
        let two = two_reports();
        let units = collect_units(&two.reports);
        let seen: Vec<(usize, u32, u32, &str)> = units
            .iter()
            .map(|u| (u.report, u.doc, u.index, u.anchor))
            .collect();
        // Report 1 is the older; p-8 holds r-1 and is not a unit of its own.
        assert_eq!(
            seen,
            [
                (1, 0, 0, "r-1"),
                (1, 0, 1, "p-9"),
                (0, 1, 0, "r-1"),
                (0, 1, 1, "p-9")
            ]
        );
        assert_eq!(units[0].heading, "Recommendation 1: Help");
        assert_eq!(units[1].heading, "Help and protection");
        assert!(
            units.capacity() - units.len() <= 2,
            "sized once, near enough"
        );
    }

    /// `site()` with a newer report before it, which shares all but one paragraph's text.
    fn two_reports() -> Site {
        let mut two = site();
        let mut other = two.reports[0].clone();
        other.meta.slug = "2016-01-t-council-report".into();
        other.sections[0].paragraphs[1].text = "Leaders know their services well.".into();
        two.reports.insert(0, other);
        two
    }

    #[test]
    fn an_index_is_planned_as_updated_in_place_only_after_a_build_and_few_changes() {
        let two = two_reports();
        let none = Previous::default();
        assert!(!updates_in_place(&[1, 2], &none), "no earlier build");
        let mut entries = Vec::new();
        build_reusing(&two, &[1, 2], &none, &mut |e| entries.extend(e));
        let (_dir, previous) = crate::site::cache::previous_of(&entries);
        assert!(updates_in_place(&[1, 2], &previous), "nothing changed");
        assert!(updates_in_place(&[3, 2], &previous), "one report changed");
        let many: Vec<u64> = (100..100 + update::MOST_CHANGED as u64 + 1).collect();
        assert!(
            !updates_in_place(&many, &previous),
            "more than a few changed"
        );
        // Without the record of the earlier shards, the index is made afresh.
        let words_only: Vec<_> = entries
            .iter()
            .filter(|(k, _)| *k != update::state_key())
            .cloned()
            .collect();
        let (_dir, words) = crate::site::cache::previous_of(&words_only);
        assert!(!updates_in_place(&[1, 2], &words));
    }

    #[test]
    fn an_index_from_cached_words_equals_a_fresh_one() {
        let mut two = two_reports();
        let none = Previous::default();
        let mut entries = Vec::new();
        let fresh = build_reusing(&two, &[1, 2], &none, &mut |e| entries.extend(e));
        let (_dir, previous) = crate::site::cache::previous_of(&entries);
        two.reports[0].sections[0].paragraphs[1].text = "Exploited children are safer.".into();
        let mut reentries = Vec::new();
        let rebuilt = build_reusing(&two, &[3, 2], &previous, &mut |e| reentries.extend(e));
        assert_eq!(rebuilt.files, build(&two).files);
        assert_ne!(rebuilt.files, fresh.files);
        let reused = |key| reentries.iter().find(|e| e.0 == key).map(|e| &e.1);
        assert!(matches!(reused(2), Some(Cow::Borrowed(_))));
        assert!(matches!(reused(3), Some(Cow::Owned(_))));
    }

    #[test]
    fn a_changed_report_changes_only_the_files_of_its_words_and_text() {
        let mut two = two_reports();
        let before = build(&two).files;
        // The older report (document 0) gains a paragraph and changes one.
        let older = &mut two.reports[1].sections[0];
        older.paragraphs[1].text = "Exploited children are safer now.".into();
        let mut added = older.paragraphs[1].clone();
        added.anchor = "p-10".into();
        added.text = "Reviews happen quarterly.".into();
        older.paragraphs.push(added);
        let after = build(&two).files;
        // First letters of the words gone, changed and added, with the section heading's (the new
        // paragraph is under "Help and protection").
        let touched = "acehnpqrsw";
        let before: BTreeMap<&str, &str> = before.iter().map(|(p, t)| (&**p, &**t)).collect();
        let after: BTreeMap<&str, &str> = after.iter().map(|(p, t)| (&**p, &**t)).collect();
        let changed: BTreeSet<&str> = before
            .keys()
            .chain(after.keys())
            .filter(|p| before.get(*p) != after.get(*p))
            .copied()
            .collect();
        for path in &changed {
            let shard = path
                .strip_prefix("search/terms/")
                .or_else(|| path.strip_prefix("search/places/"));
            assert!(
                shard.is_some_and(|s| touched.contains(&s[..1]))
                    || path.starts_with("search/docs/0-")
                    || ["search/meta.js", "search/facets.js"].contains(path),
                "{path} changed: {changed:?}"
            );
        }
        assert!(changed.contains("search/docs/0-0.js"));
        assert!(!changed.contains("search/docs/1-0.js"));
        assert!(
            !changed.contains("search/terms/l.js"),
            "the newer report's words"
        );
        assert!(
            !changed.contains("search/terms/f.js"),
            "words both share, unchanged"
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
