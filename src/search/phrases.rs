//! Phrase lists: `search/phrases/<words>.js` holds, for each phrase of several words that a theme
//! names, the units where it stands and its words' term weights there. An acronym's expansion
//! (`CSE` → `child sexual exploitation`) and the theme fallback (`MASH`) read these instead of
//! the shards and places of every word: "child" alone is a third of a megabyte.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;

use super::encode::{self, Address};
use super::tokens;
use super::vocabulary::Vocabulary;
use crate::model::Theme;

/// One phrase's file: per content word (stop words left out, as the browser leaves them), its
/// stem's number of units (for IDF) and its written forms (for highlighting); then the units
/// where the phrase stands, each an address followed by one weight character per content word.
#[derive(Serialize)]
struct PhraseList<'a> {
    d: Vec<usize>,
    s: Vec<Vec<&'a str>>,
    u: String,
}

/// A stem's postings and places, decoded once however many phrases use it.
pub struct StemLists {
    postings: Vec<(Address, u8)>,
    /// `None` when the stem stands only as stop words: no places at all.
    places: Option<encode::UnitPlaces>,
}

impl StemLists {
    /// A stem's encoded posting list and places (`None`: it stands only as stop words).
    pub fn decode(postings: &str, places: Option<&str>) -> StemLists {
        let postings = encode::read_postings(postings).unwrap_or_default();
        let places = places.map(|p| encode::read_places(p).unwrap_or_default());
        StemLists { postings, places }
    }
}

/// The phrases that get a list: each theme phrase of two words or more, as its words.
pub fn of_themes(themes: &[Theme]) -> BTreeSet<Vec<String>> {
    themes
        .iter()
        .flat_map(|t| &t.terms.phrases)
        .map(|p| tokens::words(p).map(|w| w.into_owned()).collect::<Vec<_>>())
        .filter(|w| w.len() > 1 && w.iter().any(|w| !tokens::is_stop(w)))
        .collect()
}

/// The words of a phrase its list gives weights for (stop words are left out).
pub fn content_words(words: &[String]) -> impl Iterator<Item = &String> {
    words.iter().filter(|w| !tokens::is_stop(w))
}

/// The file of the phrase `words`, under the output folder.
pub fn path(words: &[String]) -> String {
    format!("search/phrases/{}.js", file_name(words))
}

/// The file of the phrase `words`: `stem_of` numbers a word's stem, `lists` holds each numbered
/// stem's lists and `forms` its words as written.
pub fn text(
    words: &[String],
    stem_of: &dyn Fn(&str) -> Option<u32>,
    lists: &BTreeMap<u32, StemLists>,
    forms: &BTreeMap<u32, Vec<&str>>,
) -> String {
    let list = phrase_list(words, stem_of, lists, forms);
    super::script(&format!("phrases/{}", file_name(words)), &list)
}

/// Write a phrase list for each theme phrase of two words or more; returns how many files.
pub fn write(
    vocabulary: &Vocabulary,
    postings: &[String],
    places: &[String],
    themes: &[Theme],
    sink: super::Sink,
) -> Result<usize, crate::error::Diagnostic> {
    let phrases = of_themes(themes);
    let stem_of = |word: &str| -> Option<u32> {
        let at = vocabulary
            .surfaces
            .binary_search_by(|(w, _, _)| w.as_str().cmp(word))
            .ok()?;
        Some(vocabulary.surfaces[at].1)
    };
    let wanted: BTreeSet<u32> = phrases
        .iter()
        .flat_map(|p| content_words(p))
        .filter_map(|w| stem_of(w))
        .collect();
    let lists: BTreeMap<u32, StemLists> = wanted
        .par_iter()
        .map(|&id| {
            let places = Some(places[id as usize].as_str());
            (id, StemLists::decode(&postings[id as usize], places))
        })
        .collect();
    let mut forms: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for (word, id, _) in &vocabulary.surfaces {
        if lists.contains_key(id) {
            forms.entry(*id).or_default().push(word);
        }
    }
    let phrases: Vec<&Vec<String>> = phrases.iter().collect();
    phrases
        .par_iter()
        .try_for_each(|words| sink.write(&path(words), &text(words, &stem_of, &lists, &forms)))?;
    Ok(phrases.len())
}

/// A phrase's file name: its words, each with any character but a letter or digit as `_<hex>`
/// (as shard names are), joined by `-`.
pub fn file_name(words: &[String]) -> String {
    let parts: Vec<String> = words.iter().map(|w| super::shards::file_name(w)).collect();
    parts.join("-")
}

/// The units where `words` stand in order (a stop word's place takes any word, as its places
/// are not indexed), with the content words' weights; empty when a content word is unknown.
fn phrase_list<'a>(
    words: &[String],
    stem_of: &dyn Fn(&str) -> Option<u32>,
    lists: &BTreeMap<u32, StemLists>,
    forms: &BTreeMap<u32, Vec<&'a str>>,
) -> PhraseList<'a> {
    let content: Vec<(usize, Option<&StemLists>, Option<u32>)> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| !tokens::is_stop(w))
        .map(|(k, w)| {
            let id = stem_of(w);
            (k, id.and_then(|id| lists.get(&id)), id)
        })
        .collect();
    let mut out = PhraseList {
        d: content
            .iter()
            .map(|(_, l, _)| l.map_or(0, |l| l.postings.len()))
            .collect(),
        s: content
            .iter()
            .map(|(_, _, id)| {
                id.and_then(|id| forms.get(&id))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect(),
        u: String::new(),
    };
    let Some(found): Option<Vec<&StemLists>> = content.iter().map(|(_, l, _)| *l).collect() else {
        return out;
    };
    let offsets: Vec<u32> = content.iter().map(|(k, _, _)| *k as u32).collect();
    let mut prev = None;
    // Walk the shortest list's units, finding each in the others' lists (all are ascending): a
    // phrase's rarest word bounds where it can stand, and "child" alone lists most units.
    let lead = (0..found.len())
        .min_by_key(|&j| found[j].postings.len())
        .unwrap_or(0);
    let mut cursors = vec![0usize; found.len()];
    let mut weights = vec![0u8; found.len()];
    let mut rows = vec![0usize; found.len()];
    'units: for (i, &(at, weight)) in found[lead].postings.iter().enumerate() {
        weights[lead] = weight;
        rows[lead] = i;
        for (j, lists) in found.iter().enumerate() {
            if j == lead {
                continue;
            }
            let c = &mut cursors[j];
            *c += lists.postings[*c..].partition_point(|p| p.0 < at);
            match lists.postings.get(*c) {
                Some(&(a, w)) if a == at => {
                    weights[j] = w;
                    rows[j] = *c;
                }
                _ => continue 'units,
            }
        }
        if !stands_in_order(&found, &rows, &offsets) {
            continue;
        }
        encode::push_address(&mut out.u, prev, at);
        for &w in &weights {
            out.u.push(encode::ALPHABET[usize::from(w.min(63))] as char);
        }
        prev = Some(at);
    }
    out
}

/// Whether, in one unit (row `rows[j]` of word `j`'s lists), each content word `j` stands at the
/// first one's place plus `offsets[j] - offsets[0]`.
fn stands_in_order(found: &[&StemLists], rows: &[usize], offsets: &[u32]) -> bool {
    let places = |j: usize| {
        found[j]
            .places
            .as_ref()
            .map_or(&[][..], |p| p.unit(rows[j]))
    };
    places(0).iter().any(|&p| {
        (1..found.len()).all(|j| {
            let want = p + offsets[j] - offsets[0];
            places(j).binary_search(&want).is_ok()
        })
    })
}
