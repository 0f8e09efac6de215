//! Text to TF-IDF vectors: words lower-cased, stop words and numbers dropped, the rest stemmed,
//! and each unit weighted by how rare its terms are among the units of its own group.

use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// How many times a theme counts as a word in a unit's vector. Themes count as words of their
/// own, so sharing a rare theme (PEPs) says more than sharing a common one (leadership), by the
/// same inverse-document-frequency weighting as words.
const THEME_WEIGHT: f32 = 2.0;

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

thread_local! {
    /// Stemming is the costly step and most words recur in every authority's documents, so each
    /// thread stems a distinct word once for all the groups it handles. The ids it hands out
    /// depend on what the thread saw before, so groups renumber them (`GroupTerms`).
    static VOCABULARY: RefCell<Vocabulary> = RefCell::new(Vocabulary::new());
}

/// Stems and themes seen by this thread.
struct Vocabulary {
    stemmer: Stemmer,
    /// Stem (or `theme:` name) → thread-wide id.
    terms: FxHashMap<Box<str>, u32>,
    /// Word as written → its stem's id, or `None` for a stop word or number.
    words: FxHashMap<Box<str>, Option<u32>>,
    /// Theme slug → id of its `theme:` term.
    themes: FxHashMap<Box<str>, u32>,
}

impl Vocabulary {
    fn new() -> Self {
        Vocabulary {
            stemmer: Stemmer::create(Algorithm::English),
            terms: FxHashMap::default(),
            words: FxHashMap::default(),
            themes: FxHashMap::default(),
        }
    }

    fn term(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.terms.get(name) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.insert(name.into(), id);
        id
    }

    fn word(&mut self, word: &str) -> Option<u32> {
        if let Some(&id) = self.words.get(word) {
            return id;
        }
        let lower = word.to_lowercase();
        let id =
            if STOP_WORDS.contains(&lower.as_str()) || lower.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                let stem = self.stemmer.stem(&lower);
                Some(self.term(&stem))
            };
        self.words.insert(word.into(), id);
        id
    }

    /// A theme is a term of its own, apart from any word (stems hold no `:`).
    fn theme(&mut self, theme: &str) -> u32 {
        if let Some(&id) = self.themes.get(theme) {
            return id;
        }
        let id = self.term(&format!("theme:{theme}"));
        self.themes.insert(theme.into(), id);
        id
    }
}

/// One group's terms, numbered in the order first met in the group, so that its vectors (and the
/// order their floats are summed in) do not depend on which other groups a thread saw first.
#[derive(Default)]
pub(super) struct GroupTerms {
    /// Thread-wide id → group id + 1 (0: not yet met).
    local: Vec<u32>,
    len: u32,
    /// Word of up to 16 bytes, packed (`packed`) → group id, or `None` for a stop word or number.
    /// The group's words fit in a small table the processor keeps close, unlike the thread's.
    words: FxHashMap<u128, Option<u32>>,
    /// Occurrences of each group term in the unit being counted; all zero between units.
    tally: Vec<f32>,
    /// The terms with a tally, in the order met.
    present: Vec<u32>,
}

impl GroupTerms {
    fn local(&mut self, id: u32) -> u32 {
        let i = id as usize;
        if i >= self.local.len() {
            self.local.resize(i + 1, 0);
        }
        if self.local[i] == 0 {
            self.len += 1;
            self.local[i] = self.len;
            self.tally.push(0.0);
        }
        self.local[i] - 1
    }

    fn word(
        &mut self,
        vocabulary: &mut Vocabulary,
        text: &str,
        start: usize,
        end: usize,
    ) -> Option<u32> {
        let word = text.get(start..end)?;
        let Some(key) = packed(text.as_bytes(), start, end) else {
            return vocabulary.word(word).map(|id| self.local(id));
        };
        if let Some(&id) = self.words.get(&key) {
            return id;
        }
        let id = vocabulary.word(word).map(|id| self.local(id));
        self.words.insert(key, id);
        id
    }

    fn add(&mut self, term: u32, occurrences: f32) {
        let tally = &mut self.tally[term as usize];
        if *tally == 0.0 {
            self.present.push(term);
        }
        *tally += occurrences;
    }

    /// How often each term occurs in `text`, with each theme counted as `THEME_WEIGHT` words;
    /// sorted by term.
    pub(super) fn counts(&mut self, text: &str, themes: &[String]) -> Vec<(u32, f32)> {
        VOCABULARY.with_borrow_mut(|vocabulary| {
            for (start, end) in words(text) {
                if let Some(term) = self.word(vocabulary, text, start, end) {
                    self.add(term, 1.0);
                }
            }
            for theme in themes {
                let id = vocabulary.theme(theme);
                let term = self.local(id);
                self.add(term, THEME_WEIGHT);
            }
        });
        self.present.sort_unstable();
        let tally = &mut self.tally;
        self.present
            .drain(..)
            .map(|t| (t, std::mem::take(&mut tally[t as usize])))
            .collect()
    }

    /// TF-IDF weights of each unit's `counts`, each vector scaled to unit length.
    pub(super) fn weigh(&self, counts: Vec<Vec<(u32, f32)>>) -> Vec<Vec<(u32, f32)>> {
        let mut df = vec![0u32; self.len as usize];
        for unit in &counts {
            for &(t, _) in unit {
                df[t as usize] += 1;
            }
        }
        let n = counts.len() as f32;
        let idf: Vec<f32> = df.iter().map(|&d| (n / d as f32).ln() + 1.0).collect();
        counts
            .into_iter()
            .map(|mut vector| {
                for (t, w) in &mut vector {
                    // ln 1 is exactly 0, and most words occur once in a unit.
                    let tf = if *w == 1.0 { 1.0 } else { 1.0 + w.ln() };
                    *w = tf * idf[*t as usize];
                }
                // Summed in term order: a sum in any other order can differ in the last bit,
                // enough to swap near-tied matches.
                let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                if norm > 0.0 {
                    for (_, w) in &mut vector {
                        *w /= norm;
                    }
                }
                vector
            })
            .collect()
    }
}

/// The word `text[start..end]` of up to 16 bytes as one number, so that looking it up compares
/// no strings. Words hold no zero byte, so the zero padding keeps different words apart.
fn packed(text: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end - start;
    if len > 16 {
        return None;
    }
    // Reading a whole 16 bytes and masking is cheaper than copying a word of any length.
    let key = match text.get(start..start + 16) {
        Some(bytes) => u128::from_le_bytes(bytes.try_into().ok()?),
        None => {
            let mut key = [0u8; 16];
            key[..len].copy_from_slice(text.get(start..end)?);
            u128::from_le_bytes(key)
        }
    };
    Some(if len == 16 {
        key
    } else {
        key & ((1u128 << (8 * len)) - 1)
    })
}

/// Whether a byte is an ASCII letter or digit, or starts or continues a non-ASCII character.
#[derive(Clone, Copy, PartialEq)]
enum ByteClass {
    Separator,
    Alphanumeric,
    NonAscii,
}

const BYTE_CLASS: [ByteClass; 256] = {
    let mut classes = [ByteClass::NonAscii; 256];
    let mut b = 0;
    while b < 128 {
        classes[b] = if (b as u8).is_ascii_alphanumeric() {
            ByteClass::Alphanumeric
        } else {
            ByteClass::Separator
        };
        b += 1;
    }
    classes
};

/// Where the words of `text` worth weighing lie: runs of letters and digits (in any script) of at
/// least three bytes.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            let start = skip(text, i, ByteClass::Separator);
            if start >= text.len() {
                return None;
            }
            let end = skip(text, start, ByteClass::Alphanumeric);
            i = end;
            if end - start >= 3 {
                return Some((start, end));
            }
        }
    })
}

/// The first byte at or after `i` that does not continue a run of `class` (letters and digits,
/// or other characters). ASCII is classed a byte at a time; other characters are decoded.
fn skip(text: &str, mut i: usize, class: ByteClass) -> usize {
    let bytes = text.as_bytes();
    loop {
        while bytes
            .get(i)
            .is_some_and(|&b| BYTE_CLASS[b as usize] == class)
        {
            i += 1;
        }
        let Some(c) = bytes
            .get(i)
            .filter(|&&b| BYTE_CLASS[b as usize] == ByteClass::NonAscii)
            .and_then(|_| text.get(i..)?.chars().next())
        else {
            return i;
        };
        if c.is_alphanumeric() != (class == ByteClass::Alphanumeric) {
            return i;
        }
        i += c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits_in_any_script() {
        let text = "Children’s naïve Ærøskøbing 2015 café—plans ab x1 Σοφία.";
        let expected: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 3)
            .collect();
        let found: Vec<&str> = words(text).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn packed_words_differ_by_every_byte_and_length() {
        let text = b"plan plans planning-and-reviewing-them";
        assert_ne!(packed(text, 0, 4), packed(text, 5, 10));
        assert_eq!(packed(text, 0, 4), packed(text, 5, 9));
        assert_eq!(packed(text, 14, 38), None);
        assert_eq!(packed(text, 34, 38), packed(b"them", 0, 4));
    }
}
