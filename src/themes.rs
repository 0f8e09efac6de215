//! Findings themes: loading and validating `themes/*.yaml`, and tagging paragraphs with the themes
//! they substantively concern.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rust_stemmers::{Algorithm, Stemmer};

use crate::error::Diagnostic;
use crate::model::Theme;

/// Read every `*.yaml` file in `dir` as a theme, sorted by slug; every problem in every file is
/// reported together. A missing folder means a site without themes.
pub fn load_themes(dir: &Path) -> Result<Vec<Theme>, Vec<Diagnostic>> {
    let paths = match theme_files(dir) {
        Ok(paths) => paths,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(vec![Diagnostic::new(
                dir,
                0,
                format!("cannot read the themes folder: {e}"),
            )]);
        }
    };
    let mut errors = Vec::new();
    let mut loaded = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse_theme(&path, &text) {
                Ok(theme) => loaded.push(LoadedTheme { path, text, theme }),
                Err(mut e) => errors.append(&mut e),
            },
            Err(e) => errors.push(Diagnostic::new(&path, 0, format!("cannot read: {e}"))),
        }
    }
    errors.extend(check_duplicate_slugs(&loaded));
    errors.extend(check_related(&loaded));
    if !errors.is_empty() {
        errors.sort();
        return Err(errors);
    }
    let mut themes: Vec<Theme> = loaded.into_iter().map(|l| l.theme).collect();
    themes.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(themes)
}

/// A parsed theme with the file it came from, kept for cross-file checks.
struct LoadedTheme {
    path: PathBuf,
    text: String,
    theme: Theme,
}

fn theme_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Parse one theme file and check what can be checked without the other files.
fn parse_theme(path: &Path, text: &str) -> Result<Theme, Vec<Diagnostic>> {
    let theme: Theme = crate::yaml::from_str(text).map_err(|e| {
        vec![
            Diagnostic::new(
                path,
                e.line,
                format!("{}; fix the YAML of this theme file", e.message),
            )
            .at_column(e.column),
        ]
    })?;
    let mut errors = Vec::new();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if theme.slug != stem {
        errors.push(Diagnostic::new(
            path,
            line_of_key(text, "slug"),
            format!(
                "slug \"{}\" does not match the file name; rename the file to {}.yaml or set `slug: {stem}`",
                theme.slug, theme.slug
            ),
        ));
    }
    for (key, value) in [
        ("title", &theme.title),
        ("short", &theme.short),
        ("description", &theme.description),
    ] {
        if value.trim().is_empty() {
            errors.push(Diagnostic::new(
                path,
                line_of_key(text, key),
                format!("`{key}` is empty; residents see it on the theme page, so write it"),
            ));
        }
    }
    errors.extend(check_terms(path, text, &theme));
    if errors.is_empty() {
        Ok(theme)
    } else {
        Err(errors)
    }
}

/// A theme must have something to match, and each term must be something the matcher can use.
fn check_terms(path: &Path, text: &str, theme: &Theme) -> Vec<Diagnostic> {
    let terms = &theme.terms;
    let mut errors = Vec::new();
    if terms.phrases.is_empty() && terms.acronyms.is_empty() && terms.hints.is_empty() {
        errors.push(Diagnostic::new(
            path,
            line_of_key(text, "terms"),
            "this theme has no terms, so no paragraph can be tagged with it; list words and phrases \
             under `terms: phrases:` or acronyms under `terms: acronyms:`",
        ));
    }
    let lists = [&terms.phrases, &terms.hints, &terms.exclude];
    for phrase in lists.into_iter().flatten() {
        if words(phrase).is_empty() {
            errors.push(Diagnostic::new(
                path,
                line_of_value(text, phrase),
                format!("term \"{phrase}\" has no words to match; remove it or write the words"),
            ));
        }
    }
    for acronym in &terms.acronyms {
        if words(acronym) != [acronym.as_str()] {
            errors.push(Diagnostic::new(
                path,
                line_of_value(text, acronym),
                format!(
                    "acronym \"{acronym}\" must be a single word of letters or digits; \
                     put phrases under `phrases:`"
                ),
            ));
        }
    }
    errors
}

fn check_duplicate_slugs(loaded: &[LoadedTheme]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut errors = Vec::new();
    for l in loaded {
        match first.get(l.theme.slug.as_str()) {
            Some(earlier) => errors.push(Diagnostic::new(
                &l.path,
                line_of_key(&l.text, "slug"),
                format!(
                    "slug \"{}\" is already used by {}; each theme needs its own slug",
                    l.theme.slug,
                    earlier.display()
                ),
            )),
            None => {
                first.insert(&l.theme.slug, &l.path);
            }
        }
    }
    errors
}

/// Every `related` slug must name a theme, so theme pages never link to a missing page.
fn check_related(loaded: &[LoadedTheme]) -> Vec<Diagnostic> {
    let known: Vec<&str> = loaded.iter().map(|l| l.theme.slug.as_str()).collect();
    let mut errors = Vec::new();
    for l in loaded {
        for related in &l.theme.related {
            if known.contains(&related.as_str()) {
                continue;
            }
            let hint = match closest(related, &known) {
                Some(s) => format!(" (did you mean \"{s}\"?)"),
                None => String::new(),
            };
            errors.push(Diagnostic::new(
                &l.path,
                line_of_related(&l.text, related),
                format!(
                    "related theme \"{related}\" does not exist{hint}; use the slug of a file in \
                     the themes folder or remove it"
                ),
            ));
        }
    }
    errors
}

/// The known slug nearest to a mistyped one, if it is close enough to be a likely typo.
fn closest<'a>(wanted: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(wanted, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// 1-based line of a top-level `key:`, or 0 when absent.
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

/// 1-based line of the first line holding `value` as a list item or scalar, or 0.
fn line_of_value(text: &str, value: &str) -> usize {
    text.lines()
        .position(|l| contains_item(l, value))
        .map_or(0, |i| i + 1)
}

/// 1-based line where `slug` appears in the `related:` list (block or inline style), or 0.
fn line_of_related(text: &str, slug: &str) -> usize {
    let mut in_related = false;
    for (i, line) in text.lines().enumerate() {
        let top_level = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top_level {
            in_related = line.starts_with("related") && line.contains(':');
        }
        if in_related && contains_item(line, slug) {
            return i + 1;
        }
    }
    0
}

/// Whether a YAML line holds `value` as a whole item (`- value`, `[a, value]`, `key: "value"`).
fn contains_item(line: &str, value: &str) -> bool {
    let separators = |c: char| matches!(c, '[' | ']' | ',' | ':' | '"' | '\'' | '#') || c == '-';
    let stripped = line.trim().trim_start_matches('-').trim();
    stripped.trim_matches(['"', '\'']) == value
        || line
            .split(|c: char| separators(c) && !value.contains(c))
            .any(|part| part.trim() == value)
}

/// The role a term plays in deciding whether a paragraph concerns its theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Specific enough that one occurrence tags the paragraph.
    Marker,
    /// Too general alone; see [`ThemeMatcher::tag`] for when hints are enough.
    Hint,
    /// A look-alike; markers and hints inside it do not count.
    Exclude,
}

/// A compiled phrase: its theme, its role and the word forms that follow its first word.
struct Phrase {
    theme: usize,
    role: Role,
    rest: Vec<String>,
}

/// The two forms a word is compared in. Markers and hints compare Snowball stems, so that any
/// inflection matches ("sexually exploited" for "sexual exploitation"). Excludes compare the plain
/// word, singular, because stems also conflate look-alikes: "faithful" and "faith", "sufficient"
/// and "sufficiency", "government" and "governance" share a stem, and only the plain form can
/// exclude one without the other.
#[derive(Clone)]
struct Forms {
    stem: Rc<str>,
    plain: Rc<str>,
}

/// One occurrence of a term in a text, as a range of word positions.
struct Hit {
    theme: usize,
    role: Role,
    start: usize,
    end: usize,
}

/// A text of at most this many words (about one sentence: a recommendation, a list item) that uses a
/// hint once is about that hint's theme, because such short items name their topic; in a longer
/// paragraph a single general word such as "audit" is usually a passing mention in a list.
const SHORT_TEXT_WORDS: usize = 25;

/// Tags text with the themes it concerns. Built once from the themes; each `tag` call scans the
/// text's words once, looking each word up in hash maps, so its cost grows with the text alone.
pub struct ThemeMatcher {
    slugs: Vec<String>,
    stemmer: Stemmer,
    /// First stem of a marker or hint phrase → every phrase starting with it.
    phrases: HashMap<String, Vec<Phrase>>,
    /// First plain word of an exclude phrase → every exclude starting with it.
    excludes: HashMap<String, Vec<Phrase>>,
    /// An acronym exactly as written, and its plural with `s` → the themes it marks.
    acronyms: HashMap<String, Vec<usize>>,
}

impl ThemeMatcher {
    pub fn new(themes: &[Theme]) -> Self {
        let mut matcher = ThemeMatcher {
            slugs: themes.iter().map(|t| t.slug.clone()).collect(),
            stemmer: Stemmer::create(Algorithm::English),
            phrases: HashMap::new(),
            excludes: HashMap::new(),
            acronyms: HashMap::new(),
        };
        for (index, theme) in themes.iter().enumerate() {
            let terms = &theme.terms;
            for (role, list) in [
                (Role::Marker, &terms.phrases),
                (Role::Hint, &terms.hints),
                (Role::Exclude, &terms.exclude),
            ] {
                for phrase in list {
                    matcher.add_phrase(index, role, phrase);
                }
            }
            for acronym in &terms.acronyms {
                for form in [acronym.clone(), format!("{acronym}s")] {
                    matcher.acronyms.entry(form).or_default().push(index);
                }
            }
        }
        matcher
    }

    fn add_phrase(&mut self, theme: usize, role: Role, phrase: &str) {
        let exclude = role == Role::Exclude;
        let mut keys: Vec<String> = words(phrase)
            .into_iter()
            .map(|w| {
                let forms = self.forms(w);
                if exclude { forms.plain } else { forms.stem }.to_string()
            })
            .collect();
        if keys.is_empty() {
            return;
        }
        let first = keys.remove(0);
        let map = if exclude {
            &mut self.excludes
        } else {
            &mut self.phrases
        };
        map.entry(first).or_default().push(Phrase {
            theme,
            role,
            rest: keys,
        });
    }

    /// The slugs of the themes `text` substantively concerns, sorted. A theme is tagged when one of
    /// its phrases or acronyms occurs outside its excluded look-alikes, or when its hints occur
    /// twice, or once in a short text (see [`SHORT_TEXT_WORDS`]).
    pub fn tag(&self, text: &str) -> Vec<String> {
        let surface = words(text);
        let forms: Vec<Forms> = surface.iter().map(|w| self.forms(w)).collect();
        let mut hits = self.hits(&surface, &forms);
        drop_claimed_hints(&mut hits);
        // Stable, so each theme's hits stay in text order for counting hints.
        hits.sort_by_key(|h| h.theme);
        let mut tags: Vec<String> = hits
            .chunk_by(|a, b| a.theme == b.theme)
            .filter(|theme_hits| concerns(theme_hits, surface.len()))
            .map(|theme_hits| self.slugs[theme_hits[0].theme].clone())
            .collect();
        tags.sort();
        tags
    }

    /// Every phrase and acronym occurrence, found in one pass over the words.
    fn hits(&self, surface: &[&str], forms: &[Forms]) -> Vec<Hit> {
        let stems: Vec<&str> = forms.iter().map(|f| &*f.stem).collect();
        let plain: Vec<&str> = forms.iter().map(|f| &*f.plain).collect();
        let mut hits = Vec::new();
        for (start, word) in surface.iter().enumerate() {
            phrase_hits(&self.phrases, &stems, start, &mut hits);
            phrase_hits(&self.excludes, &plain, start, &mut hits);
            let acronyms = has_capital(word)
                .then(|| self.acronyms.get(*word))
                .flatten();
            for &theme in acronyms.into_iter().flatten() {
                hits.push(Hit {
                    theme,
                    role: Role::Marker,
                    start,
                    end: start + 1,
                });
            }
        }
        hits
    }

    /// A word's stem and plain form, memoised per thread by the word as written: Snowball
    /// stemming costs a few hundred nanoseconds a word, and reports repeat a small vocabulary, so
    /// tagging thousands of reports mostly hits the memo.
    fn forms(&self, word: &str) -> Forms {
        thread_local! {
            static MEMO: RefCell<HashMap<String, Forms>> = RefCell::new(HashMap::new());
        }
        MEMO.with_borrow_mut(|memo| {
            if let Some(forms) = memo.get(word) {
                return forms.clone();
            }
            let folded = fold(word);
            let forms = match irregular_singular(&folded) {
                Some(singular) => Forms {
                    stem: singular.into(),
                    plain: singular.into(),
                },
                None => Forms {
                    stem: self.stemmer.stem(&folded).into(),
                    plain: strip_plural(&folded).into(),
                },
            };
            // A bound keeps the memo small should a run meet an unusually large vocabulary.
            if memo.len() >= 200_000 {
                memo.clear();
            }
            memo.insert(word.to_string(), forms.clone());
            forms
        })
    }
}

/// Occurrences of the phrases in `map` that start at word `start` of `keys`.
fn phrase_hits(
    map: &HashMap<String, Vec<Phrase>>,
    keys: &[&str],
    start: usize,
    hits: &mut Vec<Hit>,
) {
    for phrase in map.get(keys[start]).into_iter().flatten() {
        let end = start + 1 + phrase.rest.len();
        let follows = keys
            .get(start + 1..end)
            .is_some_and(|next| next.iter().zip(&phrase.rest).all(|(a, b)| *a == b));
        if follows {
            hits.push(Hit {
                theme: phrase.theme,
                role: phrase.role,
                start,
                end,
            });
        }
    }
}

/// "talks" → "talk", leaving short words and "-ss" words ("process") alone.
fn strip_plural(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(singular) if word.len() > 3 && !singular.ends_with('s') => singular,
        _ => word,
    }
}

/// Acronyms are only looked up for words with a capital letter, which most words lack.
fn has_capital(word: &str) -> bool {
    word.chars().any(char::is_uppercase)
}

/// A hint inside another theme's phrase is that theme's word, not a mention of its own theme:
/// "exploitation" hints at criminal exploitation, but not within "child sexual exploitation".
fn drop_claimed_hints(hits: &mut Vec<Hit>) {
    let markers: Vec<(usize, usize, usize)> = hits
        .iter()
        .filter(|h| h.role == Role::Marker)
        .map(|h| (h.theme, h.start, h.end))
        .collect();
    hits.retain(|h| {
        h.role != Role::Hint
            || !markers
                .iter()
                .any(|&(theme, start, end)| theme != h.theme && start < h.end && h.start < end)
    });
}

/// Whether one theme's hits, in text order, make it a topic of a text of `word_count` words.
/// Overlapping hints ("child exploitation", "exploitation") count as one mention.
fn concerns(hits: &[Hit], word_count: usize) -> bool {
    let excluded = |hit: &Hit| {
        hits.iter()
            .any(|x| x.role == Role::Exclude && x.start < hit.end && hit.start < x.end)
    };
    let (mut markers, mut hints, mut hint_end) = (0, 0, 0);
    for hit in hits.iter().filter(|h| !excluded(h)) {
        match hit.role {
            Role::Marker => markers += 1,
            Role::Hint if hit.start >= hint_end => {
                hints += 1;
                hint_end = hit.end;
            }
            Role::Hint | Role::Exclude => {}
        }
    }
    markers > 0 || hints >= 2 || (hints == 1 && word_count <= SHORT_TEXT_WORDS)
}

/// Lower case without apostrophes, the form stemmed (`don’t` → `dont`).
fn fold(word: &str) -> String {
    word.chars()
        .filter(|c| !is_apostrophe(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// English plurals the Snowball stemmer leaves alone but that documents use for the same thing
/// ("children looked after" and "child looked after").
fn irregular_singular(word: &str) -> Option<&'static str> {
    match word {
        "children" => Some("child"),
        "women" => Some("woman"),
        "men" => Some("man"),
        _ => None,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// The words of a text as written: runs of letters and digits, keeping an apostrophe inside a word
/// but dropping a possessive `’s` (`children’s` → `children`), and skipping Markdown link
/// addresses so a URL never tags a paragraph.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut start: Option<usize> = None;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let in_word = c.is_alphanumeric()
            || (start.is_some() && is_apostrophe(c) && next.is_some_and(char::is_alphanumeric));
        if in_word {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(strip_possessive(&text[s..i]));
        }
        if c == ']' && next == Some('(') {
            for (_, skipped) in chars.by_ref() {
                if skipped == ')' {
                    break;
                }
            }
        }
    }
    if let Some(s) = start {
        out.push(strip_possessive(&text[s..]));
    }
    out
}

fn strip_possessive(word: &str) -> &str {
    for ending in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
        if let Some(stem) = word.strip_suffix(ending) {
            return stem;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ThemeTerms;

    fn theme(slug: &str, phrases: &[&str], acronyms: &[&str]) -> Theme {
        Theme {
            slug: slug.to_string(),
            title: slug.to_string(),
            short: slug.to_string(),
            description: "About it.".to_string(),
            terms: ThemeTerms {
                phrases: phrases.iter().map(|s| s.to_string()).collect(),
                acronyms: acronyms.iter().map(|s| s.to_string()).collect(),
                ..ThemeTerms::default()
            },
            related: vec![],
        }
    }

    fn tags(themes: &[Theme], text: &str) -> Vec<String> {
        ThemeMatcher::new(themes).tag(text)
    }

    #[test]
    fn acronyms_are_case_sensitive_whole_words_with_plural() {
        let mut peps = theme("peps", &["personal education plan"], &["PEP"]);
        peps.terms.exclude = vec!["pep talk".to_string()];
        let themes = [peps];
        assert_eq!(tags(&themes, "Every PEP was reviewed."), ["peps"]);
        assert_eq!(tags(&themes, "PEPs are of variable quality."), ["peps"]);
        assert_eq!(tags(&themes, "The PEP’s targets were vague."), ["peps"]);
        assert!(tags(&themes, "Pep was there.").is_empty());
        assert!(tags(&themes, "Staff got a pep talk.").is_empty());
        assert!(tags(&themes, "A PEP talk was given.").is_empty());
        assert!(tags(&themes, "Add pepper and PEPPER.").is_empty());
        assert!(tags(&themes, "PEPSI").is_empty());
    }

    #[test]
    fn inflected_forms_match_through_stems() {
        let themes = [theme("cse", &["sexual exploitation"], &["CSE"])];
        assert_eq!(
            tags(&themes, "children who are sexually exploited"),
            ["cse"]
        );
        assert_eq!(
            tags(&themes, "a response to child sexual exploitation"),
            ["cse"]
        );
        assert!(tags(&themes, "exploitation of sexual content").is_empty());
        let care = [theme("children-in-care", &["child in care"], &[])];
        assert_eq!(
            tags(&care, "Children in care do well."),
            ["children-in-care"]
        );
        let leavers = [theme("care-leavers", &["pathway plan"], &[])];
        assert_eq!(
            tags(&leavers, "Pathway planning is strong."),
            ["care-leavers"]
        );
    }

    #[test]
    fn matches_whole_words_only() {
        let themes = [
            theme("workforce", &["caseload"], &[]),
            theme("case", &["case"], &[]),
        ];
        assert_eq!(tags(&themes, "Caseloads are manageable."), ["workforce"]);
        assert_eq!(tags(&themes, "In this case."), ["case"]);
        assert!(tags(&themes, "A bookcase; showcases.").is_empty());
    }

    #[test]
    fn curly_apostrophes_and_markdown_are_tokenised() {
        assert_eq!(
            words("*Children’s* [plans](https://x.gov.uk/cse) don’t — parents’ **IROs**"),
            ["Children", "plans", "don’t", "parents", "IROs"]
        );
        let themes = [theme("cse", &[], &["CSE"])];
        assert!(tags(&themes, "See [the report](https://a.uk/CSE).").is_empty());
        assert_eq!(tags(&themes, "The *CSE* team."), ["cse"]);
        let homes = [theme("children-in-care", &["children's home"], &[])];
        assert_eq!(
            tags(&homes, "Two children’s homes closed."),
            ["children-in-care"]
        );
    }

    #[test]
    fn excluded_look_alikes_do_not_count_but_other_mentions_do() {
        let mut health = theme("health", &["health needs"], &[]);
        health.terms.exclude = vec!["mental health".to_string()];
        let themes = [health];
        assert!(tags(&themes, "Their mental health needs are met.").is_empty());
        assert_eq!(
            tags(&themes, "Mental health and other health needs are met."),
            ["health"]
        );
    }

    #[test]
    fn excludes_compare_plain_words_so_a_shared_stem_is_not_excluded() {
        let mut identity = theme("identity-diversity", &["faith"], &[]);
        identity.terms.exclude = vec!["faithful".to_string()];
        let themes = [identity];
        assert!(
            tags(
                &themes,
                "The Lucy Faithfull Foundation and faithful partners."
            )
            .is_empty()
        );
        assert_eq!(
            tags(&themes, "Children’s faiths are respected."),
            ["identity-diversity"]
        );
    }

    #[test]
    fn a_hint_inside_another_themes_phrase_does_not_count() {
        let mut cce = theme("criminal-exploitation", &["county lines"], &[]);
        cce.terms.hints = vec!["exploitation".to_string()];
        let themes = [theme("cse", &["child sexual exploitation"], &[]), cce];
        assert_eq!(
            tags(&themes, "Child sexual exploitation is reducing."),
            ["cse"]
        );
        assert_eq!(
            tags(&themes, "Exploitation is reducing."),
            ["criminal-exploitation"]
        );
    }

    #[test]
    fn hints_need_two_mentions_or_a_short_text() {
        let mut oversight = theme("management-oversight", &["management oversight"], &[]);
        oversight.terms.hints = vec!["supervision".to_string()];
        let themes = [oversight];
        assert_eq!(
            tags(&themes, "Supervision is regular and reflective."),
            ["management-oversight"]
        );
        let long = "Inspectors evaluated performance reports, care planning, the quality of \
                    assessments, the voice of the child, permanence, placements, supervision, \
                    training, caseloads and the timeliness of work across the whole service.";
        assert!(tags(&themes, long).is_empty());
        let twice = format!("{long} Supervision records were detailed.");
        assert_eq!(tags(&themes, &twice), ["management-oversight"]);
    }

    #[test]
    fn tags_are_sorted_slugs() {
        let themes = [
            theme("zeta", &["zebra"], &[]),
            theme("alpha", &["zebra"], &[]),
        ];
        assert_eq!(tags(&themes, "a zebra"), ["alpha", "zeta"]);
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    const GOOD: &str = "slug: cse\ntitle: CSE\nshort: CSE\ndescription: About CSE.\n\
                        terms:\n  acronyms: [CSE]\nrelated:\n  - missing-childen\n";

    #[test]
    fn loads_valid_themes_sorted() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "cse.yaml", &GOOD.replace("childen", "children"));
        write(
            dir.path(),
            "missing-children.yaml",
            "slug: missing-children\ntitle: M\nshort: M\ndescription: D.\nterms:\n  phrases: [go missing]\n",
        );
        let themes = load_themes(dir.path()).unwrap();
        let slugs: Vec<_> = themes.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["cse", "missing-children"]);
    }

    #[test]
    fn unknown_related_theme_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "cse.yaml", GOOD);
        write(
            dir.path(),
            "missing-child.yaml",
            "slug: missing-child\ntitle: M\nshort: M\ndescription: D.\nterms:\n  phrases: [go missing]\n",
        );
        let errors = load_themes(dir.path()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].path.ends_with("cse.yaml"));
        assert_eq!(errors[0].line, 8);
        assert!(
            errors[0]
                .message
                .contains("\"missing-childen\" does not exist")
        );
        assert!(errors[0].message.contains("did you mean \"missing-child\""));
    }

    #[test]
    fn all_problems_are_reported_together() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "broken.yaml", "slug: broken\ntitle: [oops\n");
        write(
            dir.path(),
            "renamed.yaml",
            "title: T\nslug: other\nshort: S\ndescription: D.\nterms:\n  phrases: [x]\n",
        );
        write(
            dir.path(),
            "empty.yaml",
            "slug: empty\ntitle: T\nshort: S\ndescription: D.\nterms: {}\n",
        );
        let twin = GOOD
            .replace("cse", "twin")
            .replace("  - missing-childen\n", "");
        write(dir.path(), "twin.yaml", &twin);
        write(dir.path(), "twin.yml", &twin);
        let errors = load_themes(dir.path()).unwrap_err();
        let at = |file: &str| {
            errors
                .iter()
                .find(|e| e.path.ends_with(file))
                .unwrap_or_else(|| panic!("no error for {file}: {errors:?}"))
        };
        assert!(at("broken.yaml").line >= 2);
        assert_eq!(at("renamed.yaml").line, 2);
        assert!(
            at("renamed.yaml")
                .message
                .contains("rename the file to other.yaml")
        );
        assert_eq!(at("empty.yaml").line, 5);
        assert!(at("twin.yml").message.contains("already used by"));
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    #[test]
    fn missing_folder_means_no_themes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_themes(&dir.path().join("themes")).unwrap().is_empty());
    }

    fn real_themes() -> Vec<Theme> {
        load_themes(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes")).unwrap()
    }

    #[test]
    fn real_themes_load_with_terms_and_descriptions() {
        let themes = real_themes();
        assert!(themes.len() >= 23);
        for t in &themes {
            assert!(
                !t.terms.phrases.is_empty() || !t.terms.acronyms.is_empty(),
                "{}",
                t.slug
            );
            assert!(t.description.split_whitespace().count() >= 30, "{}", t.slug);
            assert!(!t.related.is_empty(), "{}", t.slug);
        }
    }

    #[test]
    fn real_themes_tag_sentences_from_inspection_reports() {
        let matcher = ThemeMatcher::new(&real_themes());
        let cases: &[(&str, &[&str])] = &[
            (
                "Personal Education Plans are of variable quality.",
                &["peps"],
            ),
            ("CSE", &["cse"]),
            (
                "There is a robust and well-coordinated response to children who are missing \
                 and/or at risk of experiencing child sexual exploitation.",
                &["cse", "missing-children"],
            ),
            (
                "Improve agency attendance at all initial child protection meetings to improve the \
                 identification of risk, and plans to ensure children’s safety; in particular, that \
                 of police, general practitioners and mainstream midwifery services.",
                &["child-protection", "health"],
            ),
            (
                "The routine involvement of health agencies in strategy discussions.",
                &["front-door", "health"],
            ),
            (
                "Independent reviewing officers (IROs) provide robust oversight and effective \
                 critical challenge.",
                &["children-in-care"],
            ),
            (
                "The quality and independence of audits to ensure that they provide learning to \
                 support improvement in social work practice.",
                &["quality-assurance"],
            ),
            (
                "Leeds adopted a restorative approach across the partnership.",
                &[],
            ),
            (
                "Covid-19 has had a significant impact on all agencies.",
                &["covid-19"],
            ),
            (
                "Services have now included CCE as a specific referral category alongside county lines.",
                &["criminal-exploitation"],
            ),
            (
                "Children Missing Education (CME) are tracked by the team.",
                &[],
            ),
            (
                "The number of DV notifications to schools has risen.",
                &["domestic-abuse"],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(matcher.tag(text), *expected, "{text}");
        }
    }
}
