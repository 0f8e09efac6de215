//! Word shards: `search/terms/<prefix>.js` holds the words starting with a prefix (their stems)
//! and those stems' postings, so a query loads only the shards of its own words. The stems' word
//! places, needed only to check a quoted phrase, are in `search/places/<prefix>.js` beside it:
//! they are as large as the postings again, and most queries never read them.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::{Serialize, Serializer};

use super::encode;
use super::vocabulary::Vocabulary;

/// A word shard over this many bytes is split by one more letter of prefix.
const SHARD_BUDGET: usize = 24 * 1024;
/// The longest prefix a shard is named by; past it a shard may exceed the budget.
const MAX_PREFIX: usize = 5;

/// Shard files for `vocabulary` with `postings` by stem id, over units whose addresses are
/// `addresses`; returns the files and shard names. A shard's bytes depend only on its own words
/// and their postings, so a changed report changes only the shards of its words.
pub fn write(
    vocabulary: &Vocabulary,
    encoded: &[String],
    places: &[String],
    sink: super::Sink,
) -> Result<(usize, BTreeSet<String>), crate::error::Diagnostic> {
    let names = shard_names(&sized_words(vocabulary, encoded));
    let mut shards: BTreeMap<&str, Shard> = names
        .iter()
        .map(|n| (n.as_str(), Shard::default()))
        .collect();
    for (surface, stem) in &vocabulary.surfaces {
        if let Some(shard) = shard_of(surface, &names).and_then(|n| shards.get_mut(n.as_str())) {
            shard.w.push((surface, &vocabulary.stems[*stem as usize]));
        }
    }
    let mut places_of: BTreeMap<&str, Places> = BTreeMap::new();
    for ((stem, list), places) in vocabulary.stems.iter().zip(encoded).zip(places) {
        if let Some(name) = shard_of(stem, &names)
            && let Some(shard) = shards.get_mut(name.as_str())
        {
            shard.p.push((stem, list));
            if !encode::no_places(places) {
                places_of.entry(name).or_default().0.push((stem, places));
            }
        }
    }
    let shards: Vec<(&str, Shard)> = shards.into_iter().collect();
    let files: Vec<&(&str, Shard)> = shards
        .iter()
        .filter(|(_, s)| !s.w.is_empty() || !s.p.is_empty())
        .collect();
    files.par_iter().try_for_each(|(name, shard)| {
        let name = format!("terms/{}", file_name(name));
        sink.write(&format!("search/{name}.js"), &super::script(&name, shard))
    })?;
    let places_of: Vec<(&str, Places)> = places_of.into_iter().collect();
    places_of.par_iter().try_for_each(|(name, places)| {
        let name = format!("places/{}", file_name(name));
        sink.write(&format!("search/{name}.js"), &super::script(&name, places))
    })?;
    Ok((files.len() + places_of.len(), names))
}

/// One shard's words (word → stem) and postings (stem → encoded list), each sorted.
#[derive(Default, Serialize)]
struct Shard<'a> {
    #[serde(serialize_with = "as_object")]
    w: Vec<(&'a str, &'a str)>,
    #[serde(serialize_with = "as_object")]
    p: Vec<(&'a str, &'a str)>,
}

/// One shard's places: stem → its places in each unit of its posting list, sorted; a stem
/// written only as stop words is left out.
#[derive(Default, Serialize)]
struct Places<'a>(#[serde(serialize_with = "as_object")] Vec<(&'a str, &'a str)>);

fn as_object<S: Serializer>(pairs: &[(&str, &str)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// Every word and stem, sorted and distinct, with the bytes it adds to its shard.
fn sized_words<'a>(vocabulary: &'a Vocabulary, encoded: &[String]) -> Vec<(&'a str, usize)> {
    let mut words: Vec<(&str, usize)> = vocabulary
        .surfaces
        .iter()
        .map(|(w, _)| (w.as_str(), w.len() * 2 + 8))
        .chain(
            vocabulary
                .stems
                .iter()
                .zip(encoded)
                .map(|(s, list)| (s.as_str(), s.len() * 2 + list.len() + 8)),
        )
        .collect();
    words.par_sort_unstable();
    // A word that is also a stem is counted once, with its postings.
    words.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 = kept.1.max(next.1);
        }
        same
    });
    words
}

/// The first `n` characters of `word` (all of it if shorter).
fn prefix(word: &str, n: usize) -> &str {
    word.char_indices().nth(n).map_or(word, |(i, _)| &word[..i])
}

/// The shard a word or stem belongs to: its longest prefix that names a shard.
pub fn shard_of<'a>(word: &str, names: &'a BTreeSet<String>) -> Option<&'a String> {
    (1..=word.len())
        .rev()
        .filter(|&end| word.is_char_boundary(end))
        .find_map(|end| names.get(&word[..end]))
}

/// Shard names: first letters, split by a further character while over budget, so a small
/// archive has few files and a large one small shards. `words` is sorted, so words sharing a
/// prefix sit together.
fn shard_names(words: &[(&str, usize)]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    split(words, 1, &mut names);
    names
}

/// Group `words` (all longer than `depth - 1` characters and sharing that prefix) by their
/// first `depth` characters; name each group that fits, split the rest further.
fn split(words: &[(&str, usize)], depth: usize, names: &mut BTreeSet<String>) {
    for group in words.chunk_by(|a, b| prefix(a.0, depth) == prefix(b.0, depth)) {
        let name = prefix(group[0].0, depth);
        let size: usize = group.iter().map(|w| w.1).sum();
        if size <= SHARD_BUDGET || depth >= MAX_PREFIX {
            names.insert(name.to_string());
            continue;
        }
        // Sorted, the words that are exactly the prefix come first and stay in its shard.
        let short = group.iter().take_while(|w| w.0.len() == name.len()).count();
        if short > 0 {
            names.insert(name.to_string());
        }
        split(&group[short..], depth + 1, names);
    }
}

/// Shard names as file names: letters and digits pass, anything else becomes `_<hex>`.
pub(super) fn file_name(name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_shards_split_by_longer_prefix() {
        let words: Vec<String> = (0..3000).map(|i| format!("ca{i:05}x")).collect();
        let sized: Vec<(&str, usize)> = words.iter().map(|w| (w.as_str(), w.len() * 4)).collect();
        let names = shard_names(&sized);
        assert!(names.len() > 1, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("ca")));
        for w in &words {
            assert!(shard_of(w, &names).is_some());
        }
    }

    #[test]
    fn a_word_equal_to_a_split_prefix_keeps_that_shard() {
        let mut words: Vec<String> = (0..3000).map(|i| format!("ca{i:05}")).collect();
        words.push("ca".into());
        words.sort();
        let sized: Vec<(&str, usize)> = words.iter().map(|w| (w.as_str(), 40)).collect();
        let names = shard_names(&sized);
        assert_eq!(shard_of("ca", &names).map(String::as_str), Some("ca"));
        assert_eq!(prefix("één", 2), "éé");
    }
}
