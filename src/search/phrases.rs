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
    /// Where every `STRIDE`th posting lies, so that a phrase skips through a common word's
    /// list to the units of its rarest word: walked whole, "children"'s list (a third of all
    /// units, in a dozen phrases) was most of making the phrase lists.
    marks: Vec<Mark>,
}

/// How many postings lie from one mark to the next: a skip reads at most this many. At a mark
/// (24 bytes) a sixteen postings, the themes' phrases' two million postings at 1,000 reports
/// take 3 MB of marks.
const STRIDE: usize = 16;

/// Where one posting lies, for reading its list on from it.
#[derive(Clone, Copy)]
struct Mark {
    at: Address,
    /// The posting before it (its list's first posting has none).
    prev: Address,
    /// Its byte in the posting list.
    posting: u32,
    /// The byte in the places list where its unit's part starts; `u32::MAX` when the places
    /// list ended (or was damaged) before it.
    places: u32,
}

impl<'a> StemLists<'a> {
    /// A stem's encoded posting list and places (`None`: it stands only as stop words). A
    /// damaged posting list counts as empty.
    pub fn new(postings: Cow<'a, str>, places: Option<Cow<'a, str>>) -> StemLists<'a> {
        let mut read = encode::Postings::new(&postings);
        let mut runs = encode::UnitRuns::new(places.as_deref().unwrap_or_default());
        let mut marks = Vec::new();
        let mut units = 0;
        loop {
            let (posting, prev) = read.position();
            let part = runs.position();
            let Some((at, _)) = read.next() else { break };
            if units % STRIDE == 0 {
                let (Ok(posting), Ok(places)) = (
                    u32::try_from(posting),
                    part.map_or(Ok(u32::MAX), u32::try_from),
                ) else {
                    // Lists of 4 GB are never made; were one, it is read without skipping.
                    marks.clear();
                    units += read.by_ref().count() + 1;
                    break;
                };
                marks.push(Mark {
                    at,
                    prev: prev.unwrap_or_default(),
                    posting,
                    places,
                });
            }
            runs.next();
            units += 1;
        }
        if read.damaged {
            return StemLists {
                postings: Cow::Borrowed(""),
                places,
                units: 0,
                marks: Vec::new(),
            };
        }
        StemLists {
            postings,
            places,
            units,
            marks,
        }
    }
}

/// Where a stem's places list is being read: the part of unit number `index` is next.
struct Runs<'l> {
    lists: &'l StemLists<'l>,
    read: encode::UnitRuns<'l>,
    index: usize,
}

impl<'l> Runs<'l> {
    fn new(lists: &'l StemLists<'l>) -> Runs<'l> {
        Runs {
            lists,
            read: encode::UnitRuns::new(lists.places.as_deref().unwrap_or_default()),
            index: 0,
        }
    }

    /// The stem's places in its `i`th unit as written (none when it stands there only as stop
    /// words, or the places list is damaged before it): read on from the last one asked for
    /// when that is near, else from the mark before it.
    fn get(&mut self, i: usize) -> &'l str {
        let lists = self.lists;
        let near = i >= self.index && i - self.index < STRIDE;
        if !near && let Some(mark) = lists.marks.get(i / STRIDE) {
            if mark.places == u32::MAX {
                return "";
            }
            let places = lists.places.as_deref().unwrap_or_default();
            self.read = encode::UnitRuns::resume(places, mark.places as usize);
            self.index = i / STRIDE * STRIDE;
        } else if i < self.index {
            *self = Runs::new(lists);
        }
        let run = self.read.nth(i - self.index).unwrap_or_default();
        self.index = i + 1;
        run
    }
}

/// A place in a stem's posting list: the posting there (`None` past the end) and its number,
/// with a reader of the stem's places (which holds the lists).
struct Cursor<'l> {
    read: encode::Postings<'l>,
    head: Option<(Address, u8)>,
    index: usize,
    runs: Runs<'l>,
}

impl<'l> Cursor<'l> {
    fn new(lists: &'l StemLists<'l>) -> Cursor<'l> {
        let mut read = encode::Postings::new(&lists.postings);
        let head = read.next();
        Cursor {
            read,
            head,
            index: 0,
            runs: Runs::new(lists),
        }
    }

    fn next(&mut self) {
        self.head = self.read.next();
        self.index += 1;
    }

    /// Move on to the first posting at or after `target`, jumping to the last mark before it
    /// when that lies past the current posting's.
    fn seek(&mut self, target: Address) {
        if self.head.is_none_or(|(at, _)| at >= target) {
            return;
        }
        let lists = self.runs.lists;
        let marks = &lists.marks;
        let after = self.index / STRIDE + 1;
        if marks.get(after).is_some_and(|m| m.at <= target) {
            let k = after + marks[after..].partition_point(|m| m.at <= target) - 1;
            let mark = marks[k];
            let prev = (k > 0).then_some(mark.prev);
            self.read = encode::Postings::resume(&lists.postings, (mark.posting as usize, prev));
            self.index = k * STRIDE;
            self.head = self.read.next();
        }
        while self.head.is_some_and(|(at, _)| at < target) {
            self.next();
        }
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
    let mut cursors: Vec<Cursor> = found.iter().map(|l| Cursor::new(l)).collect();
    let mut weights = vec![0u8; found.len()];
    let mut runs = vec![""; found.len()];
    let mut places: Vec<encode::UnitPlaces> = found.iter().map(|_| Default::default()).collect();
    'units: while let Some((at, weight)) = cursors[lead].head {
        let lead_index = cursors[lead].index;
        cursors[lead].next();
        weights[lead] = weight;
        for (j, cursor) in cursors.iter_mut().enumerate() {
            if j == lead {
                continue;
            }
            cursor.seek(at);
            match cursor.head {
                Some((a, w)) if a == at => weights[j] = w,
                Some(_) => continue 'units,
                // No more units hold this word, so none can hold the phrase.
                None => break 'units,
            }
        }
        // Places are read only for a unit that holds every word.
        for (j, cursor) in cursors.iter_mut().enumerate() {
            let i = if j == lead { lead_index } else { cursor.index };
            runs[j] = cursor.runs.get(i);
        }
        if !stands_in_order(&runs, &offsets, &mut places) {
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
/// `places` is scratch space, one a word.
fn stands_in_order(runs: &[&str], offsets: &[u32], places: &mut [encode::UnitPlaces]) -> bool {
    for (run, into) in runs.iter().zip(places.iter_mut()) {
        // A damaged run leaves no places.
        let _ = encode::read_places_into(run, into);
    }
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

    #[test]
    fn skipping_through_long_lists_finds_what_walking_them_whole_finds() {
        // "child" in most units of 40 documents, "exploitation" in a few, "neglect" in none
        // past the first documents: the walk skips whole runs of marks, lands inside a run of
        // postings, reads places far apart and stops when a list ends.
        type Unit = (Address, u8, Vec<u32>);
        let mut child: Vec<Unit> = Vec::new();
        let mut exploitation: Vec<Unit> = Vec::new();
        let mut neglect: Vec<Unit> = Vec::new();
        for doc in 0..40u32 {
            for unit in 0..30u32 {
                let n = doc * 30 + unit;
                if n % 7 != 3 {
                    child.push(((doc, unit), (n % 60 + 1) as u8, vec![n % 5, n % 5 + 9]));
                }
                if n % 23 == 0 || n % 29 == 1 {
                    // Right after "child" in some units, elsewhere in others.
                    let at = if n % 2 == 0 { n % 5 + 1 } else { n % 5 + 4 };
                    exploitation.push(((doc, unit), (n % 50 + 2) as u8, vec![at]));
                }
                if doc < 3 && unit % 4 == 0 {
                    neglect.push(((doc, unit), 5, vec![n % 5 + 10]));
                }
            }
        }
        let as_lists = |units: &[Unit]| {
            let borrowed: Vec<(Address, u8, &[u32])> = units
                .iter()
                .map(|(a, w, p)| (*a, *w, p.as_slice()))
                .collect();
            lists(&borrowed)
        };
        let by_id = BTreeMap::from([
            (0, as_lists(&child)),
            (1, as_lists(&exploitation)),
            (2, as_lists(&neglect)),
        ]);
        assert!(
            by_id[&0].marks.len() > 40,
            "the long list has marks to skip by"
        );
        let stem_of = |w: &str| match w {
            "child" => Some(0),
            "exploitation" => Some(1),
            "neglect" => Some(2),
            _ => None,
        };
        let forms = BTreeMap::new();
        let by_word = BTreeMap::from([
            ("child", &child),
            ("exploitation", &exploitation),
            ("neglect", &neglect),
        ]);
        // Every unit holding all the words with each next one a place further on, by looking
        // each unit up in every list.
        let expected = |words: &[&str]| {
            let mut out = String::new();
            let mut prev = None;
            for (at, _, _) in by_word[words[0]] {
                let found: Option<Vec<&Unit>> = words
                    .iter()
                    .map(|w| by_word[w].iter().find(|(a, _, _)| a == at))
                    .collect();
                let Some(found) = found else { continue };
                let follows = found[0]
                    .2
                    .iter()
                    .any(|&p| (1..found.len()).all(|j| found[j].2.contains(&(p + j as u32))));
                if follows {
                    encode::push_address(&mut out, prev, *at);
                    for (_, w, _) in &found {
                        out.push(encode::ALPHABET[usize::from(*w)] as char);
                    }
                    prev = Some(*at);
                }
            }
            out
        };
        for phrase in [
            ["child", "exploitation"],
            ["exploitation", "child"],
            ["child", "neglect"],
            ["neglect", "child"],
        ] {
            let words: Vec<String> = phrase.iter().map(|w| w.to_string()).collect();
            let list = phrase_list(&words, &stem_of, &by_id, &forms);
            assert_eq!(list.u, expected(&phrase), "{phrase:?}");
        }
        assert!(!expected(&["child", "exploitation"]).is_empty());
        assert!(!expected(&["child", "neglect"]).is_empty());
    }

    #[test]
    fn places_are_read_at_any_unit_in_any_order_and_none_past_damage() {
        let units: Vec<(Address, u8, Vec<u32>)> = (0..100u32)
            .map(|n| ((n / 10, n % 10), 1, vec![n, n + 3]))
            .collect();
        let borrowed: Vec<(Address, u8, &[u32])> = units
            .iter()
            .map(|(a, w, p)| (*a, *w, p.as_slice()))
            .collect();
        let whole = lists(&borrowed);
        let all = encode::split_places(whole.places.as_deref().unwrap()).unwrap();
        let mut runs = Runs::new(&whole);
        for i in [0, 1, 2, 40, 41, 17, 99, 3, 60, 58, 59] {
            assert_eq!(runs.get(i), all[i], "unit {i}");
        }
        // A places list cut off in the middle: the units after the cut have none.
        let postings = whole.postings.to_string();
        let cut = &whole.places.as_deref().unwrap()[..all[..50].concat().len() + 1];
        let damaged = StemLists::new(Cow::Owned(postings), Some(Cow::Borrowed(cut)));
        let mut runs = Runs::new(&damaged);
        assert_eq!(runs.get(49), all[49]);
        assert_eq!(runs.get(50), "");
        assert_eq!(runs.get(70), "");
        assert_eq!(runs.get(10), all[10]);
    }
}
