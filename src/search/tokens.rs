//! How text is cut into words for the search index. `static/search.js` cuts queries the same way
//! (`words()` there), so the two must change together.

use rust_stemmers::{Algorithm, Stemmer};

/// Lower-cased runs of letters and digits; one-letter words other than digits are dropped
/// (the `s` of `children’s`, stray initials).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() > 1 || w.chars().all(|c| c.is_ascii_digit()))
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

/// Markdown reduced to the plain text a reader sees, for snippets.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' | '`' | '\\' => {}
            '[' if chars.peek() == Some(&'^') => {
                for n in chars.by_ref() {
                    if n == ']' {
                        break;
                    }
                }
            }
            '[' => {}
            ']' if chars.peek() == Some(&'(') => {
                for n in chars.by_ref() {
                    if n == ')' {
                        break;
                    }
                }
            }
            ']' => {}
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_apostrophes_and_hyphens() {
        let w: Vec<String> = words("Children’s multi-agency CSE work in 2015.").collect();
        assert_eq!(
            w,
            ["children", "multi", "agency", "cse", "work", "in", "2015"]
        );
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
    }
}
