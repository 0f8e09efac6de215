//! JSON strings written straight into a buffer, byte for byte as `serde_json` writes them, for
//! the archive's largest JSON: the search index's text chunks and `findings.json`, which together
//! hold the whole archive's text twice. `serde_json` looks at a string a byte at a time; nearly
//! all of this text needs no escape, and looking at it eight bytes at a time took its escaping
//! from a twenty-fifth of a full build's CPU time to a fraction of that.

/// Eight copies of byte `b` in a word.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

const ONES: u64 = splat(0x01);
const HIGHS: u64 = splat(0x80);

/// Whether any byte of `word` is a control character, `"` or `\`, the bytes JSON must escape.
/// (`x - 0x01…` borrows into a byte's high bit only where that byte of `x` is zero, or below the
/// subtrahend for the `0x20` test; false hits, from a borrow running on, only cost a slower look.)
fn may_need_escape(word: u64) -> bool {
    let control = word.wrapping_sub(splat(0x20)) & !word;
    let quote = word ^ splat(b'"');
    let backslash = word ^ splat(b'\\');
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGHS != 0
}

/// The escape `serde_json` writes for byte `b`, or `None` when it is written as it is.
fn escape(b: u8) -> Option<&'static str> {
    const CONTROL: [&str; 32] = [
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f", "\\u0010", "\\u0011",
        "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019",
        "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    ];
    match b {
        b'"' => Some("\\\""),
        b'\\' => Some("\\\\"),
        _ => CONTROL.get(usize::from(b)).copied(),
    }
}

/// Append `s` to `out` as a JSON string, quotes included.
pub fn push_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // `s[copied..at]` is still to be copied; both are at character boundaries, since only ASCII
    // bytes are escaped.
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        let word = bytes
            .get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok());
        if let Some(word) = word
            && !may_need_escape(u64::from_ne_bytes(word))
        {
            at += 8;
            continue;
        }
        if let Some(escaped) = bytes.get(at).and_then(|&b| escape(b)) {
            out.push_str(&s[copied..at]);
            out.push_str(escaped);
            copied = at + 1;
        }
        at += 1;
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

/// Append `s` as a JSON string, or `null` for `None`.
pub fn push_optional(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.push_str("null"),
    }
}

/// Append `items` as a JSON array of strings.
pub fn push_strs<'a>(out: &mut String, items: impl IntoIterator<Item = &'a str>) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(out, item);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(s: &str) -> String {
        let mut out = String::new();
        push_str(&mut out, s);
        out
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut every_ascii: String = (0u8..128).map(char::from).collect();
        every_ascii.push_str("children’s “care” é 💡");
        let cases = [
            "",
            "plain text of more than eight bytes",
            "\"",
            "\\",
            "a\"b\\c\nd\te\u{1}f\u{1f}g\u{7f}h",
            "ends with a quote\"",
            "12345678\"12345678\\",
            "\u{8}\u{c}\r\u{b}",
            "ÿ\u{ff}\u{100}\u{2028}",
            &every_ascii,
        ];
        for case in cases {
            assert_eq!(
                written(case),
                serde_json::to_string(case).unwrap(),
                "{case:?}"
            );
        }
        // Every byte at every place in an eight-byte block, among bytes that need no escape.
        for b in 0u8..128 {
            for at in 0..17 {
                let mut s = "x".repeat(17);
                s.replace_range(at..at + 1, &char::from(b).to_string());
                assert_eq!(
                    written(&s),
                    serde_json::to_string(&s).unwrap(),
                    "{b} at {at}"
                );
            }
        }
    }

    #[test]
    fn the_eight_byte_test_misses_no_byte_that_needs_escaping() {
        for b in 0u8..=255 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let needs = b < 0x20 || b == b'"' || b == b'\\';
                if needs {
                    assert!(may_need_escape(u64::from_ne_bytes(word)), "{b} at {at}");
                }
            }
        }
        assert!(!may_need_escape(u64::from_ne_bytes(*b"plain ok")));
    }

    #[test]
    fn options_and_lists() {
        let mut out = String::new();
        push_optional(&mut out, None);
        push_optional(&mut out, Some("a"));
        push_strs(&mut out, ["b", "c\""]);
        push_strs(&mut out, []);
        assert_eq!(out, r#"null"a"["b","c\""][]"#);
    }
}
