//! Turning a seed's bytes into text: UTF-8 (or UTF-16 with a byte-order mark), Windows-1252 as a
//! fallback, and clear refusals for files that are empty, binary or far too large.

/// Seeds are text pulled from one PDF; a few megabytes at most. Anything far larger is almost
/// certainly the wrong file, and refusing it keeps memory bounded.
pub const MAX_SEED_BYTES: usize = 32 * 1024 * 1024;

/// Why a seed could not be read as text; the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty; delete it or replace it with the document's text")]
    Empty,
    #[error(
        "the file is {0} bytes, over the {MAX_SEED_BYTES}-byte limit for one seed; check it is the extracted text of one document"
    )]
    TooLarge(usize),
    #[error(
        "the file looks binary (byte {0} is a control character), not text; extract the PDF's text first (e.g. pdftotext) and use that"
    )]
    Binary(usize),
}

/// Decoded text and what the reader should know about how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// Decode a seed's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.len() > MAX_SEED_BYTES {
        return Err(DecodeError::TooLarge(bytes.len()));
    }
    if let Some(text) = decode_utf16(bytes) {
        return finish(
            text,
            Some("decoded as UTF-16 (it has a UTF-16 byte-order mark)".into()),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes
        .iter()
        .position(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
    {
        return Err(DecodeError::Binary(at));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => finish(text.to_string(), None),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            finish(
                text.into_owned(),
                Some(format!(
                    "not valid UTF-8 (first bad byte at offset {}); decoded as Windows-1252 — check quotes and accents on the page",
                    e.valid_up_to()
                )),
            )
        }
    }
}

fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (encoding, rest) = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (encoding_rs::UTF_16LE, rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (encoding_rs::UTF_16BE, rest)
    } else {
        return None;
    };
    let (text, _) = encoding.decode_without_bom_handling(rest);
    Some(text.into_owned())
}

fn finish(text: String, warning: Option<String>) -> Result<Decoded, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    // Form feeds mark PDF page breaks; a line break keeps the text's shape for layout.
    let text = text.replace("\r\n", "\n").replace(['\r', '\u{c}'], "\n");
    Ok(Decoded { text, warning })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let d = decode("Children’s services".as_bytes()).unwrap();
        assert_eq!(d.text, "Children’s services");
        assert!(d.warning.is_none());
    }

    #[test]
    fn windows_1252_is_decoded_with_warning() {
        let d = decode(b"Children\x92s services").unwrap();
        assert_eq!(d.text, "Children’s services");
        assert!(d.warning.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn empty_and_blank_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\n "), Err(DecodeError::Empty));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b"%PDF-1.4\x00\x01"), Err(DecodeError::Binary(8)));
    }

    #[test]
    fn huge_is_refused() {
        let big = vec![b'a'; MAX_SEED_BYTES + 1];
        assert!(matches!(decode(&big), Err(DecodeError::TooLarge(_))));
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Leeds".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Leeds");
    }
}
