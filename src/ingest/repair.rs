//! Character- and word-level repair of text damaged by PDF extraction: ligature glyphs, odd spaces
//! and hyphens, invisible characters, and ligatures lost as a space (`priori es` → `priorities`).

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

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

/// At most this many gaps in one word (`par cipa on` has two).
const MAX_GAPS: usize = 3;

/// A word seen intact this often in the corpus counts as a word.
const INTACT_SIGHTINGS: u32 = 2;

/// A sorted word list borrowing the bundled text: loading it is one pass over the lines, and
/// lookups are binary searches.
#[derive(Debug)]
struct WordList(Vec<&'static str>);

impl WordList {
    fn parse(text: &'static str) -> Self {
        WordList(text.lines().collect())
    }

    fn contains(&self, word: &str) -> bool {
        self.0.binary_search(&word).is_ok()
    }

    /// Whether some longer word in the list starts with `prefix`.
    fn extends(&self, prefix: &str) -> bool {
        let after = self.0.partition_point(|w| *w <= prefix);
        self.0.get(after).is_some_and(|w| w.starts_with(prefix))
    }
}

#[derive(Debug)]
struct BundledWords {
    common: WordList,
    rare: WordList,
}

/// Parsed once per process, however many lexicons are made.
fn bundled_words() -> &'static BundledWords {
    static WORDS: OnceLock<BundledWords> = OnceLock::new();
    WORDS.get_or_init(|| BundledWords {
        common: WordList::parse(COMMON_WORDS),
        rare: WordList::parse(RARE_WORDS),
    })
}

/// How sure we are that a string is a word; better evidence wins when repairs compete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    /// An inflection of a known word (`-s`, `-ed`, `-ing`, `-ly`).
    Inflected,
    Rare,
    Common,
    /// Seen intact in the documents themselves.
    SeenIntact,
}

/// Words known to be real: a bundled word list plus words seen intact in the corpus.
#[derive(Debug, Clone)]
pub struct Lexicon {
    bundled: &'static BundledWords,
    /// Lower-cased word → how often it was seen intact.
    sightings: HashMap<String, u32>,
    /// Words seen intact at least [`INTACT_SIGHTINGS`] times; ordered for prefix searches.
    seen_intact: BTreeSet<String>,
}

impl Lexicon {
    /// The bundled word list alone.
    pub fn bundled() -> Self {
        Lexicon {
            bundled: bundled_words(),
            sightings: HashMap::new(),
            seen_intact: BTreeSet::new(),
        }
    }

    /// Add the intact words of a document. A token next to a fragment may itself be a fragment
    /// (`priori` in `priori es`), so only tokens whose neighbours are whole words are counted, and
    /// a word must be seen intact more than once before it counts.
    pub fn learn_from(&mut self, text: &str) {
        let tokens = tokenise(text, self);
        for (i, token) in tokens.iter().enumerate() {
            if token.lower.len() >= 3 && token.joinable && is_intact(&tokens, i, text) {
                let count = self.sightings.entry(token.lower.clone()).or_insert(0);
                *count += 1;
                if *count == INTACT_SIGHTINGS {
                    self.seen_intact.insert(token.lower.clone());
                }
            }
        }
    }

    /// Whether `word` (any case) is a known word or an inflection of one.
    pub fn contains(&self, word: &str) -> bool {
        self.evidence(&word.to_lowercase()).is_some()
    }

    /// The best evidence that a lower-cased string is a word.
    fn evidence(&self, lower: &str) -> Option<Evidence> {
        self.listed(lower).or_else(|| {
            inflection_bases(lower)
                .any(|base| self.listed(&base).is_some())
                .then_some(Evidence::Inflected)
        })
    }

    fn listed(&self, lower: &str) -> Option<Evidence> {
        if self.seen_intact.contains(lower) {
            Some(Evidence::SeenIntact)
        } else if self.bundled.common.contains(lower) {
            Some(Evidence::Common)
        } else if self.bundled.rare.contains(lower) {
            Some(Evidence::Rare)
        } else {
            None
        }
    }

    /// Whether some longer known word starts with `prefix`: lets the search for a broken word's
    /// pieces stop as soon as no word can come of them.
    fn could_extend(&self, prefix: &str) -> bool {
        self.bundled.common.extends(prefix)
            || self.bundled.rare.extends(prefix)
            || self
                .seen_intact
                .range::<str, _>((Bound::Excluded(prefix), Bound::Unbounded))
                .next()
                .is_some_and(|w| w.starts_with(prefix))
    }

    /// Whether a lower-cased token is a word a writer would put on its own between spaces. Only
    /// the common list counts: rare entries such as `twi` or `ers` are far likelier fragments.
    fn stands_alone(&self, lower: &str) -> bool {
        if lower.chars().count() <= 2 {
            SHORT_WORDS.contains(&lower)
        } else {
            self.bundled.common.contains(lower)
        }
    }
}

/// Candidate stems of an inflected word, for word lists that lack the inflection.
fn inflection_bases(lower: &str) -> impl Iterator<Item = String> + '_ {
    const RULES: [(&str, &str); 8] = [
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
    ];
    RULES.into_iter().filter_map(move |(suffix, ending)| {
        let stem = lower.strip_suffix(suffix)?;
        (stem.len() >= 3).then(|| format!("{stem}{ending}"))
    })
}

/// Unicode NFC, ligature glyphs to letters, odd hyphens to `-`, odd spaces to a space, invisible
/// characters and soft hyphens removed. Curly quotes are kept: they are correct typography.
pub fn normalise_characters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfc() {
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
    let tokens = tokenise(text, lexicon);
    let mut repairs = rejoin_broken_words(text, &tokens, lexicon);
    let before_hyphen: Vec<Repair> = restore_before_spaced_hyphen(text, &tokens, lexicon)
        .into_iter()
        .filter(|h| !overlaps_any(&repairs, &h.range))
        .collect();
    repairs.extend(before_hyphen);
    repairs.sort_by_key(|r| r.range.start);
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
struct Token {
    start: usize,
    end: usize,
    lower: String,
    shape: Shape,
    /// False for the `s` of `children’s` and letters touching digits (`3rd`), which are never
    /// pieces of a broken word.
    joinable: bool,
    /// Not a word on its own here: a likely piece of a broken word.
    fragment: bool,
}

fn tokenise(text: &str, lexicon: &Lexicon) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, c.is_alphabetic()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                tokens.push(make_token(text, s, i, lexicon));
                start = None;
            }
            _ => {}
        }
    }
    for i in 0..tokens.len() {
        if article_before_vowel(text, &tokens, i) {
            tokens[i].fragment = true;
        }
    }
    tokens
}

fn make_token(text: &str, start: usize, end: usize, lexicon: &Lexicon) -> Token {
    let word = &text[start..end];
    let lower = word.to_lowercase();
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
        fragment: !lexicon.stands_alone(&lower),
        shape: shape_of(word),
        joinable: !clitic && !touches_digit,
        lower,
    }
}

/// `a` before a word starting with a, e or i cannot be the article (that would be `an`), so it is
/// the start of a broken word: `a ached` → `attached`, `a empt` → `attempt`.
fn article_before_vowel(text: &str, tokens: &[Token], i: usize) -> bool {
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
fn is_intact(tokens: &[Token], i: usize, text: &str) -> bool {
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
fn rejoin_broken_words(text: &str, tokens: &[Token], lexicon: &Lexicon) -> Vec<Repair> {
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

fn join_repair(text: &str, tokens: &[Token], first: usize, join: &Join) -> Repair {
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
fn chain_is_upper(tokens: &[Token], first: usize) -> bool {
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
fn continues_word(text: &str, tokens: &[Token], first: usize, next: usize) -> bool {
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
fn joins_from(text: &str, tokens: &[Token], first: usize, lexicon: &Lexicon) -> Vec<Join> {
    let token = &tokens[first];
    let starts_word = token.joinable && token.shape != Shape::Mixed;
    if !starts_word
        || !continues_word(text, tokens, first, first + 1)
        || !(token.fragment || tokens[first + 1].fragment)
    {
        return Vec::new();
    }
    let mut search = JoinSearch {
        text,
        tokens,
        lexicon,
        first,
        word: token.lower.clone(),
        lost: Vec::new(),
        found: Vec::new(),
    };
    search.extend(first, usize::from(token.fragment));
    search.found
}

/// Depth-first search over the letters lost in each gap, pruned as soon as no known word starts
/// with the letters so far.
struct JoinSearch<'a> {
    text: &'a str,
    tokens: &'a [Token],
    lexicon: &'a Lexicon,
    first: usize,
    word: String,
    lost: Vec<&'static str>,
    found: Vec<Join>,
}

impl JoinSearch<'_> {
    fn extend(&mut self, last: usize, fragments: usize) {
        let next = last + 1;
        if self.lost.len() == MAX_GAPS || !continues_word(self.text, self.tokens, self.first, next)
        {
            return;
        }
        let fragments = fragments + usize::from(self.tokens[next].fragment);
        let kept = self.word.len();
        for lost in LOST_LETTERS {
            self.word.push_str(lost);
            self.word.push_str(&self.tokens[next].lower);
            self.lost.push(lost);
            if fragments > 0
                && let Some(evidence) = self.lexicon.evidence(&self.word)
            {
                self.found.push(Join {
                    last: next,
                    lost: self.lost.clone(),
                    score: join_score(fragments, evidence, &self.lost),
                });
            }
            if self.lexicon.could_extend(&self.word) {
                self.extend(next, fragments);
            }
            self.lost.pop();
            self.word.truncate(kept);
        }
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
fn restore_before_spaced_hyphen(text: &str, tokens: &[Token], lexicon: &Lexicon) -> Vec<Repair> {
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
                    Some((*lost, (evidence, std::cmp::Reverse(rank))))
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
}
