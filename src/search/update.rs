//! Updating an earlier build's word shards in place when few documents changed.
//!
//! A full index cuts every report into words and makes every posting list again: most of a
//! rebuild's time when one report changed. A shard's bytes depend only on its own words and their
//! postings, and a posting depends only on its own unit, so here only the shards (and places
//! files) where a changed document's postings differ, or a word comes or goes, are made again:
//! read back from the earlier build's files, with that document's postings taken out and its new
//! ones put in. So are the phrase lists of their stems. The result is byte for byte what a full
//! build writes; whenever that cannot be assured (no record of the earlier shards, many documents
//! changed, a shard file missing or not ours) this gives way to the full build. A report added
//! as the newest document, or the newest taken away, is one changed document. When a shard's
//! name comes or goes (a shard grows past its budget and splits, or words with new first letters
//! appear), only the words under those names move between shards.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use rayon::prelude::*;

use super::encode::{self, Address};
use super::shards::{self, Earlier};
use super::vocabulary::Vocabulary;
use super::{Sink, Unit, is_recommendation, phrases};
use crate::error::Diagnostic;
use crate::model::Theme;
use crate::site::cache::{self, Entries, Previous, bytes};

/// Past this many changed documents a full index is about as quick, and simpler to trust.
pub const MOST_CHANGED: usize = 32;

/// The cache key of the record of the earlier build's shards.
pub fn state_key() -> u64 {
    cache::key("search: the word shards of the earlier build")
}

/// What the next build needs to update this build's shards: per document (oldest first) its
/// report's key and units (`Doc`); each stem with the bytes of its posting list; each
/// word with its stem and how many reports use it; and the shards' names.
pub fn encode_state(
    docs: &[Doc],
    vocabulary: &Vocabulary,
    postings: &[String],
    names: &BTreeSet<String>,
) -> Vec<u8> {
    put_state(
        docs,
        vocabulary
            .stems
            .iter()
            .zip(postings)
            .map(|(stem, list)| (stem.as_str(), list.len())),
        vocabulary
            .surfaces
            .iter()
            .map(|(word, stem, uses)| (word.as_str(), u64::from(*stem), *uses)),
        names,
    )
}

/// The record's layout: documents; stems with list sizes; words with their stem's number among
/// the stems and their report count; shard names.
fn put_state<'a>(
    docs: &[Doc],
    stems: impl ExactSizeIterator<Item = (&'a str, usize)>,
    surfaces: impl ExactSizeIterator<Item = (&'a str, u64, u32)>,
    names: &BTreeSet<String>,
) -> Vec<u8> {
    let mut out = Vec::new();
    bytes::put_number(&mut out, docs.len() as u64);
    for &(key, units, recommendations) in docs {
        bytes::put_number(&mut out, key);
        bytes::put_number(&mut out, u64::from(units));
        bytes::put_number(&mut out, u64::from(recommendations));
    }
    bytes::put_number(&mut out, stems.len() as u64);
    for (stem, size) in stems {
        bytes::put_str(&mut out, stem);
        bytes::put_number(&mut out, size as u64);
    }
    bytes::put_number(&mut out, surfaces.len() as u64);
    for (word, stem, uses) in surfaces {
        bytes::put_str(&mut out, word);
        bytes::put_number(&mut out, stem);
        bytes::put_number(&mut out, u64::from(uses));
    }
    bytes::put_number(&mut out, names.len() as u64);
    for name in names {
        bytes::put_str(&mut out, name);
    }
    out
}

/// The record `encode_state` wrote, read back with its strings borrowed.
struct State<'p> {
    docs: Vec<Doc>,
    /// Stem → bytes of its posting list.
    stems: BTreeMap<Cow<'p, str>, usize>,
    /// Word → its stem and how many reports use it.
    surfaces: BTreeMap<Cow<'p, str>, (Cow<'p, str>, u32)>,
    names: BTreeSet<String>,
}

impl<'p> State<'p> {
    fn decode(encoded: &'p [u8]) -> Option<State<'p>> {
        let mut r = bytes::Reader(encoded);
        let docs = (0..r.number()?)
            .map(|_| Some((r.number()?, r.u32()?, r.u32()?)))
            .collect::<Option<Vec<_>>>()?;
        let stems = (0..r.number()?)
            .map(|_| Some((r.str()?, usize::try_from(r.number()?).ok()?)))
            .collect::<Option<Vec<_>>>()?;
        let surfaces = (0..r.number()?)
            .map(|_| {
                let word = r.str()?;
                let stem = stems.get(usize::try_from(r.number()?).ok()?)?.0;
                Some((Cow::Borrowed(word), (Cow::Borrowed(stem), r.u32()?)))
            })
            .collect::<Option<BTreeMap<_, _>>>()?;
        let names = (0..r.number()?)
            .map(|_| r.str().map(String::from))
            .collect::<Option<BTreeSet<_>>>()?;
        r.is_empty().then(|| State {
            docs,
            stems: stems
                .into_iter()
                .map(|(s, n)| (Cow::Borrowed(s), n))
                .collect(),
            surfaces,
            names,
        })
    }

    fn encode(&self) -> Vec<u8> {
        let ids: BTreeMap<&str, u64> = self.stems.keys().map(|s| &**s).zip(0..).collect();
        put_state(
            &self.docs,
            self.stems.iter().map(|(stem, size)| (&**stem, *size)),
            self.surfaces.iter().map(|(word, (stem, uses))| {
                (
                    &**word,
                    ids.get(&**stem).copied().unwrap_or_default(),
                    *uses,
                )
            }),
            &self.names,
        )
    }

    fn shard_names(&self) -> BTreeSet<String> {
        shards::shard_names(&shards::sized_words(
            self.surfaces.keys().map(|w| &**w),
            self.stems.iter().map(|(s, n)| (&**s, *n)),
        ))
    }
}

/// A document as the record keeps it: its report's key, its number of units, and how many of
/// them, first, are recommendations (`UNLIKE` when recommendations do not all come first).
pub type Doc = (u64, u32, u32);

/// Marks a document whose recommendations do not all come first, which cannot be updated.
const UNLIKE: u32 = u32::MAX;

/// Per document (oldest first), as the record keeps it. `units` hold each document's units
/// together, documents in order.
pub fn documents(units: &[Unit], keys: &[u64]) -> Vec<Doc> {
    let mut docs: Vec<Doc> = (0..keys.len())
        // Reports come newest first, documents oldest first.
        .map(|doc| (keys[keys.len() - 1 - doc], 0, 0))
        .collect();
    for unit in units {
        if let Some(d) = docs.get_mut(unit.doc as usize) {
            if is_recommendation(unit) {
                d.2 = if d.2 == d.1 { d.2 + 1 } else { UNLIKE };
            }
            d.1 += 1;
        }
    }
    docs
}

/// One unit's posting in a stem's list: its address, term weight and places.
type Posting = (Address, u8, String);

/// What updating found to write: shards to write again (name, text) or to drop, and the rest
/// to keep as they are.
struct Plan {
    files: Files,
    names: BTreeSet<String>,
}

#[derive(Default)]
struct Files {
    /// (path, text) of the files to write again.
    write: Vec<(String, String)>,
    /// Paths of the files to keep.
    keep: Vec<String>,
}

/// Update the earlier build's shards for the documents whose reports changed, if that can be
/// done exactly; returns the number of shard files and the shards' names, having handed the
/// search cache's word entries and new record to `keep`. `None` when a full index is needed;
/// then nothing has been written or kept.
pub fn try_update<'p>(
    units: &[Unit],
    keys: &[u64],
    docs: &[Doc],
    themes: &[Theme],
    previous: &'p Previous,
    keep: &mut dyn FnMut(Entries<'p>),
    sink: Sink,
) -> Result<Option<(usize, BTreeSet<String>)>, Diagnostic> {
    let Some(mut state) = previous.get(state_key()).and_then(State::decode) else {
        return Ok(None);
    };
    // Documents are numbered oldest first, so a new report (usually the newest) is a document
    // added at the end, and one taken away from the end leaves the others' numbers as they
    // were; either is a changed document with no units before, or none after.
    let changed: Vec<usize> = (0..docs.len().max(state.docs.len()))
        .filter(|&d| state.docs.get(d) != docs.get(d))
        .collect();
    if changed.len() > MOST_CHANGED {
        return Ok(None);
    }
    // Every unchanged report's words must be in the cache for the next build.
    let mut entries: Entries<'p> = Vec::with_capacity(docs.len() + 1);
    for (d, &(key, units, _)) in docs.iter().enumerate() {
        // A report without units has no entry.
        if units > 0 && changed.binary_search(&d).is_err() {
            let Some(earlier) = previous.get(key) else {
                return Ok(None);
            };
            entries.push((key, Cow::Borrowed(earlier)));
        }
    }
    let change = Change {
        units,
        keys,
        changed: &changed,
        themes,
    };
    let Some(plan) = plan(&mut state, &change, previous, &mut entries, sink) else {
        return Ok(None);
    };
    state.docs = docs.to_vec();
    entries.push((state_key(), Cow::Owned(state.encode())));
    plan.files
        .write
        .par_iter()
        .try_for_each(|(path, text)| sink.write(path, text))?;
    for path in &plan.files.keep {
        sink.keep(path);
    }
    keep(entries);
    Ok(Some((
        plan.files.write.len() + plan.files.keep.len(),
        plan.names,
    )))
}

/// What changed: the documents (by number) among all `units`, whose reports' keys are `keys`.
struct Change<'a, 'u> {
    units: &'a [Unit<'u>],
    keys: &'a [u64],
    changed: &'a [usize],
    themes: &'a [Theme],
}

/// Work out the shards of the `changed` documents and update `state` to match; `None` when
/// that cannot be done exactly. New word entries of changed reports go into `entries`.
fn plan<'p>(
    state: &mut State<'p>,
    change: &Change<'_, '_>,
    previous: &'p Previous,
    entries: &mut Entries<'p>,
    sink: Sink,
) -> Option<Plan> {
    let Change {
        units,
        keys,
        changed,
        themes,
    } = *change;
    let changed_docs: BTreeSet<u32> = changed.iter().map(|&d| d as u32).collect();
    // Words whose entry in their shard comes or goes, and their stems.
    let mut touched_words: BTreeSet<Cow<'p, str>> = BTreeSet::new();
    let mut form_stems: BTreeSet<String> = BTreeSet::new();
    // The changed documents' postings before and after, by stem.
    let mut before: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
    let mut after: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
    for &d in changed {
        let (key, count, recommendations) = state.docs.get(d).copied().unwrap_or_default();
        if count > 0 {
            if recommendations == UNLIKE {
                return None;
            }
            let old_units: Vec<(bool, Address)> = (0..count)
                .map(|i| (i < recommendations, (d as u32, i)))
                .collect();
            let (old, lists) = Vocabulary::of_cached(previous.get(key)?, &old_units)?;
            for (word, _, _) in &old.surfaces {
                let (stem, uses) = state.surfaces.get_mut(word.as_str())?;
                *uses -= 1;
                if *uses == 0 {
                    form_stems.insert(stem.to_string());
                    state.surfaces.remove(word.as_str());
                    touched_words.insert(Cow::Owned(word.clone()));
                }
            }
            postings_by_stem(&old, &lists, &mut before)?;
        }
        let from = units.partition_point(|u| (u.doc as usize) < d);
        let to = units.partition_point(|u| (u.doc as usize) <= d);
        let doc = &units[from..to];
        if doc.is_empty() {
            continue;
        }
        let (new, lists) = Vocabulary::index(doc, keys, &Previous::default(), &mut |made| {
            entries.extend(
                made.into_iter()
                    .map(|(k, b)| (k, Cow::Owned(b.into_owned()))),
            );
        });
        for (word, stem, _) in &new.surfaces {
            let stem = &new.stems[*stem as usize];
            let entry = state
                .surfaces
                .entry(Cow::Owned(word.clone()))
                .or_insert_with(|| (Cow::Owned(stem.clone()), 0));
            if entry.1 == 0 {
                form_stems.insert(stem.clone());
                touched_words.insert(Cow::Owned(word.clone()));
            }
            entry.1 += 1;
        }
        postings_by_stem(&new, &lists, &mut after)?;
    }
    // Only stems whose postings in the changed documents differ need their lists made again.
    let touched_stems: BTreeSet<Cow<'p, str>> = before
        .keys()
        .chain(after.keys())
        .filter(|s| before.get(*s) != after.get(*s))
        .map(|s| Cow::Owned(s.clone()))
        .collect();
    // The earlier files of the shards touched, read as needed.
    let old_names = std::mem::take(&mut state.names);
    let mut earlier: BTreeMap<String, Earlier> = BTreeMap::new();
    // Each touched stem's list again: the earlier one without the changed documents, with
    // their new postings put in address order.
    let mut lists: BTreeMap<Cow<'p, str>, Option<(String, String)>> = BTreeMap::new();
    for stem in &touched_stems {
        let mut postings: Vec<Posting> = Vec::new();
        if state.stems.contains_key(stem) {
            let shard = open(&mut earlier, shards::shard_of(stem, &old_names)?, sink)?;
            let list = encode::read_postings(shard.p.get(&**stem)?)?;
            let at = match shard.x.get(&**stem) {
                Some(x) => encode::split_places(x)?,
                None => vec![encode::NO_PLACES; list.len()],
            };
            if at.len() != list.len() {
                return None;
            }
            postings.extend(
                list.into_iter()
                    .zip(at)
                    .filter(|((a, _), _)| !changed_docs.contains(&a.0))
                    .map(|((a, w), x)| (a, w, x.to_string())),
            );
        }
        if let Some(new) = after.remove(&**stem) {
            postings.extend(new);
            postings.sort_by_key(|p| p.0);
        }
        let list = (!postings.is_empty()).then(|| {
            let mut list = encode::PostingList::with_capacity(postings.len());
            let mut at = String::new();
            for (address, weight, places) in &postings {
                list.push(*address, *weight);
                at.push_str(places);
            }
            (list.finish(), at)
        });
        match &list {
            Some((p, _)) => state.stems.insert(stem.clone(), p.len()),
            None => state.stems.remove(stem),
        };
        lists.insert(stem.clone(), list);
    }
    let names = state.shard_names();
    if names != old_names {
        regroup(
            state,
            &touched_words,
            &lists,
            &old_names,
            &names,
            &mut earlier,
            sink,
        )?;
    }
    // Put the changes into their shards.
    // A word or stem gone whose prefix no shard has any more went with its shard (`regroup`).
    for word in &touched_words {
        let surface = state.surfaces.get(word);
        let Some(name) = shards::shard_of(word, &names) else {
            if surface.is_some() {
                return None;
            }
            continue;
        };
        let shard = open(&mut earlier, name, sink)?;
        match surface {
            Some((stem, _)) => shard.w.insert(word.to_string(), stem.to_string()),
            None => shard.w.remove(&**word),
        };
    }
    for (stem, list) in lists {
        let Some(name) = shards::shard_of(&stem, &names) else {
            if list.is_some() {
                return None;
            }
            continue;
        };
        let shard = open(&mut earlier, name, sink)?;
        match list {
            Some((p, x)) => {
                if encode::no_places(&x) {
                    shard.x.remove(&*stem);
                } else {
                    shard.x.insert(stem.to_string(), x);
                }
                shard.p.insert(stem.to_string(), p);
            }
            None => {
                shard.p.remove(&*stem);
                shard.x.remove(&*stem);
            }
        }
    }
    let touched = Touched {
        words: &touched_words,
        stems: &touched_stems,
        forms: &form_stems,
    };
    let mut files = phrase_lists(state, themes, &touched, &names, &mut earlier, sink)?;
    for name in &names {
        if earlier.contains_key(name) {
            continue;
        }
        // A shard no change reaches must be there to keep.
        let terms = shards::path(name);
        if !sink.has_earlier(&terms) {
            return None;
        }
        files.keep.push(terms);
        let places = shards::places_path(name);
        if sink.has_earlier(&places) {
            files.keep.push(places);
        }
    }
    for (name, shard) in &earlier {
        let (terms, places) = shard.texts(name);
        files.write.extend(terms.map(|t| (shards::path(name), t)));
        files
            .write
            .extend(places.map(|t| (shards::places_path(name), t)));
    }
    state.names = names.clone();
    Some(Plan { files, names })
}

/// Move the entries whose shard differs under the new shard `names` (a shard grew past its
/// budget and split, or a new prefix came or an old one went) from their earlier shard into
/// their new one, and drop the shards whose name went, so that each shard holds what a full
/// build puts in it. An entry moves only if its old or new shard is a name that came or went
/// (shards are found by their longest prefix), so only those names' words are looked at.
fn regroup<'p>(
    state: &State<'p>,
    touched_words: &BTreeSet<Cow<'p, str>>,
    lists: &BTreeMap<Cow<'p, str>, Option<(String, String)>>,
    old_names: &BTreeSet<String>,
    names: &BTreeSet<String>,
    earlier: &mut BTreeMap<String, Earlier>,
    sink: Sink,
) -> Option<()> {
    let differ: Vec<&String> = old_names.symmetric_difference(names).collect();
    let with_prefix = |keys: &mut dyn Iterator<Item = &str>| -> Vec<String> {
        keys.filter(|k| differ.iter().any(|d| k.starts_with(d.as_str())))
            .map(String::from)
            .collect()
    };
    // Words and stems now recorded, and those that went (still in their earlier shard).
    let mut keys = BTreeSet::new();
    for d in &differ {
        keys.extend(keys_under(&state.surfaces, d).map(String::from));
        keys.extend(keys_under(&state.stems, d).map(String::from));
    }
    keys.extend(with_prefix(&mut touched_words.iter().map(|w| &**w)));
    keys.extend(with_prefix(&mut lists.keys().map(|s| &**s)));
    for name in names.difference(old_names) {
        earlier.insert(name.clone(), Earlier::default());
    }
    for key in &keys {
        let to = shards::shard_of(key, names);
        let Some(from) = shards::shard_of(key, old_names) else {
            continue; // new since the earlier build: nothing to move
        };
        if to == Some(from) {
            continue;
        }
        let shard = open(earlier, from, sink)?;
        let moved = (
            shard.w.remove(key),
            shard.p.remove(key),
            shard.x.remove(key),
        );
        let Some(to) = to else {
            continue; // gone: its entry is dropped with its shard
        };
        let target = open(earlier, to, sink)?;
        let (w, p, x) = moved;
        w.map(|w| target.w.insert(key.clone(), w));
        p.map(|p| target.p.insert(key.clone(), p));
        x.map(|x| target.x.insert(key.clone(), x));
    }
    for name in old_names.difference(names) {
        // A shard whose name went must have been emptied; its files go with it.
        let gone = open(earlier, name, sink)?;
        if !(gone.w.is_empty() && gone.p.is_empty() && gone.x.is_empty()) {
            return None;
        }
        earlier.remove(name);
    }
    Some(())
}

/// The keys of `map` that start with `prefix`.
fn keys_under<'m, V>(
    map: &'m BTreeMap<Cow<'_, str>, V>,
    prefix: &'m str,
) -> impl Iterator<Item = &'m str> {
    map.range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
        .map(|(k, _)| &**k)
        .take_while(move |k| k.starts_with(prefix))
}

/// What a change reaches: words that come or go, stems whose postings differ, and stems that
/// gain or lose a written form.
struct Touched<'a, 'p> {
    words: &'a BTreeSet<Cow<'p, str>>,
    stems: &'a BTreeSet<Cow<'p, str>>,
    forms: &'a BTreeSet<String>,
}

/// The phrase lists (`phrases`) a change reaches, made again from the shards as updated in
/// `earlier`; the others kept.
fn phrase_lists(
    state: &State,
    themes: &[Theme],
    touched: &Touched,
    names: &BTreeSet<String>,
    earlier: &mut BTreeMap<String, Earlier>,
    sink: Sink,
) -> Option<Files> {
    let mut files = Files::default();
    let stem_of = |word: &str| state.surfaces.get(word).map(|(stem, _)| &**stem);
    let reached = |words: &Vec<String>| {
        phrases::content_words(words).any(|w| {
            touched.words.contains(w.as_str())
                || stem_of(w)
                    .is_some_and(|s| touched.stems.contains(s) || touched.forms.contains(s))
        })
    };
    let (remake, unchanged): (Vec<Vec<String>>, Vec<Vec<String>>) =
        phrases::of_themes(themes).into_iter().partition(reached);
    for words in &unchanged {
        let path = phrases::path(words);
        if !sink.has_earlier(&path) {
            return None;
        }
        files.keep.push(path);
    }
    // The stems of the phrases to remake, numbered, with their lists and written forms.
    let wanted: BTreeSet<&str> = remake
        .iter()
        .flat_map(|words| phrases::content_words(words))
        .filter_map(|w| stem_of(w))
        .collect();
    let ids: BTreeMap<&str, u32> = wanted.iter().zip(0..).map(|(s, i)| (*s, i)).collect();
    let mut lists = BTreeMap::new();
    for (stem, &id) in &ids {
        let shard = open(earlier, shards::shard_of(stem, names)?, sink)?;
        let postings = shard.p.get(*stem)?;
        lists.insert(
            id,
            phrases::StemLists::new(
                Cow::Owned(postings.clone()),
                shard.x.get(*stem).map(|x| Cow::Owned(x.clone())),
            ),
        );
    }
    let mut forms: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for (word, (stem, _)) in &state.surfaces {
        if let Some(&id) = ids.get(&**stem) {
            forms.entry(id).or_default().push(word);
        }
    }
    let number = |word: &str| stem_of(word).and_then(|s| ids.get(s).copied());
    for words in &remake {
        files.write.push((
            phrases::path(words),
            phrases::text(words, &number, &lists, &forms),
        ));
    }
    Some(files)
}

/// Add the postings of `vocabulary` (one report's), whose posting lists and places are `lists`,
/// to `into` by stem.
fn postings_by_stem(
    vocabulary: &Vocabulary,
    (lists, places): &(Vec<String>, Vec<String>),
    into: &mut BTreeMap<String, Vec<Posting>>,
) -> Option<()> {
    for ((stem, list), at) in vocabulary.stems.iter().zip(lists).zip(places) {
        let postings = encode::read_postings(list)?;
        let at = encode::split_places(at)?;
        if at.len() != postings.len() {
            return None;
        }
        into.entry(stem.clone()).or_default().extend(
            postings
                .into_iter()
                .zip(at)
                .map(|((a, w), x)| (a, w, x.to_string())),
        );
    }
    Some(())
}

/// The earlier build's shard `name`, read from its file the first time it is needed.
fn open<'e>(
    earlier: &'e mut BTreeMap<String, Earlier>,
    name: &str,
    sink: Sink,
) -> Option<&'e mut Earlier> {
    if !earlier.contains_key(name) {
        let terms = sink.earlier(&shards::path(name))?;
        let places = sink.earlier(&shards::places_path(name));
        earlier.insert(
            name.to_string(),
            Earlier::parse(name, &terms, places.as_deref())?,
        );
    }
    earlier.get_mut(name)
}
