//! How text is cut into words for the search index. `static/search.js` cuts queries the same way
//! (`words()` there), so the two must change together.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};

/// Lower-cased runs of letters and digits; one-letter words other than digits are dropped
/// (the `s` of `children’s`, stray initials). A word already in lower case is borrowed, not
/// copied: the index cuts tens of millions of words, so ASCII text takes a byte-wise path.
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    Runs { text, at: 0 }
        .map(|(run, has)| lower_case(run, has))
        .filter(|w| is_word(w))
}

/// Each of `words(text)`, as `(word, run)`: the word lower-cased into `buf` when the run has
/// capitals, else the run itself, so the caller copies it only if it keeps it.
pub fn each_word<'a>(text: &'a str, buf: &mut String, mut f: impl FnMut(&str, &'a str)) {
    for (run, has) in (Runs { text, at: 0 }) {
        let (word, kept) = if has & WIDE != 0 {
            // `to_lowercase` of the whole run, as `words` does (a final sigma differs).
            *buf = run.to_lowercase();
            (buf.as_str(), is_word(buf))
        } else {
            let kept = run.len() > 1 || run.as_bytes()[0].is_ascii_digit();
            if has & UPPER != 0 {
                buf.clear();
                buf.push_str(run);
                buf.make_ascii_lowercase();
                (buf.as_str(), kept)
            } else {
                (run, kept)
            }
        };
        if kept {
            f(word, run);
        }
    }
}

/// How `Runs` sees a byte: as a separator, a lower-case letter or digit, a capital, or part
/// of a character beyond ASCII (whose class is the character's). The last two are bits, so a
/// run's classes can be or-ed together.
const SEPARATOR: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const WIDE: u8 = 4;
static BYTE_CLASS: [u8; 256] = {
    let mut classes = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        classes[b] = if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_alphanumeric() {
            LOWER
        } else {
            SEPARATOR
        };
        b += 1;
    }
    classes
};

/// Whether a lower-cased run is kept as a word: more than one character, or digits.
fn is_word(w: &str) -> bool {
    let long = if w.is_ascii() {
        w.len() > 1
    } else {
        w.chars().count() > 1
    };
    long || w.chars().all(|c| c.is_ascii_digit())
}

/// Words too common to narrow a search (`STOP` in `static/search.js`, which must match). Their
/// places are not listed in the index: a phrase check takes any word at a stop word's place.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "which", "with",
];

/// Whether `word` (lower case) is one of `STOP_WORDS`.
pub fn is_stop(word: &str) -> bool {
    // No stop word is longer than five letters, and most words are.
    word.len() <= 5 && STOP_WORDS.contains(&word)
}

/// The runs of letters and digits (`char::is_alphanumeric`) in a text, each with the classes
/// of byte it holds (`UPPER`, `WIDE`), found in one pass: the index cuts tens of millions of
/// words, and a pass to find a run and more to look at its case cost several times as much.
struct Runs<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Runs<'a> {
    /// The length of the character at `at` when it is a letter or digit beyond ASCII.
    fn wide_letter(&self, at: usize) -> Option<usize> {
        let c = self.text.get(at..)?.chars().next()?;
        c.is_alphanumeric().then_some(c.len_utf8())
    }
}

impl<'a> Iterator for Runs<'a> {
    type Item = (&'a str, u8);

    // Inlined into `each_word`, the hottest loop of the index, it runs as fast as a loop of its own.
    #[inline(always)]
    fn next(&mut self) -> Option<(&'a str, u8)> {
        let bytes = self.text.as_bytes();
        // Past what is not a letter or digit.
        loop {
            let &b = bytes.get(self.at)?;
            match BYTE_CLASS[b as usize] {
                SEPARATOR => self.at += 1,
                WIDE if self.wide_letter(self.at).is_none() => {
                    self.at += self.text[self.at..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                }
                _ => break,
            }
        }
        let start = self.at;
        let mut has = 0;
        while let Some(&b) = bytes.get(self.at) {
            let class = BYTE_CLASS[b as usize];
            if class == WIDE {
                match self.wide_letter(self.at) {
                    Some(len) => self.at += len,
                    None => break,
                }
            } else if class == SEPARATOR {
                break;
            } else {
                self.at += 1;
            }
            has |= class;
        }
        Some((&self.text[start..self.at], has))
    }
}

/// `word` lower-cased; `has` are the classes of byte it holds (see `Runs`).
fn lower_case(word: &str, has: u8) -> Cow<'_, str> {
    if has & WIDE != 0 {
        Cow::Owned(word.to_lowercase())
    } else if has & UPPER != 0 {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// English stemming, so `exploited` and `exploitation` meet; numbers stay as they are.
pub struct WordStemmer(Stemmer);

impl WordStemmer {
    pub fn new() -> Self {
        WordStemmer(Stemmer::create(Algorithm::English))
    }

    pub fn stem(&self, word: &str) -> String {
        if word.chars().any(|c| c.is_ascii_digit()) {
            word.to_string()
        } else {
            self.0.stem(word).into_owned()
        }
    }
}

impl Default for WordStemmer {
    fn default() -> Self {
        Self::new()
    }
}

/// Markdown reduced to the plain text a reader sees, for snippets: emphasis marks, brackets,
/// link targets and footnote references dropped, line breaks made spaces. Text between marks is
/// copied as whole runs, as this runs over every paragraph of the archive.
/// Most paragraphs have no marks at all and are borrowed as they are, which saves a copy of the
/// archive's text (about 0.7 GB at 10,000 reports).
pub fn plain_text(markdown: &str) -> Cow<'_, str> {
    // The marks are ASCII, so a byte-wise search finds them at character boundaries.
    let mark = |b: &u8| matches!(b, b'*' | b'_' | b'`' | b'\\' | b'[' | b']' | b'\n');
    // Checked a block at a time without stopping early, which the compiler makes vector code:
    // byte by byte, this check was most of a rebuild's search stage.
    let any_mark = markdown
        .as_bytes()
        .chunks(64)
        .any(|block| block.iter().fold(false, |found, b| found | mark(b)));
    if !any_mark {
        return Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(i) = rest.bytes().position(|b| mark(&b)) {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        rest = match rest.as_bytes()[i] {
            b'\n' => {
                out.push(' ');
                after
            }
            b'[' if after.starts_with('^') => skip_past(after, ']'),
            b']' if after.starts_with('(') => skip_past(after, ')'),
            _ => after,
        };
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `text` after the first `end` (nothing if there is none).
fn skip_past(text: &str, end: char) -> &str {
    text.find(end).map_or("", |i| &text[i + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_apostrophes_and_hyphens() {
        let w: Vec<_> = words("Children’s multi-agency CSE work in 2015 Ärzte.").collect();
        assert_eq!(
            w,
            [
                "children", "multi", "agency", "cse", "work", "in", "2015", "ärzte"
            ]
        );
    }

    #[test]
    fn stop_words_match_the_browser_script() {
        let script = include_str!("../../static/search.js");
        let listed = script
            .split("var STOP = new Set((")
            .nth(1)
            .and_then(|rest| rest.split(").split(' '))").next())
            .expect("STOP in search.js");
        let words: Vec<&str> = listed
            .split(['\'', '+', '\n', ' '])
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(words, STOP_WORDS);
        assert!(is_stop("the") && !is_stop("its") && !is_stop(""));
        assert!(STOP_WORDS.iter().all(|w| is_stop(w)));
    }

    #[test]
    fn each_word_gives_the_words_and_their_runs() {
        let text = "Children’s CSE work, ΟΔΟΣ in 2015 Ärzte x 7 a.";
        let mut buf = String::new();
        let mut got = Vec::new();
        each_word(text, &mut buf, |w, run| got.push((w.to_string(), run)));
        let want: Vec<String> = words(text).map(|w| w.into_owned()).collect();
        assert_eq!(
            got.iter().map(|g| &g.0).collect::<Vec<_>>(),
            want.iter().collect::<Vec<_>>()
        );
        assert_eq!(got[1], ("cse".to_string(), "CSE"));
        assert!(want.contains(&"οδος".to_string()), "final sigma: {want:?}");
        // Runs that start or end beyond ASCII, marks and symbols beyond it, a Kelvin sign.
        for text in [
            "é1 Ab—cD 💡x 9 ab\u{301}c \u{212A}m ⅷ ½ A. Z9",
            "ÉÉ",
            "—",
            "",
        ] {
            let mut got = Vec::new();
            each_word(text, &mut buf, |w, _| got.push(w.to_string()));
            let want: Vec<String> = words(text).map(|w| w.into_owned()).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn stems_meet() {
        let s = WordStemmer::new();
        assert_eq!(s.stem("exploited"), s.stem("exploit"));
        assert_eq!(s.stem("plans"), s.stem("plan"));
        assert_eq!(s.stem("2015"), "2015");
    }

    #[test]
    fn plain_text_drops_markup_and_footnotes() {
        assert_eq!(
            plain_text("Good *help*[^1] and [care](https://x.org)."),
            "Good help and care."
        );
        assert_eq!(plain_text("a\\_b\nc [^open"), "ab c ");
    }

    #[test]
    fn words_of_mixed_scripts_split_like_chars() {
        let text = "Ærø’s 3 x—y CAFÉ naïve 10km";
        let expected: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|w| {
                w.chars().count() > 1 || (!w.is_empty() && w.chars().all(|c| c.is_ascii_digit()))
            })
            .collect();
        assert_eq!(words(text).collect::<Vec<_>>(), expected);
    }
}
