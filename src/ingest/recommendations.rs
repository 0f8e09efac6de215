//! Finding formal recommendations, areas for improvement and "what needs to improve" items.
//!
//! Three shapes are read from the layout blocks: a section headed "Areas for improvement", "What
//! needs to improve …" or "Recommendations" followed by numbered paragraphs or bullets (grouped by
//! the subheadings between them); and, in a council report, a lead-in that says Ofsted's
//! recommendations follow ("The three recommendations for improved practice are:") followed by
//! bullets, which are quoted rather than the council's own.

mod blocks;
#[cfg(test)]
mod seed_tests;

use std::collections::HashSet;

use crate::ingest::classify::dates;
use crate::ingest::layout::LayoutBlock;
use crate::model::{QuotedFrom, RecommendationKind, ReportKind};

use blocks::{Blocks, heading_text, item_text, tidy_item};

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

/// The sections that hold recommendations, by their heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    AreasForImprovement,
    WhatNeedsToImprove,
    Recommendations,
}

fn section_of(heading: &str) -> Option<Section> {
    let h = heading
        .trim()
        .trim_end_matches(['?', ':', '.'])
        .to_lowercase();
    match h.as_str() {
        "areas for improvement" | "areas for development" | "area for improvement" => {
            Some(Section::AreasForImprovement)
        }
        "recommendations" => Some(Section::Recommendations),
        _ if h.starts_with("what needs to improve") => Some(Section::WhatNeedsToImprove),
        _ => None,
    }
}

/// Find the recommendations in a document's blocks.
pub fn find(blocks: &[LayoutBlock], kind: ReportKind) -> Vec<FoundRecommendation> {
    let doc = Blocks::new(blocks);
    let mut found = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let section = heading_text(&blocks[i]).and_then(section_of);
        if let Some(section) = section {
            let (items, next) = collect_section(&doc, i, section, kind);
            found.extend(items);
            i = next.max(i + 1);
            continue;
        }
        if kind == ReportKind::CouncilCommitteeReport && is_quoting_lead_in(&doc, i) {
            let (items, next) = collect_quoted(&doc, i);
            found.extend(items);
            i = next.max(i + 1);
            continue;
        }
        i += 1;
    }
    without_repeats(found)
}

/// Who speaks in a section: an inspectorate's own items, a committee's decisions, or a council
/// report restating the inspectorate's.
fn voice(section: Section, kind: ReportKind) -> RecommendationKind {
    match (kind, section) {
        (ReportKind::CouncilCommitteeReport, Section::Recommendations) => {
            RecommendationKind::Committee
        }
        (ReportKind::CouncilCommitteeReport, _) => RecommendationKind::Quoted,
        _ => RecommendationKind::Inspection,
    }
}

/// The items of a section starting at heading `start`, and the index of the block that ended it.
fn collect_section(
    doc: &Blocks,
    start: usize,
    section: Section,
    kind: ReportKind,
) -> (Vec<FoundRecommendation>, usize) {
    let voice = voice(section, kind);
    let quoted_from = (voice == RecommendationKind::Quoted).then(|| source_named_by(doc, start));
    let mut group: Option<String> = None;
    let default_group = (section == Section::AreasForImprovement)
        .then(|| doc.whose_improvement_before(start))
        .flatten();
    let mut items: Vec<FoundRecommendation> = Vec::new();
    let mut j = start + 1;
    while j < doc.len() {
        if doc.is_furniture(j) || doc.is_break_inside_item(j, items.last().map(|r| r.text.as_str()))
        {
            j += 1;
            continue;
        }
        if let Some(heading) = heading_text(&doc[j]) {
            let is_group =
                section == Section::AreasForImprovement && doc.is_group_heading(start, j, heading);
            if !is_group {
                break;
            }
            group = Some(tidy_item(heading).trim_end_matches('.').to_string());
            j += 1;
            continue;
        }
        if let Some(last) = items.last_mut()
            && let Some(rest) = doc.continuation(j, &last.text)
        {
            last.text = tidy_item(&format!("{} {rest}", last.text));
            j += 1;
            continue;
        }
        match item_text(&doc[j]) {
            Some(text) => items.push(FoundRecommendation {
                block: j,
                kind: voice,
                group: group.clone().or_else(|| default_group.clone()),
                text,
                quoted_from: quoted_from.clone(),
            }),
            None if is_lead_in(&doc[j]) => {}
            None => break,
        }
        j += 1;
    }
    (items, j)
}

/// "Executive Board is recommended to:" introduces the items without being one.
fn is_lead_in(block: &LayoutBlock) -> bool {
    blocks::text_of(block).is_some_and(|t| t.trim_end().ends_with(':'))
}

/// Words that say the list after a lead-in is an inspectorate's findings to act on.
const QUOTING_PHRASES: [&str; 7] = [
    "recommendation",
    "areas for improvement",
    "areas for development",
    "areas for improved practice",
    "area for improvement",
    "need to improve",
    "needs to improve",
];

/// A council report's "Ofsted identified … The areas for improvement identified include:".
fn is_quoting_lead_in(doc: &Blocks, i: usize) -> bool {
    let Some(text) = blocks::text_of(&doc[i]) else {
        return false;
    };
    let text = text.trim_end();
    if !text.ends_with(':') {
        return false;
    }
    let lower = text.to_lowercase();
    let last_sentence = lower.rsplit(". ").next().unwrap_or(&lower);
    let names_inspectorate = ["ofsted", "inspector", "inspection"]
        .iter()
        .any(|w| lower.contains(w));
    names_inspectorate && QUOTING_PHRASES.iter().any(|p| last_sentence.contains(p))
}

/// The bullets after a quoting lead-in.
fn collect_quoted(doc: &Blocks, lead_in: usize) -> (Vec<FoundRecommendation>, usize) {
    let quoted_from = source_named_by(doc, lead_in);
    let mut items: Vec<FoundRecommendation> = Vec::new();
    let mut j = lead_in + 1;
    while j < doc.len() {
        if doc.is_furniture(j) || doc.is_break_inside_item(j, items.last().map(|r| r.text.as_str()))
        {
            j += 1;
            continue;
        }
        if let Some(last) = items.last_mut()
            && let Some(rest) = doc.continuation(j, &last.text)
        {
            last.text = tidy_item(&format!("{} {rest}", last.text));
            j += 1;
            continue;
        }
        let LayoutBlock::Bullet { .. } = &doc[j] else {
            break;
        };
        let Some(text) = item_text(&doc[j]) else {
            break;
        };
        items.push(FoundRecommendation {
            block: j,
            kind: RecommendationKind::Quoted,
            group: None,
            text,
            quoted_from: Some(quoted_from.clone()),
        });
        j += 1;
    }
    (items, j)
}

/// The document a council report quotes: a focused visit letter or an inspection report, with
/// its date where the report gives one ("published on 18th December 2018", "Focused Visit Letter
/// August 2021").
fn source_named_by(doc: &Blocks, lead_in: usize) -> QuotedFrom {
    let near = blocks::text_of(&doc[lead_in])
        .unwrap_or_default()
        .to_lowercase();
    let letter = near.contains("focused visit")
        || near.contains("focussed visit")
        || (!near.contains("inspection report") && doc.lower().contains("focused visit letter"));
    let (title, word) = if letter {
        ("Ofsted focused visit letter", "letter")
    } else {
        ("Ofsted inspection report", "report")
    };
    QuotedFrom {
        title: title.to_string(),
        date: date_of_source(doc.flat(), word),
        report: None,
    }
}

/// Filler that may sit between "report"/"letter" and its date.
const DATE_FILLER: [&str; 7] = ["published", "on", "dated", "of", "was", "is", "the"];

/// The first date written right after the word naming the source, as precise as the text is.
fn date_of_source(flat: &str, word: &str) -> Option<String> {
    let lower = flat.to_lowercase();
    dates::mentions(flat)
        .into_iter()
        .find(|m| {
            let Some(before) = lower.get(..m.start) else {
                return false;
            };
            let Some(at) = before.rfind(word) else {
                return false;
            };
            let between = &before[at + word.len()..];
            between.len() < 40
                && between
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .all(|w| DATE_FILLER.contains(&w))
        })
        .map(|m| m.date.iso_as_stated())
}

/// A council report restates the same items in its summary and its body: keep the first.
fn without_repeats(found: Vec<FoundRecommendation>) -> Vec<FoundRecommendation> {
    let mut seen = HashSet::new();
    found
        .into_iter()
        .filter(|r| seen.insert(comparable(&r.text)))
        .collect()
}

fn comparable(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(" and")
        .to_string()
}

#[cfg(test)]
mod tests;
