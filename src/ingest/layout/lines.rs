//! Rules about single lines: how a line starts (bullet glyph, paragraph number, letter), tick
//! boxes made readable, and joining a wrapped line to the next one.

use std::collections::HashSet;

/// Glyphs that open a bullet. `o` and `-` count only when followed by a space.
/// `U+F0B7` is the Symbol-font bullet that some extractors leave in the private-use area.
const BULLET_GLYPHS: [char; 9] = ['•', '➢', '◼', '▪', '●', '■', '\u{f0b7}', '·', '►'];

/// The text after a bullet glyph, if the line opens with one.
pub fn strip_bullet(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if BULLET_GLYPHS.contains(&first) {
        return Some(rest.trim_start());
    }
    let rest = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("o "))
        .or_else(|| line.strip_prefix("* "))?;
    Some(rest.trim_start())
}

/// A line that is nothing but a bullet glyph: its text follows on the next line.
pub fn is_lone_bullet(line: &str) -> bool {
    let mut chars = line.chars();
    chars.next().is_some_and(|c| BULLET_GLYPHS.contains(&c)) && chars.as_str().trim().is_empty()
}

/// A paragraph number and the text after it: `25. Text`, `3.4 Text`, `2 Background`.
///
/// Each part has at most three digits, so a year opening a wrapped line (`2014. 32 young
/// people`) is not taken for a number.
pub fn split_number(line: &str) -> Option<(String, &str)> {
    let end = line.find(' ')?;
    let (head, rest) = line.split_at(end);
    let number = head.strip_suffix('.').unwrap_or(head);
    let parts: Vec<&str> = number.split('.').collect();
    let plausible = parts
        .iter()
        .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let rest = rest.trim_start();
    let opens_text = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '(' || c == '‘' || c == '\'');
    (plausible && opens_text).then(|| (number.to_string(), rest))
}

/// How many levels a number has: `3` and `3.0` are one, `3.4` two, `4.1.1` three.
pub fn number_depth(number: &str) -> usize {
    let parts: Vec<&str> = number.split('.').collect();
    match parts.as_slice() {
        [_, "0"] => 1,
        _ => parts.len(),
    }
}

/// A lettered item such as `a) Scrutiny is asked…` or `(ii) …`. The letter stays in the text,
/// since paragraph anchors are made only from digits.
pub fn is_lettered(line: &str) -> bool {
    let body = line.strip_prefix('(').unwrap_or(line);
    let Some(close) = body.find(") ") else {
        return false;
    };
    let label = &body[..close];
    let roman = !label.is_empty() && label.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    (label.len() == 1 && label.chars().all(|c| c.is_ascii_lowercase())) || roman
}

/// Tick boxes as words: `☐Yes ☒No` → `Yes: not ticked; No: ticked`.
pub fn describe_tick_boxes(line: &str) -> String {
    const BOXES: [char; 3] = ['☐', '☒', '☑'];
    let Some(first) = line.find(BOXES) else {
        return line.to_string();
    };
    let lead = line[..first].trim_end();
    let mut items: Vec<(char, String)> = Vec::new();
    for c in line[first..].chars() {
        if BOXES.contains(&c) {
            items.push((c, String::new()));
        } else if let Some((_, label)) = items.last_mut() {
            label.push(c);
        }
    }
    let items: Vec<String> = items
        .iter()
        .map(|(glyph, label)| {
            let state = if *glyph == '☐' {
                "not ticked"
            } else {
                "ticked"
            };
            format!("{}: {state}", label.trim())
        })
        .collect();
    let described = items.join("; ");
    if lead.is_empty() {
        described
    } else {
        format!("{lead} {described}")
    }
}

/// Words that cannot end a sentence or heading: a line ending with one runs on.
const RUN_ON_WORDS: [&str; 24] = [
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "at", "from", "as",
    "that", "which", "is", "are", "be", "their", "its", "this", "our",
];

/// Whether a line plainly runs on: it ends with a comma, a hyphen or a word like `the`.
pub fn runs_on(line: &str) -> bool {
    if line.ends_with([',', '-', '–', '&']) {
        return true;
    }
    let last = line.rsplit(' ').next().unwrap_or("");
    RUN_ON_WORDS.contains(&last.to_lowercase().as_str())
}

/// Join a wrapped line to the next, mending a word hyphenated across the break.
pub fn join_lines(first: &str, next: &str, words: &HashSet<String>) -> String {
    if first.is_empty() {
        return next.to_string();
    }
    let Some(stem) = first.strip_suffix('-') else {
        return format!("{first} {next}");
    };
    let before = stem.rsplit(' ').next().unwrap_or("");
    let after = next.split(' ').next().unwrap_or("");
    if !before.chars().last().is_some_and(char::is_alphabetic) {
        // `2017-` + `22`: a range split at its dash.
        let glue = if next.starts_with(|c: char| c.is_ascii_digit()) {
            ""
        } else {
            " "
        };
        return format!("{first}{glue}{next}");
    }
    if keeps_hyphen(before, after, words) {
        if is_suspended_hyphen(after) {
            format!("{first} {next}")
        } else {
            format!("{first}{next}")
        }
    } else {
        format!("{stem}{next}")
    }
}

/// `short- and longer-term`: the hyphen belongs to a word whose second half comes later.
fn is_suspended_hyphen(after: &str) -> bool {
    matches!(after, "and" | "or" | "to")
}

/// Whether `before-` + `after` is a real compound (`well-coordinated`, `cross-party`) rather than
/// a word split by the typesetter (`safeguard-ing`). The document's own spelling decides where it
/// shows the word elsewhere; otherwise a split before a suffix is typesetting, anything else a
/// compound — word processors rarely hyphenate, so most line-end hyphens are real.
pub fn keeps_hyphen(before: &str, after: &str, words: &HashSet<String>) -> bool {
    const SUFFIXES: [&str; 14] = [
        "ing", "ed", "tion", "tions", "ment", "ments", "ly", "ness", "ity", "es", "s", "er", "al",
        "ive",
    ];
    let after_word: String = after
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect();
    if is_suspended_hyphen(&after_word) || after_word.chars().next().is_some_and(char::is_uppercase)
    {
        return true;
    }
    let joined = format!("{before}{after_word}").to_lowercase();
    let hyphenated = format!("{before}-{after_word}").to_lowercase();
    if words.contains(&hyphenated) {
        return true;
    }
    if words.contains(&joined) {
        return false;
    }
    !SUFFIXES.contains(&after_word.to_lowercase().as_str())
}

/// Every word of the document, lower-case, hyphenated compounds whole: the evidence
/// [`keeps_hyphen`] consults.
pub fn document_words(text: &str) -> HashSet<String> {
    text.split(|c: char| !(c.is_alphabetic() || c == '-'))
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| w.len() > 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullet_glyphs() {
        assert_eq!(strip_bullet("➢ The quality"), Some("The quality"));
        assert_eq!(strip_bullet("◼ The quality"), Some("The quality"));
        assert_eq!(strip_bullet("• This report"), Some("This report"));
        assert_eq!(strip_bullet("- Children are"), Some("Children are"));
        assert_eq!(strip_bullet("o Children are"), Some("Children are"));
        assert_eq!(strip_bullet("only children"), None);
        assert_eq!(strip_bullet("-based practice"), None);
        assert!(is_lone_bullet("•"));
        assert!(!is_lone_bullet("• text"));
    }

    #[test]
    fn paragraph_numbers() {
        assert_eq!(split_number("25. Text"), Some(("25".into(), "Text")));
        assert_eq!(
            split_number("3.4 The inspection"),
            Some(("3.4".into(), "The inspection"))
        );
        assert_eq!(
            split_number("4.1.1 A programme"),
            Some(("4.1.1".into(), "A programme"))
        );
        assert_eq!(
            split_number("2 Background information"),
            Some(("2".into(), "Background information"))
        );
        assert_eq!(split_number("2014. 32 young people"), None);
        assert_eq!(split_number("39.3"), None);
        assert_eq!(
            split_number("20 and 21 July"),
            Some(("20".into(), "and 21 July"))
        );
        assert_eq!(
            split_number("112 children"),
            Some(("112".into(), "children"))
        );
        assert_eq!(number_depth("3.0"), 1);
        assert_eq!(number_depth("3"), 1);
        assert_eq!(number_depth("3.4"), 2);
    }

    #[test]
    fn lettered_items() {
        assert!(is_lettered("a) Scrutiny is asked to note"));
        assert!(is_lettered("(ii) the second"));
        assert!(!is_lettered("Scrutiny (a) is"));
        assert!(!is_lettered("ab) no"));
    }

    #[test]
    fn tick_boxes_read_as_words() {
        assert_eq!(
            describe_tick_boxes("☐Yes  ☒No"),
            "Yes: not ticked; No: ticked"
        );
        assert_eq!(
            describe_tick_boxes("Have ward members been consulted? ☐Yes ☐No"),
            "Have ward members been consulted? Yes: not ticked; No: not ticked"
        );
        assert_eq!(
            describe_tick_boxes("☒Inclusive Growth ☒Health and Wellbeing"),
            "Inclusive Growth: ticked; Health and Wellbeing: ticked"
        );
        assert_eq!(describe_tick_boxes("No boxes here"), "No boxes here");
    }

    #[test]
    fn run_on_lines() {
        assert!(runs_on("in the Best Council Plan and"));
        assert!(runs_on("densely populated parts of the"));
        assert!(runs_on("for example,"));
        assert!(!runs_on("Areas for improvement"));
    }

    #[test]
    fn hyphenation() {
        let words = document_words("support is well-trained; we safeguard children, safeguarding");
        assert_eq!(
            join_lines("cross-", "party support", &words),
            "cross-party support"
        );
        assert_eq!(
            join_lines("a well-", "trained staff", &words),
            "a well-trained staff"
        );
        assert_eq!(join_lines("to sup-", "port", &words), "to support");
        assert_eq!(
            join_lines("safeguard-", "ing children", &words),
            "safeguarding children"
        );
        assert_eq!(
            join_lines("both short-", "and longer-term", &words),
            "both short- and longer-term"
        );
        assert_eq!(join_lines("Multi-", "agency", &words), "Multi-agency");
        assert_eq!(join_lines("2017-", "22 has", &words), "2017-22 has");
        assert_eq!(join_lines("plain", "text", &words), "plain text");
    }
}
