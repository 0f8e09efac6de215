//! Recognising a document's kind and metadata (title, authority, dates, framework, judgements,
//! inspectors) from its text.

use crate::ingest::layout::LayoutBlock;
use crate::model::{DateRange, Judgement, ReportKind};

/// What the text says about a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub title: String,
    pub kind: ReportKind,
    pub authority: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// Why the date was inferred, when the text does not state it.
    pub date_inferred: Option<String>,
    pub inspection_dates: Option<DateRange>,
    pub period: Option<String>,
    pub framework: Option<String>,
    pub judgements: Vec<Judgement>,
    pub inspectors: Vec<String>,
}

/// Classify a document from its repaired text and its blocks.
pub fn classify(_text: &str, blocks: &[LayoutBlock]) -> Metadata {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            LayoutBlock::Heading { text, .. } | LayoutBlock::Paragraph { text, .. } => {
                Some(text.chars().take(80).collect())
            }
            _ => None,
        })
        .unwrap_or_else(|| "Untitled document".to_string());
    Metadata {
        title,
        kind: ReportKind::Other,
        authority: None,
        date: None,
        date_inferred: None,
        inspection_dates: None,
        period: None,
        framework: None,
        judgements: vec![],
        inspectors: vec![],
    }
}
