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
    let names = shard_names(&sized_words(
        vocabulary.surfaces.iter().map(|(w, _, _)| w.as_str()),
        vocabulary
            .stems
            .iter()
            .zip(encoded)
            .map(|(s, list)| (s.as_str(), list.len())),
    ));
    let mut shards: BTreeMap<&str, Shard> = names
        .iter()
        .map(|n| (n.as_str(), Shard::default()))
        .collect();
    for (surface, stem, _) in &vocabulary.surfaces {
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
    files
        .par_iter()
        .try_for_each(|(name, shard)| sink.write(&path(name), &text(name, shard)))?;
    let places_of: Vec<(&str, Places)> = places_of.into_iter().collect();
    places_of.par_iter().try_for_each(|(name, places)| {
        sink.write(&places_path(name), &places_text(name, places))
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

/// Every word (`surfaces`) and stem (with the bytes of its posting list), sorted and distinct,
/// with the bytes it adds to its shard.
pub fn sized_words<'a>(
    surfaces: impl Iterator<Item = &'a str>,
    stems: impl Iterator<Item = (&'a str, usize)>,
) -> Vec<(&'a str, usize)> {
    let mut words: Vec<(&str, usize)> = surfaces
        .map(|w| (w, w.len() * 2 + 8))
        .chain(stems.map(|(s, list)| (s, s.len() * 2 + list + 8)))
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

/// The file of the shard named `name`, under the output folder.
pub fn path(name: &str) -> String {
    format!("search/{}.js", script_name("terms", name))
}

/// The file of the places of the shard named `name`, under the output folder.
pub fn places_path(name: &str) -> String {
    format!("search/{}.js", script_name("places", name))
}

fn script_name(folder: &str, name: &str) -> String {
    format!("{folder}/{}", file_name(name))
}

fn text(name: &str, shard: &Shard) -> String {
    super::script(&script_name("terms", name), shard)
}

fn places_text(name: &str, places: &Places) -> String {
    super::script(&script_name("places", name), places)
}

fn pairs(map: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
    map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// A shard and its places as read back from an earlier build's files, to be changed and
/// written again.
#[derive(Debug, Default)]
pub struct Earlier {
    pub w: BTreeMap<String, String>,
    pub p: BTreeMap<String, String>,
    /// Places of the stems that have any (`encode::no_places`).
    pub x: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
struct Terms {
    w: BTreeMap<String, String>,
    p: BTreeMap<String, String>,
}

impl Earlier {
    /// The shard `name` as its file `terms` and places file `places` (none when it had no
    /// places) hold it; `None` if a file is not one of ours.
    pub fn parse(name: &str, terms: &str, places: Option<&str>) -> Option<Earlier> {
        let json = |folder: &str, text: &str| -> Option<String> {
            let head = format!("FindingsSearch.load({:?},", script_name(folder, name));
            Some(text.strip_prefix(&head)?.strip_suffix(");\n")?.to_string())
        };
        let Terms { w, p } = serde_json::from_str(&json("terms", terms)?).ok()?;
        let x = match places {
            Some(text) => serde_json::from_str(&json("places", text)?).ok()?,
            None => BTreeMap::new(),
        };
        Some(Earlier { w, p, x })
    }

    /// The shard's file and its places file, exactly as a full build writes them; `None` for a
    /// file a full build would not write.
    pub fn texts(&self, name: &str) -> (Option<String>, Option<String>) {
        let shard = Shard {
            w: pairs(&self.w),
            p: pairs(&self.p),
        };
        let terms = (!self.w.is_empty() || !self.p.is_empty()).then(|| text(name, &shard));
        let places = (!self.x.is_empty()).then(|| places_text(name, &Places(pairs(&self.x))));
        (terms, places)
    }
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
pub fn shard_names(words: &[(&str, usize)]) -> BTreeSet<String> {
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
