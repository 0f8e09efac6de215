//! Finding formal recommendations, areas for improvement and "what needs to improve" items.

use crate::ingest::layout::LayoutBlock;
use crate::model::{QuotedFrom, RecommendationKind, ReportKind};

/// A recommendation as found in the blocks, before ids and themes are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRecommendation {
    /// Index into the blocks of the paragraph or bullet that holds it.
    pub block: usize,
    pub kind: RecommendationKind,
    pub group: Option<String>,
    pub text: String,
    pub quoted_from: Option<QuotedFrom>,
}

/// Find the recommendations in a document's blocks.
pub fn find(_blocks: &[LayoutBlock], _kind: ReportKind) -> Vec<FoundRecommendation> {
    Vec::new()
}
