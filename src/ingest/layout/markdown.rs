//! Escaping text so that it reads as the plain text it is when rendered as Markdown: a
//! paragraph opening with `1.` is not a list, a stray `*` is not emphasis, `<` is not HTML.

/// Escape the characters that would turn into Markdown syntax.
pub fn escape(text: &str) -> String {
    escape_block_start(&escape_inline(text))
}

/// Inline syntax: emphasis, code, links, HTML and backslashes. An underscore inside a word
/// (`file_name`) cannot open emphasis, so it is left alone.
fn escape_inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let inside_word = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let special = match c {
            '\\' | '*' | '`' | '[' | ']' | '<' | '>' => true,
            '_' => !inside_word,
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Block syntax at the start of the text: headings, quotes, list markers, rules.
fn escape_block_start(text: &str) -> String {
    let ordered_marker = text
        .find(|c: char| !c.is_ascii_digit())
        .filter(|&i| (1..=9).contains(&i))
        .filter(|&i| text[i..].starts_with(". ") || text[i..].starts_with(") "));
    if let Some(i) = ordered_marker {
        return format!("{}\\{}", &text[..i], &text[i..]);
    }
    let opens_block = text.starts_with('#')
        || text.starts_with(['+', '-', '=']) && text[1..].starts_with(' ')
        || text.starts_with("---")
        || text.starts_with('|');
    if opens_block {
        format!("\\{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_syntax_is_escaped() {
        assert_eq!(escape("1. Not a list"), "1\\. Not a list");
        assert_eq!(escape("2014) was the year"), "2014\\) was the year");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("- not a bullet"), "\\- not a bullet");
        assert_eq!(escape("2.1 Adoption"), "2.1 Adoption");
    }

    #[test]
    fn inline_syntax_is_escaped() {
        assert_eq!(escape("a *stray star"), "a \\*stray star");
        assert_eq!(escape("see <this>"), "see \\<this\\>");
        assert_eq!(escape("file_name stays"), "file_name stays");
        assert_eq!(escape("_emphasis_"), "\\_emphasis\\_");
        assert_eq!(escape("[1]"), "\\[1\\]");
    }
}
