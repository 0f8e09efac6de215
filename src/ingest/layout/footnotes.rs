//! Footnote markers: digits glued to the end of a word (`protection.2`, `schools3`) become
//! Markdown footnote references, but only where the document has the matching footnote text.

/// Where `label` is glued to a word in `text`: the byte range of the digits, last one first
/// found from the end (the marker nearest the footnote below it).
pub fn find_marker(text: &str, label: &str) -> Option<std::ops::Range<usize>> {
    let mut search_end = text.len();
    while let Some(start) = text[..search_end].rfind(label) {
        let end = start + label.len();
        if is_glued_marker(text, start, end) {
            return Some(start..end);
        }
        search_end = start;
    }
    None
}

/// Digits at `start..end` end a word: after a lower-case letter (`schools3`) or after closing
/// punctuation that follows a letter (`protection.2`, `‘Outstanding’4`), and before a space, punctuation
/// or the end of the text.
fn is_glued_marker(text: &str, start: usize, end: usize) -> bool {
    let after_ok = text[end..]
        .chars()
        .next()
        .is_none_or(|c| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | ')'));
    let mut before = text[..start].chars().rev();
    let before_ok = match before.next() {
        Some(c) if c.is_lowercase() => before.next().is_some_and(char::is_alphabetic),
        Some(c) if matches!(c, '.' | ',' | ';' | ':' | ')' | '’' | '\'' | '”' | '"') => {
            before.next().is_some_and(char::is_alphabetic)
        }
        _ => false,
    };
    after_ok && before_ok
}

/// Replace the marker with a footnote reference.
pub fn link_marker(text: &str, label: &str) -> Option<String> {
    let range = find_marker(text, label)?;
    Some(format!(
        "{}[^{label}]{}",
        &text[..range.start],
        &text[range.end..]
    ))
}

/// Remove the marker (for headings, which are not Markdown).
pub fn drop_marker(text: &str, label: &str) -> Option<String> {
    let range = find_marker(text, label)?;
    Some(format!("{}{}", &text[..range.start], &text[range.end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_glued_to_words() {
        assert_eq!(
            link_marker("good help, care and protection.2", "2").as_deref(),
            Some("good help, care and protection.[^2]")
        );
        assert_eq!(
            link_marker("4 live in residential special schools3, all of whom", "3").as_deref(),
            Some("4 live in residential special schools[^3], all of whom")
        );
        assert_eq!(
            drop_marker("Background documents1", "1").as_deref(),
            Some("Background documents")
        );
    }

    #[test]
    fn numbers_in_text_are_not_markers() {
        assert_eq!(link_marker("from 88.6% to 94.6% in 2013", "3"), None);
        assert_eq!(link_marker("Section 28 (S28) of the Act", "28"), None);
        assert_eq!(link_marker("covering 25 multi-agency clusters", "2"), None);
        assert_eq!(link_marker("there were 2 visits", "2"), None);
    }
}
