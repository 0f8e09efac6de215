//! Page furniture: page numbers, running headers and footers, and footnote separator lines —
//! things the PDF put on every page that are not part of the document's text.

use std::collections::HashMap;

/// A line of the document once furniture is recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// An empty line: a paragraph may or may not continue past it.
    Blank,
    /// A page number or running header: a page ends here.
    PageEnd,
    /// A long run of spaces or underscores: the rule above a page's footnotes.
    FootnoteRule,
    /// Text, with whether it was indented by the extraction.
    Text { text: String, indented: bool },
}

/// The document's lines with furniture recognised and whitespace tidied.
pub fn read_lines(text: &str) -> Vec<Line> {
    let raw: Vec<&str> = text.lines().collect();
    let running = running_lines(&raw);
    raw.iter()
        .map(|line| {
            let trimmed = collapse_spaces(line);
            if is_footnote_rule(line) {
                Line::FootnoteRule
            } else if trimmed.is_empty() {
                Line::Blank
            } else if is_page_number(&trimmed) || running.iter().any(|r| *r == trimmed) {
                Line::PageEnd
            } else {
                Line::Text {
                    indented: line.starts_with([' ', '\t']),
                    text: trimmed,
                }
            }
        })
        .collect()
}

/// Trim a line and collapse runs of spaces inside it.
pub fn collapse_spaces(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `3`, `Page 3`, `Page 3 of 20`, `3 | Page`, `3 of 20`, `- 3 -`.
pub fn is_page_number(line: &str) -> bool {
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '|' || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let is_num = |w: &&str| w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit());
    match words.as_slice() {
        [n] => is_num(n),
        ["page", n] | [n, "page"] => is_num(n),
        ["page", n, "of", m] => is_num(n) && is_num(m),
        [n, "of", m] => is_num(n) && is_num(m),
        _ => false,
    }
}

/// A footnote rule: extraction turns the short line above footnotes into a run of spaces.
pub fn is_footnote_rule(line: &str) -> bool {
    let body = line.trim_end_matches(['\r', '\n']);
    let spaces = body.chars().filter(|c| *c == ' ').count();
    let underscores = body.chars().filter(|c| *c == '_').count();
    (spaces >= 20 && body.trim().is_empty())
        || (underscores >= 5 && body.trim().chars().all(|c| c == '_'))
}

/// Lines repeated on many pages: running headers, footers and letterhead addresses.
///
/// A line counts when it recurs at least a third as often as there are pages (and at least
/// four times: a table header repeated thrice is text), has two or more words, does not end a sentence and is mostly not followed by a
/// lower-case line: a sentence quoted three times in a report flows on, a header does not.
pub fn running_lines(raw: &[&str]) -> Vec<String> {
    let pages = 1 + raw
        .iter()
        .filter(|l| is_page_number(&collapse_spaces(l)))
        .count();
    let threshold = (pages / 3).max(4);
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, line) in raw.iter().enumerate() {
        let text = collapse_spaces(line);
        if text.split(' ').count() < 2 || ends_sentence(&text) {
            continue;
        }
        let flows_on = raw
            .get(i + 1)
            .and_then(|next| next.trim_start().chars().next())
            .is_some_and(char::is_lowercase);
        let entry = seen.entry(text).or_insert((0, 0));
        entry.0 += 1;
        if flows_on {
            entry.1 += 1;
        }
    }
    let mut running: Vec<String> = seen
        .into_iter()
        .filter(|(_, (count, flowing))| *count >= threshold && flowing * 2 < *count)
        .map(|(text, _)| text)
        .collect();
    running.sort();
    running
}

/// Whether text ends a sentence (or a list's lead-in), ignoring closing quotes and brackets and
/// a footnote marker glued after the full stop (`protection.2`).
pub fn ends_sentence(text: &str) -> bool {
    let text = without_footnote_marker(text.trim_end());
    let core = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '\'' | '"' | '’' | '”' | ')' | ']')
    });
    core.ends_with(['.', '!', '?', ':', ';'])
}

/// `protection.2` → `protection.`: up to two digits after a full stop that ends a word.
fn without_footnote_marker(text: &str) -> &str {
    let unmarked = text.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = text.len() - unmarked.len();
    let mut before = unmarked.chars().rev();
    let stop = before.next().is_some_and(|c| matches!(c, '.' | '?' | '!'));
    let word = before.next().is_some_and(|c| !c.is_ascii_digit());
    if (1..=2).contains(&digits) && stop && word {
        unmarked
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_number_shapes() {
        for yes in [
            "3",
            "Page 3 of 20",
            "3 | Page",
            "page 12",
            "- 4 -",
            "3 of 20",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["39.3", "3 Main issues", "Page", "2015 was a year", "Good"] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn page_number_line_is_a_page_end() {
        let lines = read_lines("text one\n\n 8 \n\ntext two");
        assert_eq!(lines[2], Line::PageEnd);
    }

    #[test]
    fn repeated_header_is_removed_but_repeated_sentence_kept() {
        let mut doc = String::new();
        for i in 0..5 {
            doc.push_str("Inspection of children's services Leeds\n\nSome finding about");
            doc.push_str(&format!(" page {i}.\n\n"));
            doc.push_str("decisions that are timely and well\nrecorded by managers.\n\n");
        }
        let running = running_lines(&doc.lines().collect::<Vec<_>>());
        assert_eq!(
            running,
            vec!["Inspection of children's services Leeds".to_string()]
        );
    }

    #[test]
    fn rule_of_spaces_before_footnotes() {
        assert!(is_footnote_rule(&" ".repeat(40)));
        assert!(is_footnote_rule("__________"));
        assert!(!is_footnote_rule(" "));
    }

    #[test]
    fn sentence_ends_through_quotes() {
        assert!(ends_sentence("as ‘right at the top’."));
        assert!(ends_sentence("(ILACS Framework)."));
        assert!(ends_sentence("include:"));
        assert!(ends_sentence("care and protection.2"));
        assert!(!ends_sentence("rated 94.6"));
        assert!(!ends_sentence("Regulations 2007)"));
        assert!(!ends_sentence("achieving"));
    }
}
