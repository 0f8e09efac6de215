//! The one place YAML is parsed or written, so the parser (serde_yaml, deprecated upstream) can be
//! swapped for a maintained one such as serde-saphyr by changing this file alone.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A YAML problem with its position in the text that was parsed (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parse YAML text into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        YamlError {
            line,
            column,
            message: strip_position(&e.to_string()),
        }
    })
}

/// Write `value` as YAML (no leading `---`).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    serde_yaml::to_string(value).map_err(|e| YamlError {
        line: 0,
        column: 0,
        message: e.to_string(),
    })
}

/// serde_yaml appends "at line X column Y"; we report the position ourselves, offset to the file.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_line_of_bad_yaml() {
        let err =
            from_str::<std::collections::BTreeMap<String, String>>("a: 1\nb: [\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
        assert!(!err.message.contains(" at line "));
    }
}
