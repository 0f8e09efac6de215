//! Splitting a document that embeds another (a council report whose appendix is an Ofsted letter).

/// One document found in a seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    /// `false` for the host document (always the first part), `true` for an embedded one.
    pub embedded: bool,
}

/// Split a seed's repaired text into the host document and any documents it embeds.
pub fn split_embedded(text: &str) -> Vec<Part> {
    vec![Part {
        text: text.to_string(),
        embedded: false,
    }]
}
