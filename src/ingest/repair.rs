//! Character- and word-level repair of text damaged by PDF extraction: ligature glyphs, odd spaces
//! and hyphens, invisible characters, and ligatures lost as a space (`priori es` → `priorities`).

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Common English words (SCOWL size 50, British and American): see `data/README.md`.
const COMMON_WORDS: &str = include_str!("../../data/words-en-common.txt");
/// Rarer English words (SCOWL size 70, less the common ones).
const RARE_WORDS: &str = include_str!("../../data/words-en-rare.txt");

/// Words of one or two letters that stand alone in running text. Word lists also hold `en`, `er`,
/// `es`, `ve`, … which in these documents are nearly always the ends of broken words.
const SHORT_WORDS: [&str; 28] = [
    "a", "i", "am", "an", "as", "at", "be", "by", "do", "go", "he", "hi", "if", "in", "is", "it",
    "me", "my", "no", "of", "oh", "ok", "on", "or", "so", "to", "up", "us",
];

/// Letters a lost ligature glyph stood for, most frequent first: the order breaks ties between
/// equally good repairs (`cu ng` → `cutting`, not `cuffing`). `titi` and `tti` are two glyphs lost
/// together (`prac oners` → `practitioners`, `se ngs` → `settings`).
const LOST_LETTERS: [&str; 12] = [
    "ti", "tt", "ft", "tti", "titi", "fi", "ff", "fl", "ffi", "ffl", "tf", "fti",
];

/// Prefixes that make new words freely, so word lists lack many of their compounds.
const PREFIXES: [&str; 12] = [
    "over", "under", "non", "re", "pre", "un", "mis", "co", "inter", "multi", "sub", "counter",
];

/// At most this many gaps in one word (`par cipa on` has two).
const MAX_GAPS: usize = 3;

/// A word seen intact this often in the corpus counts as a word.
const INTACT_SIGHTINGS: u32 = 2;

/// The sightings of a token that a lost ligature explains: never a word, however often seen.
const DAMAGED: u32 = u32::MAX;

/// The bundled lists, borrowing the bundled text: one sorted slice of every word, for prefix
/// searches, and a hash map from word to tier, for the many "is this a word" questions.
#[derive(Debug)]
struct BundledWords {
    sorted: Vec<&'static str>,
    tiers: HashMap<&'static str, Evidence, BuildWordHasher>,
}

impl BundledWords {
    fn parse(common: &'static str, rare: &'static str) -> Self {
        let common = one_per_line(common);
        let rare = one_per_line(rare);
        let mut tiers = HashMap::with_capacity_and_hasher(
            common.len() + rare.len(),
            BuildWordHasher::default(),
        );
        tiers.extend(common.iter().map(|w| (*w, Evidence::Common)));
        tiers.extend(rare.iter().map(|w| (*w, Evidence::Rare)));
        BundledWords {
            sorted: merge_sorted(&common, &rare),
            tiers,
        }
    }

    fn tier(&self, word: &str) -> Option<Evidence> {
        self.tiers.get(word).copied()
    }

    /// Whether a lower-cased token is a word a writer would put on its own between spaces. Only
    /// the common list counts: rare entries such as `twi` or `ers` are far likelier fragments.
    fn stands_alone(&self, lower: &str) -> bool {
        if lower.chars().count() <= 2 {
            SHORT_WORDS.contains(&lower)
        } else {
            self.tier(lower) == Some(Evidence::Common)
        }
    }

    /// The positions of the words starting with `prefix`, found inside `within`, the positions
    /// of the words starting with a shorter prefix of it.
    fn starting_with(&self, prefix: &str, within: Range<usize>) -> Range<usize> {
        let slice = &self.sorted[within.clone()];
        let from = slice.partition_point(|w| *w < prefix);
        let to = from + slice[from..].partition_point(|w| w.starts_with(prefix));
        within.start + from..within.start + to
    }

    fn all(&self) -> Range<usize> {
        0..self.sorted.len()
    }
}

/// FNV-1a: the word lists and corpus words are short keys from our own files and documents, so a
/// fast non-keyed hash is safe here, and it makes loading the lists several times faster.
#[derive(Debug, Clone, Copy)]
struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type BuildWordHasher = BuildHasherDefault<WordHasher>;

/// The lines of a bundled list. A plain byte scan: `str::lines` costs several times more on
/// 130,000 short lines.
fn one_per_line(text: &'static str) -> Vec<&'static str> {
    let mut lines = Vec::with_capacity(text.len() / 8);
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push(&text[start..i]);
            start = i + 1;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Two sorted lists as one, in one pass.
fn merge_sorted(a: &[&'static str], b: &[&'static str]) -> Vec<&'static str> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] < b[j] {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// Parsed once per process, however many lexicons are made.
fn bundled_words() -> &'static BundledWords {
    static WORDS: OnceLock<BundledWords> = OnceLock::new();
    WORDS.get_or_init(|| BundledWords::parse(COMMON_WORDS, RARE_WORDS))
}

/// How sure we are that a string is a word; better evidence wins when repairs compete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    /// An inflection (`-s`, `-ed`, `-ing`, `-ly`) or prefixed form (`over-`, `non-`) of a known word.
    Derived,
    Rare,
    Common,
    /// Seen intact in the documents themselves.
    SeenIntact,
}

/// A document's words that count towards the lexicon, found before they are counted.
pub struct Sightings<'t> {
    text: &'t str,
    words: Vec<Token<'t>>,
}

impl<'t> Sightings<'t> {
    /// The words of `text` that `Lexicon::learn` counts. Finding them reads only the bundled
    /// lists, never what was learnt, so many documents' words can be found at once; counting
    /// them must go in document order.
    pub fn find(text: &'t str) -> Self {
        let tokens = tokenise(text, bundled_words());
        let counted: Vec<bool> = (0..tokens.len())
            .map(|i| {
                let token = &tokens[i];
                token.lower.len() >= 3 && token.joinable && is_intact(&tokens, i, text)
            })
            .collect();
        let words = tokens
            .into_iter()
            .zip(counted)
            .filter_map(|(token, counted)| counted.then_some(token))
            .collect();
        Sightings { text, words }
    }
}

/// Words known to be real: a bundled word list plus words seen intact in the corpus.
#[derive(Debug, Clone)]
pub struct Lexicon {
    bundled: &'static BundledWords,
    /// Lower-cased word → how often it was seen intact.
    sightings: HashMap<String, u32, BuildWordHasher>,
}

impl Lexicon {
    /// The bundled word list alone.
    pub fn bundled() -> Self {
        Lexicon {
            bundled: bundled_words(),
            sightings: HashMap::default(),
        }
    }

    /// Add the intact words of a document. A token next to a fragment may itself be a fragment
    /// (`priori` in `priori es`), so only tokens whose neighbours are whole words are counted; a
    /// word must be seen intact more than once; and an unlisted word that a ligature lost at its
    /// edge explains (`mely`, for `timely`) never counts.
    pub fn learn_from(&mut self, text: &str) {
        self.learn(&Sightings::find(text));
    }

    /// Count sightings found by `Sightings::find`, as `learn_from` does.
    pub fn learn(&mut self, sightings: &Sightings<'_>) {
        for token in &sightings.words {
            let count = if let Some(count) = self.sightings.get_mut(token.lower.as_ref()) {
                *count = count.saturating_add(1);
                *count
            } else {
                self.sightings.insert(token.lower.to_string(), 1);
                1
            };
            if count == INTACT_SIGHTINGS
                && edge_completion(&sightings.text[token.start..token.end], token, self).is_some()
            {
                self.sightings.insert(token.lower.to_string(), DAMAGED);
            }
        }
    }

    /// What was learnt: each word seen and its count (`DAMAGED` for one a lost ligature explains).
    #[cfg(test)]
    pub(crate) fn learnt(&self) -> std::collections::BTreeMap<&str, u32> {
        self.sightings
            .iter()
            .map(|(w, n)| (w.as_str(), *n))
            .collect()
    }

    /// Whether `word` (any case) is a known word or an inflection of one.
    pub fn contains(&self, word: &str) -> bool {
        self.evidence(&word.to_lowercase()).is_some()
    }

    /// The best evidence that a lower-cased string is a word.
    fn evidence(&self, lower: &str) -> Option<Evidence> {
        self.listed(lower)
            .or_else(|| self.inflected(lower))
            .or_else(|| self.prefixed(lower))
    }

    fn seen_intact(&self, lower: &str) -> Option<Evidence> {
        self.sightings
            .get(lower)
            .is_some_and(|n| (INTACT_SIGHTINGS..DAMAGED).contains(n))
            .then_some(Evidence::SeenIntact)
    }

    /// Listed in the bundled lists or seen intact, not derived.
    fn listed(&self, lower: &str) -> Option<Evidence> {
        self.bundled.tier(lower).max(self.seen_intact(lower))
    }

    /// An inflection the word lists lack: `considerations` from `consideration`.
    fn inflected(&self, lower: &str) -> Option<Evidence> {
        let mut respelled = String::new();
        INFLECTIONS
            .iter()
            .any(|(suffix, ending)| {
                let Some(stem) = lower.strip_suffix(suffix).filter(|s| s.len() >= 3) else {
                    return false;
                };
                if ending.is_empty() {
                    return self.listed(stem).is_some();
                }
                respelled.clear();
                respelled.push_str(stem);
                respelled.push_str(ending);
                self.listed(&respelled).is_some()
            })
            .then_some(Evidence::Derived)
    }

    /// A known word behind a productive prefix: `overrepresentation`.
    fn prefixed(&self, lower: &str) -> Option<Evidence> {
        PREFIXES.iter().find_map(|prefix| {
            let rest = lower.strip_prefix(prefix)?;
            let known =
                rest.len() >= 4 && (self.listed(rest).is_some() || self.inflected(rest).is_some());
            known.then_some(Evidence::Derived)
        })
    }
}

/// Inflectional endings and what the stem ends with without them (`ies` → `y`): the word lists
/// lack some inflections of the words they hold.
const INFLECTIONS: [(&str, &str); 8] = [
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
];

/// Unicode NFC, ligature glyphs to letters, odd hyphens to `-`, odd spaces to a space, invisible
/// characters and soft hyphens removed. Curly quotes are kept: they are correct typography.
pub fn normalise_characters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Composing is slow and most text is already composed: check first.
    let composed: Box<dyn Iterator<Item = char>> = match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Box::new(text.chars()),
        _ => Box::new(text.nfc()),
    };
    for c in composed {
        if let Some(letters) = ligature_letters(c) {
            out.push_str(letters);
        } else if is_odd_hyphen(c) {
            out.push('-');
        } else if is_odd_space(c) {
            out.push(' ');
        } else if !is_invisible(c) {
            out.push(c);
        }
    }
    out
}

/// The letters a ligature glyph stands for: search and the word lists know `fi`, not `ﬁ`.
fn ligature_letters(c: char) -> Option<&'static str> {
    match c {
        '\u{fb00}' => Some("ff"),
        '\u{fb01}' => Some("fi"),
        '\u{fb02}' => Some("fl"),
        '\u{fb03}' => Some("ffi"),
        '\u{fb04}' => Some("ffl"),
        '\u{fb05}' | '\u{fb06}' => Some("st"),
        _ => None,
    }
}

/// The Unicode hyphen and non-breaking hyphen, which readers and search expect as `-`.
fn is_odd_hyphen(c: char) -> bool {
    matches!(c, '\u{2010}' | '\u{2011}')
}

/// No-break, fixed-width and thin spaces, which PDF extraction leaves between ordinary words.
fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{00a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}'
    )
}

/// Zero-width characters and soft hyphens: invisible, but they split words for search.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// Restore ligatures lost as a space (`priori es` → `priorities`).
pub fn repair_lost_ligatures(text: &str, lexicon: &Lexicon) -> String {
    apply(text, &find_lost_ligatures(text, lexicon))
}

/// One change to the text: `range` (bytes) becomes `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub range: std::ops::Range<usize>,
    pub replacement: String,
}

/// Every lost-ligature repair in `text`, in order and not overlapping.
pub fn find_lost_ligatures(text: &str, lexicon: &Lexicon) -> Vec<Repair> {
    let tokens = tokenise(text, lexicon.bundled);
    let mut repairs = rejoin_broken_words(text, &tokens, lexicon);
    for extra in [
        restore_before_spaced_hyphen(text, &tokens, lexicon),
        restore_at_word_edge(text, &tokens, lexicon),
    ] {
        let fresh: Vec<Repair> = extra
            .into_iter()
            .filter(|r| !overlaps_any(&repairs, &r.range))
            .collect();
        repairs.extend(fresh);
        repairs.sort_by_key(|r| r.range.start);
    }
    repairs
}

/// Whether `range` overlaps any of `sorted`, which are in order and do not overlap each other.
fn overlaps_any(sorted: &[Repair], range: &std::ops::Range<usize>) -> bool {
    let after = sorted.partition_point(|r| r.range.start < range.end);
    after > 0 && sorted[after - 1].range.end > range.start
}

fn apply(text: &str, repairs: &[Repair]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for repair in repairs {
        out.push_str(&text[at..repair.range.start]);
        out.push_str(&repair.replacement);
        at = repair.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// How a token's letters are cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Lower,
    Title,
    Upper,
    Mixed,
}

fn shape_of(word: &str) -> Shape {
    let mut chars = word.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    let (mut lower, mut upper) = (0, 0);
    for c in chars {
        if c.is_uppercase() {
            upper += 1;
        } else {
            lower += 1;
        }
    }
    match (first_upper, upper, lower) {
        (false, 0, _) => Shape::Lower,
        (true, 0, _) if lower > 0 => Shape::Title,
        (true, _, 0) => Shape::Upper,
        _ => Shape::Mixed,
    }
}

/// A run of letters.
#[derive(Debug)]
struct Token<'a> {
    start: usize,
    end: usize,
    /// Borrowed from the text when it is already in lower case, as most words are.
    lower: Cow<'a, str>,
    shape: Shape,
    /// False for the `s` of `children’s` and letters touching digits (`3rd`), which are never
    /// pieces of a broken word.
    joinable: bool,
    /// Not a word on its own here: a likely piece of a broken word.
    fragment: bool,
}

/// `text`'s words. What is a fragment is judged by the bundled lists alone, never by what was
/// learnt, so documents can be cut into words in any order, in parallel.
fn tokenise<'a>(text: &'a str, bundled: &BundledWords) -> Vec<Token<'a>> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut start = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i <= bytes.len() {
        // Bytes for ASCII, which is nearly all of the text; characters only beyond it.
        let (is_letter, width) = match bytes.get(i) {
            None => (false, 1),
            Some(b) if b.is_ascii() => (b.is_ascii_alphabetic(), 1),
            Some(_) => text[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphabetic(), c.len_utf8())),
        };
        match (start, is_letter) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                tokens.push(make_token(text, s, i, bundled));
                start = None;
            }
            _ => {}
        }
        i += width;
    }
    for i in 0..tokens.len() {
        if article_before_vowel(text, &tokens, i) {
            tokens[i].fragment = true;
        }
    }
    tokens
}

fn make_token<'a>(text: &'a str, start: usize, end: usize, bundled: &BundledWords) -> Token<'a> {
    let word = &text[start..end];
    let shape = shape_of(word);
    let lower = match shape {
        Shape::Lower => Cow::Borrowed(word),
        _ => Cow::Owned(word.to_lowercase()),
    };
    let before = text[..start].chars().rev();
    let after = text[end..].chars().next();
    let clitic = {
        let mut b = before.clone();
        matches!(b.next(), Some('’' | '\'')) && b.next().is_some_and(char::is_alphabetic)
    };
    let touches_digit = before.clone().next().is_some_and(|c| c.is_ascii_digit())
        || after.is_some_and(|c| c.is_ascii_digit());
    Token {
        start,
        end,
        fragment: !bundled.stands_alone(&lower),
        shape,
        joinable: !clitic && !touches_digit,
        lower,
    }
}

/// `a` before a word starting with a, e or i cannot be the article (that would be `an`), so it is
/// the start of a broken word: `a ached` → `attached`, `a empt` → `attempt`.
fn article_before_vowel(text: &str, tokens: &[Token<'_>], i: usize) -> bool {
    tokens[i].lower == "a"
        && tokens.get(i + 1).is_some_and(|next| {
            single_space_between(text, &tokens[i], next)
                && next.lower.len() >= 2
                && next.lower.starts_with(['a', 'e', 'i'])
        })
}

fn single_space_between(text: &str, left: &Token, right: &Token) -> bool {
    &text[left.end..right.start] == " "
}

/// A sighting counts as intact when no neighbour across a space is a fragment, and the word does
/// not stand before a spaced hyphen (`mul -agency`), where its last letters may be lost.
fn is_intact(tokens: &[Token<'_>], i: usize, text: &str) -> bool {
    let token = &tokens[i];
    let prev_ok =
        i == 0 || !single_space_between(text, &tokens[i - 1], token) || !tokens[i - 1].fragment;
    let next_ok = tokens
        .get(i + 1)
        .is_none_or(|next| !single_space_between(text, token, next) || !next.fragment);
    prev_ok && next_ok && !text[token.end..].starts_with(" -")
}

/// A way to join tokens `first..=last` into one word.
#[derive(Debug, Clone)]
struct Join {
    last: usize,
    lost: Vec<&'static str>,
    score: i64,
}

/// Rejoin words broken by lost ligatures. Competing joins (`to es mate`: `toffies` or `estimate`)
/// are settled by choosing the set of non-overlapping joins with the best total score, in one
/// right-to-left pass.
fn rejoin_broken_words(text: &str, tokens: &[Token<'_>], lexicon: &Lexicon) -> Vec<Repair> {
    let n = tokens.len();
    let mut best = vec![0i64; n + 1];
    let mut chosen: Vec<Option<Join>> = vec![None; n];
    for i in (0..n).rev() {
        best[i] = best[i + 1];
        for join in joins_from(text, tokens, i, lexicon) {
            let total = join.score + best[join.last + 1];
            if total > best[i] {
                best[i] = total;
                chosen[i] = Some(join);
            }
        }
    }
    let mut repairs = Vec::new();
    let mut i = 0;
    while i < n {
        match &chosen[i] {
            Some(join) if best[i] != best[i + 1] => {
                repairs.push(join_repair(text, tokens, i, join));
                i = join.last + 1;
            }
            _ => i += 1,
        }
    }
    repairs
}

fn join_repair(text: &str, tokens: &[Token<'_>], first: usize, join: &Join) -> Repair {
    let upper = chain_is_upper(tokens, first);
    let mut replacement = text[tokens[first].start..tokens[first].end].to_string();
    for (k, lost) in join.lost.iter().enumerate() {
        if upper {
            replacement.push_str(&lost.to_uppercase());
        } else {
            replacement.push_str(lost);
        }
        let token = &tokens[first + 1 + k];
        replacement.push_str(&text[token.start..token.end]);
    }
    Repair {
        range: tokens[first].start..tokens[join.last].end,
        replacement,
    }
}

/// Whether a broken word is in capitals (`EXPLOITA ON`); a lone capital (`A er`) takes the case
/// of the piece after it.
fn chain_is_upper(tokens: &[Token<'_>], first: usize) -> bool {
    let token = &tokens[first];
    match token.shape {
        Shape::Upper if token.lower.chars().count() > 1 => true,
        Shape::Upper => tokens
            .get(first + 1)
            .is_some_and(|t| t.shape == Shape::Upper),
        _ => false,
    }
}

/// Whether `next` can continue a broken word that started at `first`: pieces after the first
/// are lower case, or all capitals in a capitalised word, so `the LSCP` or `A Peel` never join.
fn continues_word(text: &str, tokens: &[Token<'_>], first: usize, next: usize) -> bool {
    let Some(token) = tokens.get(next) else {
        return false;
    };
    let wanted = if chain_is_upper(tokens, first) {
        Shape::Upper
    } else {
        Shape::Lower
    };
    let single_letter_upper = token.shape == Shape::Upper && token.lower.chars().count() == 1;
    token.joinable
        && single_space_between(text, &tokens[next - 1], token)
        && (token.shape == wanted || (wanted == Shape::Upper && single_letter_upper))
}

/// Every known word that tokens from `first` on make when lost letters fill the gaps between them.
/// Two whole words are never joined: the first gap must touch a fragment.
fn joins_from(text: &str, tokens: &[Token<'_>], first: usize, lexicon: &Lexicon) -> Vec<Join> {
    let token = &tokens[first];
    let starts_word = token.joinable && token.shape != Shape::Mixed;
    if !starts_word
        || !continues_word(text, tokens, first, first + 1)
        || !(token.fragment || tokens[first + 1].fragment)
    {
        return Vec::new();
    }
    let within = lexicon
        .bundled
        .starting_with(&token.lower, lexicon.bundled.all());
    let mut search = JoinSearch {
        text,
        tokens,
        lexicon,
        first,
        word: token.lower.to_string(),
        lost: Vec::new(),
        found: Vec::new(),
    };
    search.extend(first, usize::from(token.fragment), within);
    search.found
}

/// Depth-first search over the letters lost in each gap. Each step narrows the range of bundled
/// words that start with the letters so far, and a branch stops when no bundled word does: words
/// seen only in the corpus complete a join but do not steer the search.
struct JoinSearch<'a> {
    text: &'a str,
    tokens: &'a [Token<'a>],
    lexicon: &'a Lexicon,
    first: usize,
    word: String,
    lost: Vec<&'static str>,
    found: Vec<Join>,
}

impl JoinSearch<'_> {
    fn extend(&mut self, last: usize, fragments: usize, within: Range<usize>) {
        let next = last + 1;
        if self.lost.len() == MAX_GAPS || !continues_word(self.text, self.tokens, self.first, next)
        {
            return;
        }
        let fragments = fragments + usize::from(self.tokens[next].fragment);
        let bundled = self.lexicon.bundled;
        let kept = self.word.len();
        for lost in LOST_LETTERS {
            self.word.push_str(lost);
            let with_lost = bundled.starting_with(&self.word, within.clone());
            self.word.push_str(&self.tokens[next].lower);
            let range = bundled.starting_with(&self.word, with_lost.clone());
            self.lost.push(lost);
            if fragments > 0
                && let Some(evidence) = self.evidence(&range, &with_lost)
            {
                self.found.push(Join {
                    last: next,
                    lost: self.lost.clone(),
                    score: join_score(fragments, evidence, &self.lost),
                });
            }
            let is_listed = bundled.sorted.get(range.start) == Some(&self.word.as_str());
            if range.len() > usize::from(is_listed) {
                self.extend(next, fragments, range);
            }
            self.lost.pop();
            self.word.truncate(kept);
        }
    }
}

impl JoinSearch<'_> {
    /// [`Lexicon::evidence`] for the word so far, cheaper for knowing `range`, the bundled words
    /// that start with it, and `with_lost`, those that start with it up to the lost letters: an
    /// inflection's stem starts with those letters too, so it needs some.
    fn evidence(&self, range: &Range<usize>, with_lost: &Range<usize>) -> Option<Evidence> {
        let bundled = self.lexicon.bundled;
        let word = self.word.as_str();
        let listed = bundled
            .sorted
            .get(range.start)
            .filter(|w| !range.is_empty() && **w == word)
            .and_then(|w| bundled.tier(w));
        listed
            .max(self.lexicon.seen_intact(word))
            .or_else(|| {
                (!with_lost.is_empty())
                    .then(|| self.lexicon.inflected(word))
                    .flatten()
            })
            .or_else(|| self.lexicon.prefixed(word))
    }
}

/// Mending more fragments beats mending fewer; then better evidence; then likelier lost letters.
fn join_score(fragments: usize, evidence: Evidence, lost: &[&str]) -> i64 {
    let rarity: usize = lost
        .iter()
        .map(|l| {
            LOST_LETTERS
                .iter()
                .position(|x| x == l)
                .unwrap_or(LOST_LETTERS.len())
        })
        .sum();
    1000 * fragments as i64 + 100 * evidence as i64 - rarity as i64
}

/// A fragment followed by a spaced hyphen lost its last letters: `mul -agency` → `multi-agency`.
fn restore_before_spaced_hyphen(
    text: &str,
    tokens: &[Token<'_>],
    lexicon: &Lexicon,
) -> Vec<Repair> {
    tokens
        .iter()
        .filter(|t| t.fragment && t.joinable && t.shape != Shape::Mixed)
        .filter(|t| {
            let rest = &text[t.end..];
            rest.starts_with(" -") && rest[2..].chars().next().is_some_and(char::is_alphabetic)
        })
        .filter_map(|t| {
            let (lost, _) = LOST_LETTERS
                .iter()
                .enumerate()
                .filter_map(|(rank, lost)| {
                    let evidence = lexicon.listed(&format!("{}{lost}", t.lower))?;
                    Some((*lost, (evidence, Reverse(rank))))
                })
                .max_by_key(|(_, key)| *key)?;
            let lost = if t.shape == Shape::Upper && t.lower.chars().count() > 1 {
                lost.to_uppercase()
            } else {
                lost.to_string()
            };
            Some(Repair {
                range: t.start..t.end + 1,
                replacement: format!("{}{lost}", &text[t.start..t.end]),
            })
        })
        .collect()
}

/// A lone unknown fragment lost a ligature at its start or end, where the space was real:
/// `a mely way` → `a timely way`, `enable swi return` → `enable swift return`.
fn restore_at_word_edge(text: &str, tokens: &[Token<'_>], lexicon: &Lexicon) -> Vec<Repair> {
    tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            t.joinable && lexicon.seen_intact(&t.lower).is_none() && is_intact(tokens, *i, text)
        })
        .filter_map(|(_, t)| {
            Some(Repair {
                range: t.start..t.end,
                replacement: edge_completion(&text[t.start..t.end], t, lexicon)?,
            })
        })
        .collect()
}

/// `word` with lost letters restored at its start or end, when it is an unlisted fragment and
/// that makes a common word or one seen intact: a lone fragment gives little else to go on.
fn edge_completion(word: &str, token: &Token, lexicon: &Lexicon) -> Option<String> {
    let plausible = token.fragment
        && matches!(token.shape, Shape::Lower | Shape::Title)
        && token.lower.chars().count() >= 3
        && lexicon.bundled.tier(&token.lower).is_none();
    if !plausible {
        return None;
    }
    let mut candidate = String::new();
    // Lost letters come most likely first, so on equal evidence the first found wins.
    let mut best: Option<(Evidence, &str, bool)> = None;
    for lost in LOST_LETTERS {
        for at_start in [true, false] {
            if at_start && token.shape != Shape::Lower {
                continue;
            }
            candidate.clear();
            if at_start {
                candidate.push_str(lost);
            }
            candidate.push_str(&token.lower);
            if !at_start {
                candidate.push_str(lost);
            }
            let Some(evidence) = lexicon.listed(&candidate) else {
                continue;
            };
            if evidence >= Evidence::Common && best.is_none_or(|(e, _, _)| evidence > e) {
                best = Some((evidence, lost, at_start));
            }
        }
    }
    let (_, lost, at_start) = best?;
    Some(if at_start {
        format!("{lost}{word}")
    } else {
        format!("{word}{lost}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str) -> String {
        repair_lost_ligatures(&normalise_characters(text), &Lexicon::bundled())
    }

    #[test]
    fn ligature_glyphs_become_letters() {
        assert_eq!(
            normalise_characters("eﬀective ﬁnal ﬂow oﬃce baﬄe ﬅand ﬆep"),
            "effective final flow office baffle stand step"
        );
    }

    #[test]
    fn nfc_composes_accents() {
        assert_eq!(normalise_characters("cafe\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn unicode_hyphens_become_ascii() {
        assert_eq!(
            normalise_characters("multi\u{2010}agency non\u{2011}stop"),
            "multi-agency non-stop"
        );
    }

    #[test]
    fn curly_quotes_are_kept() {
        assert_eq!(normalise_characters("‘no’ “yes”"), "‘no’ “yes”");
    }

    #[test]
    fn odd_spaces_become_plain() {
        assert_eq!(
            normalise_characters("a\u{a0}b\u{2002}c\u{2009}d\u{200a}e"),
            "a b c d e"
        );
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(
            normalise_characters("safe\u{ad}guard\u{200b}ing\u{feff}"),
            "safeguarding"
        );
    }

    #[test]
    fn lost_ti_is_restored() {
        assert_eq!(repaired("the priori es, and"), "the priorities, and");
        assert_eq!(repaired("Exploita on"), "Exploitation");
        assert_eq!(repaired("con nues"), "continues");
        assert_eq!(repaired("scru ny"), "scrutiny");
        assert_eq!(repaired("opportuni es"), "opportunities");
    }

    #[test]
    fn lost_tt_and_ft_are_restored() {
        assert_eq!(repaired("school a endance"), "school attendance");
        assert_eq!(repaired("o en"), "often");
        assert_eq!(repaired("on Twi er"), "on Twitter");
        assert_eq!(repaired("children looked a er"), "children looked after");
    }

    #[test]
    fn gap_beside_a_surviving_ligature_is_restored() {
        assert_eq!(repaired("eﬀec ve"), "effective");
        assert_eq!(repaired("iden ﬁed"), "identified");
        assert_eq!(repaired("no ﬁable events"), "notifiable events");
    }

    #[test]
    fn two_ligatures_lost_in_one_gap() {
        assert_eq!(repaired("prac oners"), "practitioners");
        assert_eq!(repaired("se ngs"), "settings");
    }

    #[test]
    fn several_gaps_in_one_word() {
        assert_eq!(
            repaired("addi onal considera on"),
            "additional consideration"
        );
        assert_eq!(repaired("par cipa on"), "participation");
        assert_eq!(repaired("ini a ve"), "initiative");
        assert_eq!(repaired("sta s cal"), "statistical");
    }

    #[test]
    fn inflected_endings_are_restored() {
        assert_eq!(repaired("considera ons"), "considerations");
        assert_eq!(repaired("commi ed"), "committed");
    }

    #[test]
    fn case_is_kept() {
        assert_eq!(repaired("EXPLOITA ON"), "EXPLOITATION");
        assert_eq!(repaired("A endance"), "Attendance");
        assert_eq!(repaired("O en"), "Often");
    }

    #[test]
    fn spaced_hyphen_after_a_fragment() {
        assert_eq!(repaired("mul \u{2010}agency"), "multi-agency");
        assert_eq!(repaired("the Mul -Agency"), "the Multi-Agency");
        assert_eq!(repaired("an -agency"), "an -agency");
    }

    #[test]
    fn competing_joins_choose_the_likelier_word() {
        assert_eq!(repaired("to es mate"), "to estimate");
        assert_eq!(repaired("li le or no"), "little or no");
        assert_eq!(repaired("cross cu ng"), "cross cutting");
    }

    #[test]
    fn article_before_a_vowel_is_a_fragment() {
        assert_eq!(repaired("a ached"), "attached");
        assert_eq!(repaired("a empt"), "attempt");
        assert_eq!(repaired("a ire"), "attire");
        assert_eq!(repaired("a unit"), "a unit");
    }

    #[test]
    fn real_words_are_never_joined() {
        for phrase in [
            "in care",
            "an action",
            "at ten",
            "a new",
            "to ensure",
            "of the",
            "is an",
            "on time",
            "on going",
            "a fish",
            "it is",
            "be there",
        ] {
            assert_eq!(repaired(phrase), phrase);
        }
    }

    #[test]
    fn names_acronyms_and_clitics_are_not_joined() {
        for phrase in [
            "Dr Mark A Peel",
            "the LSCP",
            "children’s services",
            "3rd es",
            "the Ofsted es",
        ] {
            assert_eq!(repaired(phrase), phrase);
        }
    }

    #[test]
    fn corpus_words_count_after_two_intact_sightings() {
        let mut lexicon = Lexicon::bundled();
        lexicon.learn_from("The Ofsted report.");
        assert!(!lexicon.contains("ofsted"));
        lexicon.learn_from("The Ofsted report.");
        assert!(lexicon.contains("Ofsted"));
    }

    #[test]
    fn fragments_are_not_learned() {
        let mut lexicon = Lexicon::bundled();
        lexicon.learn_from("the priori es and the priori es and the mul -agency and mul -agency");
        assert!(!lexicon.contains("priori"));
        assert!(!lexicon.contains("mul"));
    }

    #[test]
    fn corpus_words_complete_a_join() {
        let mut lexicon = Lexicon::bundled();
        assert_eq!(
            repair_lost_ligatures("the noci az", &lexicon),
            "the noci az"
        );
        lexicon.learn_from("the nocittaz and a nocittaz");
        assert_eq!(
            repair_lost_ligatures("the noci az", &lexicon),
            "the nocittaz"
        );
    }

    #[test]
    fn inflections_of_known_words_are_known() {
        let lexicon = Lexicon::bundled();
        assert!(lexicon.contains("safeguarding"));
        assert!(lexicon.contains("Priorities"));
        assert!(!lexicon.contains("priori"));
    }

    #[test]
    fn ligature_lost_at_a_word_edge() {
        assert_eq!(repaired("in a mely way"), "in a timely way");
        assert_eq!(repaired("to enable swi return"), "to enable swift return");
        assert_eq!(repaired("reduced metables and"), "reduced timetables and");
        assert_eq!(repaired("a dra document"), "a draft document");
    }

    #[test]
    fn word_edge_needs_a_common_word() {
        for phrase in ["the Ofsted report", "year olds", "the LSCP said", "ers and"] {
            assert_eq!(repaired(phrase), phrase);
        }
    }

    #[test]
    fn prefixed_compounds_are_known() {
        assert_eq!(
            repaired("an overrepresenta on of"),
            "an overrepresentation of"
        );
        assert!(Lexicon::bundled().contains("underrepresentation"));
    }

    #[test]
    fn edge_damaged_words_are_not_learned() {
        let mut lexicon = Lexicon::bundled();
        lexicon.learn_from("in a mely way and a mely response and a mely reply");
        assert!(!lexicon.contains("mely"));
        assert_eq!(
            repair_lost_ligatures("a mely way", &lexicon),
            "a timely way"
        );
    }

    #[test]
    fn name_and_acronym_entries_are_fragments() {
        assert_eq!(repaired("new no fica ons"), "new notifications");
    }

    #[test]
    fn word_list_is_sorted_for_binary_search() {
        for list in [COMMON_WORDS, RARE_WORDS] {
            let words: Vec<&str> = list.lines().collect();
            assert!(words.windows(2).all(|w| w[0] < w[1]));
            assert!(
                words
                    .iter()
                    .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
            );
        }
    }

    const SEED_003: &str = include_str!("../../seeds/003_00c2cf2cf2e17c1a.txt");
    const OTHER_SEEDS: [&str; 4] = [
        include_str!("../../seeds/000_bba7b8ba5c51fe19.txt"),
        include_str!("../../seeds/001_a10b7a8fd731d004.txt"),
        include_str!("../../seeds/002_85e47bd16ee8f0bd.txt"),
        include_str!("../../seeds/004_19a38e1162f77a90.txt"),
    ];

    /// The lexicon as ingest builds it: the word lists plus every seed.
    fn corpus_lexicon() -> Lexicon {
        let mut lexicon = Lexicon::bundled();
        for seed in OTHER_SEEDS.iter().chain([&SEED_003]) {
            lexicon.learn_from(&normalise_characters(seed));
        }
        lexicon
    }

    /// Whether `phrase` occurs as whole words.
    fn has_phrase(text: &str, phrase: &str) -> bool {
        text.match_indices(phrase).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + phrase.len()..].chars().next();
            !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
        })
    }

    /// Pairs of unknown fragments still separated by a space: likely gaps left unrepaired.
    fn suspicious_gaps(text: &str, lexicon: &Lexicon) -> Vec<String> {
        let tokens = tokenise(text, lexicon.bundled);
        tokens
            .windows(2)
            .filter(|pair| {
                let [left, right] = pair else { return false };
                single_space_between(text, left, right)
                    && left.fragment
                    && right.fragment
                    && right.shape == Shape::Lower
                    && left.shape != Shape::Mixed
                    && !lexicon.contains(&left.lower)
                    && !lexicon.contains(&right.lower)
            })
            .map(|pair| text[pair[0].start..pair[1].end].to_string())
            .collect()
    }

    fn with_context(text: &str, repair: &Repair) -> String {
        let from = text.floor_char_boundary(repair.range.start.saturating_sub(25));
        let to = text.ceil_char_boundary((repair.range.end + 25).min(text.len()));
        format!(
            "{:?} -> {:?} in {:?}",
            &text[repair.range.clone()],
            repair.replacement,
            &text[from..to]
        )
    }

    #[test]
    fn seed_003_lost_ligatures_are_repaired() {
        let lexicon = corpus_lexicon();
        let text = normalise_characters(SEED_003);
        let repairs = find_lost_ligatures(&text, &lexicon);
        println!("{} repairs in seed 003", repairs.len());
        let out = apply(&text, &repairs);
        for damaged in [
            "priori es",
            "a endance",
            "mul -agency",
            "Exploita on",
            "effec ve",
            "o en",
            "prac oners",
            "Twi er",
            "iden fied",
            "no fiable",
            "looked a er",
            "con nues",
            "addi onal",
            "considera on",
            "opportuni es",
            "scru ny",
        ] {
            assert!(!has_phrase(&out, damaged), "{damaged:?} survived");
        }
        let left = suspicious_gaps(&out, &lexicon);
        for gap in &left {
            println!("left: {gap:?}");
        }
        assert!(repairs.len() > 1500, "only {} repairs", repairs.len());
        assert!(left.len() < 40, "{} suspicious gaps left", left.len());
    }

    #[test]
    fn other_seeds_are_barely_changed() {
        let lexicon = corpus_lexicon();
        let mut changes = 0;
        for seed in OTHER_SEEDS {
            let text = normalise_characters(seed);
            for repair in find_lost_ligatures(&text, &lexicon) {
                println!("{}", with_context(&text, &repair));
                changes += 1;
            }
        }
        assert!(
            changes < 10,
            "{changes} changes in seeds without lost ligatures"
        );
    }
}
