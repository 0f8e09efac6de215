//! Phrase lists: `search/phrases/<words>.js` holds, for each phrase of several words that a theme
//! names, the units where it stands and its words' term weights there. An acronym's expansion
//! (`CSE` → `child sexual exploitation`) and the theme fallback (`MASH`) read these instead of
//! the shards and places of every word: "child" alone is a third of a megabyte.

use std::borrow::Cow;
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

/// A stem's postings and places as written, with how many units they name. They are read as
/// each phrase walks them rather than decoded once and held: decoded, the lists of the stems of
/// the themes' phrases took half a gigabyte at 10,000 reports.
pub struct StemLists<'a> {
    postings: Cow<'a, str>,
    /// `None` when the stem stands only as stop words: no places at all.
    places: Option<Cow<'a, str>>,
    units: usize,
}

impl<'a> StemLists<'a> {
    /// A stem's encoded posting list and places (`None`: it stands only as stop words). A
    /// damaged posting list counts as empty.
    pub fn new(postings: Cow<'a, str>, places: Option<Cow<'a, str>>) -> StemLists<'a> {
        let mut read = encode::Postings::new(&postings);
        let units = read.by_ref().count();
        if read.damaged {
            return StemLists {
                postings: Cow::Borrowed(""),
                places,
                units: 0,
            };
        }
        StemLists {
            postings,
            places,
            units,
        }
    }

    /// Each posting with the stem's places in that unit as written (none when it stands there
    /// only as stop words).
    fn walk(&self) -> impl Iterator<Item = (Address, u8, &str)> {
        let mut runs = encode::UnitRuns::new(self.places.as_deref().unwrap_or_default());
        encode::Postings::new(&self.postings)
            .map(move |(at, weight)| (at, weight, runs.next().unwrap_or_default()))
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
            let places = Some(Cow::Borrowed(places[id as usize].as_str()));
            let postings = Cow::Borrowed(postings[id as usize].as_str());
            (id, StemLists::new(postings, places))
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
            .map(|(_, l, _)| l.map_or(0, |l| l.units))
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
        .min_by_key(|&j| found[j].units)
        .unwrap_or(0);
    let mut walks: Vec<_> = found.iter().map(|l| l.walk()).collect();
    let mut heads: Vec<Option<(Address, u8, &str)>> = walks.iter_mut().map(|w| w.next()).collect();
    let mut weights = vec![0u8; found.len()];
    let mut runs = vec![""; found.len()];
    'units: while let Some((at, weight, run)) = heads[lead] {
        heads[lead] = walks[lead].next();
        weights[lead] = weight;
        runs[lead] = run;
        for j in 0..found.len() {
            if j == lead {
                continue;
            }
            while heads[j].is_some_and(|(a, _, _)| a < at) {
                heads[j] = walks[j].next();
            }
            match heads[j] {
                Some((a, w, run)) if a == at => {
                    weights[j] = w;
                    runs[j] = run;
                }
                Some(_) => continue 'units,
                // No more units hold this word, so none can hold the phrase.
                None => break 'units,
            }
        }
        if !stands_in_order(&runs, &offsets) {
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

/// Whether, in one unit, each content word `j` (its places there written as `runs[j]`) stands
/// at the first one's place plus `offsets[j] - offsets[0]`.
fn stands_in_order(runs: &[&str], offsets: &[u32]) -> bool {
    let places: Vec<encode::UnitPlaces> = runs
        .iter()
        .map(|run| encode::read_places(run).unwrap_or_default())
        .collect();
    places[0].unit(0).iter().any(|&p| {
        (1..places.len()).all(|j| {
            let want = p + offsets[j] - offsets[0];
            places[j].unit(0).binary_search(&want).is_ok()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stem's lists from (address, weight, places) per unit.
    fn lists(units: &[(Address, u8, &[u32])]) -> StemLists<'static> {
        let postings = encode::postings(units.iter().map(|&(at, w, _)| (at, w)));
        let mut places = String::new();
        for (_, _, at) in units {
            encode::push_places(&mut places, at);
        }
        StemLists::new(Cow::Owned(postings), Some(Cow::Owned(places)))
    }

    #[test]
    fn a_phrase_stands_where_its_words_follow_on_in_one_unit() {
        let child = lists(&[
            ((0, 0), 9, &[3]),
            ((0, 1), 8, &[4, 10]),
            ((1, 0), 7, &[0]),
            ((2, 3), 6, &[2]),
            ((2, 4), 5, &[1]),
        ]);
        let exploitation = lists(&[
            ((0, 1), 20, &[11]),
            ((2, 3), 21, &[4]),
            ((2, 4), 22, &[9]),
            ((3, 0), 23, &[1]),
        ]);
        let by_id = BTreeMap::from([(0, child), (1, exploitation)]);
        let stem_of = |w: &str| match w {
            "child" => Some(0),
            "exploitation" => Some(1),
            _ => None,
        };
        let forms = BTreeMap::from([(0, vec!["child"]), (1, vec!["exploitation"])]);
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let found = |phrase: &str| {
            let list = phrase_list(&words(phrase), &stem_of, &by_id, &forms);
            (list.d, list.s, list.u)
        };
        // The units as a phrase list writes them: each address, then each word's weight.
        let written = |units: &[(Address, &[u8])]| {
            let mut out = String::new();
            let mut prev = None;
            for &(at, weights) in units {
                encode::push_address(&mut out, prev, at);
                for &w in weights {
                    out.push(encode::ALPHABET[usize::from(w)] as char);
                }
                prev = Some(at);
            }
            out
        };
        // Next to each other only in unit (0, 1): 10 then 11.
        let (d, s, units) = found("child exploitation");
        assert_eq!(d, [5, 4]);
        assert_eq!(s, [vec!["child"], vec!["exploitation"]]);
        assert_eq!(units, written(&[((0, 1), &[8, 20])]));
        // A stop word between takes any word: 2 then 4 in unit (2, 3).
        assert_eq!(
            found("child of exploitation").2,
            written(&[((2, 3), &[6, 21])])
        );
        // No unit has "exploitation" just before "child".
        assert!(found("exploitation child").2.is_empty());
        // A word no unit holds: no units, and no length for it.
        let (d, _, units) = found("child neglect");
        assert_eq!(d, [5, 0]);
        assert!(units.is_empty());
    }
}
