//! Recommendations found in each seed by the real layout and finder, counted by hand from the
//! documents.

use super::*;
use crate::ingest::classify::{self, seed_tests::seed_parts};
use crate::ingest::layout;

/// For each part of a seed: its recommendations by kind, and the groups they carry.
fn found_in(seed: &str) -> Vec<Vec<FoundRecommendation>> {
    seed_parts(seed)
        .iter()
        .map(|part| {
            let blocks = layout::layout(&part.text);
            let kind = classify::classify(&part.text, &blocks).kind;
            find(&blocks, kind)
        })
        .collect()
}

fn count(found: &[FoundRecommendation], kind: RecommendationKind) -> usize {
    found.iter().filter(|r| r.kind == kind).count()
}

fn count_in_group(found: &[FoundRecommendation], group: &str) -> usize {
    found
        .iter()
        .filter(|r| r.group.as_deref() == Some(group))
        .count()
}

#[test]
fn sif_report_council_and_board_areas_for_improvement() {
    let parts = found_in("000_bba7b8ba5c51fe19.txt");
    let found = &parts[0];
    assert_eq!(count(found, RecommendationKind::Inspection), 20);
    assert_eq!(
        count_in_group(found, "Local Safeguarding Children Board"),
        5
    );
    assert_eq!(count_in_group(found, "Adoption"), 2);
    assert_eq!(count_in_group(found, "Care leavers"), 2);
    assert!(
        found[0]
            .text
            .starts_with("Extend the reach of the outcomes-based")
    );
    assert!(
        found[19]
            .text
            .starts_with("Scrutinise the absence of serious incident")
    );
}

#[test]
fn executive_board_report_committee_and_quoted_areas() {
    let parts = found_in("001_a10b7a8fd731d004.txt");
    let found = &parts[0];
    assert_eq!(count(found, RecommendationKind::Committee), 2);
    assert_eq!(count(found, RecommendationKind::Quoted), 4);
    let quoted = found
        .iter()
        .find(|r| r.kind == RecommendationKind::Quoted)
        .and_then(|r| r.quoted_from.clone());
    assert_eq!(quoted.and_then(|q| q.date).as_deref(), Some("2018-12-18"));
}

#[test]
fn focused_visit_letter_2018_what_needs_to_improve() {
    let parts = found_in("002_85e47bd16ee8f0bd.txt");
    assert_eq!(count(&parts[0], RecommendationKind::Inspection), 2);
    assert_eq!(parts[0].len(), 2);
}

#[test]
fn annual_report_has_no_formal_recommendations() {
    let parts = found_in("003_00c2cf2cf2e17c1a.txt");
    assert!(parts[0].is_empty());
}

#[test]
fn scrutiny_report_and_appended_letter() {
    let parts = found_in("004_19a38e1162f77a90.txt");
    assert_eq!(parts.len(), 2);
    let host = &parts[0];
    assert_eq!(count(host, RecommendationKind::Quoted), 3);
    assert_eq!(count(host, RecommendationKind::Committee), 3);
    let letter = &parts[1];
    assert_eq!(count(letter, RecommendationKind::Inspection), 3);
    assert_eq!(
        letter[1].text,
        "The quality and impact of management oversight and supervision to ensure that decisions \
         are timely and well recorded."
    );
}
