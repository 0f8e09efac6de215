//! The layout of the real seed documents: the rules hold on whole documents, and no text is lost.

use std::collections::HashMap;

use super::{LayoutBlock, layout};
use crate::ingest::repair::normalise_characters;

const SEED_000: &str = include_str!("../../../seeds/000_bba7b8ba5c51fe19.txt");
const SEED_001: &str = include_str!("../../../seeds/001_a10b7a8fd731d004.txt");
const SEED_002: &str = include_str!("../../../seeds/002_85e47bd16ee8f0bd.txt");
const SEED_003: &str = include_str!("../../../seeds/003_00c2cf2cf2e17c1a.txt");
const SEED_004: &str = include_str!("../../../seeds/004_19a38e1162f77a90.txt");
const SEEDS: [&str; 5] = [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004];

fn blocks_of(seed: &str) -> Vec<LayoutBlock> {
    layout(&normalise_characters(seed))
}

fn paragraph_numbers(blocks: &[LayoutBlock]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            LayoutBlock::Paragraph { number, .. } => number.clone(),
            _ => None,
        })
        .collect()
}

fn headings(blocks: &[LayoutBlock]) -> Vec<(u8, &str)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            LayoutBlock::Heading { level, text } => Some((*level, text.as_str())),
            _ => None,
        })
        .collect()
}

fn text_of(block: &LayoutBlock) -> &str {
    match block {
        LayoutBlock::Heading { text, .. }
        | LayoutBlock::Paragraph { text, .. }
        | LayoutBlock::Bullet { text }
        | LayoutBlock::Footnote { text, .. } => text,
    }
}

/// Lower-case alphabetic words and how often each occurs.
fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn inspection_report_numbers_every_paragraph_in_order() {
    let blocks = blocks_of(SEED_000);
    let expected: Vec<String> = (1..=215).map(|n| n.to_string()).collect();
    assert_eq!(paragraph_numbers(&blocks), expected);
}

#[test]
fn inspection_report_has_group_headings_before_areas_for_improvement() {
    let blocks = blocks_of(SEED_000);
    let h = headings(&blocks);
    assert!(h.contains(&(2, "Areas for improvement")), "{h:?}");
    for group in [
        "Leadership, Management and Governance",
        "Help and protection",
        "Looked After children",
        "Adoption",
        "Care leavers",
    ] {
        assert!(h.contains(&(3, group)), "{group} missing from {h:?}");
    }
    let adoption = blocks
        .iter()
        .position(|b| {
            *b == LayoutBlock::Heading {
                level: 3,
                text: "Adoption".into(),
            }
        })
        .expect("Adoption heading");
    assert!(matches!(
        &blocks[adoption + 1],
        LayoutBlock::Paragraph { number: Some(n), .. } if n == "12"
    ));
}

#[test]
fn no_block_is_a_bare_page_number() {
    for seed in SEEDS {
        for block in blocks_of(seed) {
            let text = text_of(&block).trim();
            assert!(
                !text.bytes().all(|b| b.is_ascii_digit()),
                "bare number block {block:?}"
            );
        }
    }
}

#[test]
fn inspection_report_footnotes_are_linked() {
    let blocks = blocks_of(SEED_000);
    let labels: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            LayoutBlock::Footnote { label, .. } => Some(label.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(labels, ["1", "2", "3"]);
    let all: String = blocks.iter().map(text_of).collect::<Vec<_>>().join("\n");
    assert!(all.contains("protection.[^2]"));
    assert!(all.contains("schools[^3]"));
}

#[test]
fn focused_visit_letter_has_its_bullets_under_their_headings() {
    let blocks = blocks_of(SEED_002);
    let heading = |t: &str| {
        blocks
            .iter()
            .position(|b| matches!(b, LayoutBlock::Heading { text, .. } if text == t))
            .unwrap_or_else(|| panic!("no heading {t}: {blocks:#?}"))
    };
    let bullets_after = |i: usize| {
        blocks[i + 1..]
            .iter()
            .take_while(|b| matches!(b, LayoutBlock::Bullet { .. }))
            .count()
    };
    assert_eq!(
        bullets_after(heading(
            "What needs to improve in this area of social work practice"
        )),
        2
    );
    assert_eq!(bullets_after(heading("Findings")), 15);
    assert!(
        blocks
            .iter()
            .any(|b| text_of(b).contains("a strong focus on achieving permanence"))
    );
    assert!(
        blocks
            .iter()
            .any(|b| text_of(b).contains("analysed and the results are used"))
    );
}

#[test]
fn council_report_keeps_its_numbered_sections() {
    let blocks = blocks_of(SEED_001);
    let numbers = paragraph_numbers(&blocks);
    for n in [
        "1.1", "2.2", "2.8", "3.1", "3.19", "4.1.1", "4.6.1", "5.2", "6.3", "7.1",
    ] {
        assert!(
            numbers.iter().any(|x| x == n),
            "{n} missing from {numbers:?}"
        );
    }
    let h = headings(&blocks);
    for t in [
        "1 Purpose of this report",
        "3 Main issues",
        "4.1 Consultation and Engagement",
    ] {
        assert!(h.iter().any(|(_, x)| *x == t), "{t} missing from {h:?}");
    }
}

#[test]
fn scrutiny_report_reads_its_bullets_and_tick_boxes() {
    let blocks = blocks_of(SEED_004);
    let bullets = blocks
        .iter()
        .filter(|b| matches!(b, LayoutBlock::Bullet { .. }))
        .count();
    assert!(bullets >= 11, "{bullets} bullets");
    assert!(
        blocks
            .iter()
            .any(|b| text_of(b) == "Yes: not ticked; No: ticked")
    );
    let numbers = paragraph_numbers(&blocks);
    let expected: Vec<String> = (1..=30).map(|n| n.to_string()).collect();
    assert_eq!(numbers[..30], expected[..]);
}

/// The safety net: every word of every seed is still there after layout (words split by a
/// hyphen at a line end may come back joined).
#[test]
fn no_words_are_lost() {
    for (i, seed) in SEEDS.iter().enumerate() {
        let input = normalise_characters(seed);
        let blocks = layout(&input);
        let output: String = blocks.iter().map(text_of).collect::<Vec<_>>().join("\n");
        let have = word_counts(&output);
        let mut missing = Vec::new();
        for (word, count) in word_counts(&input) {
            let got = have.get(&word).copied().unwrap_or(0);
            let joined = have
                .keys()
                .any(|w| w.len() > word.len() && w.contains(&word));
            if got < count && !joined {
                missing.push(word);
            }
        }
        missing.sort();
        assert!(missing.is_empty(), "seed {i} lost {missing:?}");
    }
}

/// Writes each seed's layout to target/layout-<n>.txt for reading:
/// `cargo test --lib layout::seed_tests::print -- --ignored --nocapture`.
#[test]
#[ignore]
fn print() {
    for (i, seed) in SEEDS.iter().enumerate() {
        let mut out = String::new();
        for b in blocks_of(seed) {
            out.push_str(&match b {
                LayoutBlock::Heading { level, text } => {
                    format!("{} {text}\n", "#".repeat(level.into()))
                }
                LayoutBlock::Paragraph { number, text } => {
                    format!("[{}] {text}\n", number.unwrap_or_default())
                }
                LayoutBlock::Bullet { text } => format!("- {text}\n"),
                LayoutBlock::Footnote { label, text } => format!("[^{label}]: {text}\n"),
            });
            out.push('\n');
        }
        std::fs::write(format!("target/layout-{i}.txt"), out).expect("write layout");
    }
}
