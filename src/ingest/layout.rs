//! From repaired lines to blocks: page furniture removed, paragraphs re-flowed, headings, numbered
//! paragraphs, bullets and footnotes recognised.
//!
//! The stages, each in its own module: [`furniture`] reads lines and drops page numbers and
//! running headers; [`reflow`] groups lines into units and re-joins text split by wrapping, blank
//! lines and page breaks; this module decides which units are headings; [`footnotes`] links
//! markers to footnotes; [`markdown`] escapes the text.

mod footnotes;
mod furniture;
mod headings;
mod lines;
mod markdown;
mod reflow;
#[cfg(test)]
mod seed_tests;

use headings::{Levels, is_never_heading, is_title_shaped};
use lines::number_depth;
use reflow::{Evidence, Unit, UnitKind};

/// A block of a document as laid out on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutBlock {
    Heading {
        level: u8,
        text: String,
    },
    /// `number` is the document's own paragraph number ("25", "3.4").
    Paragraph {
        number: Option<String>,
        text: String,
    },
    Bullet {
        text: String,
    },
    Footnote {
        label: String,
        text: String,
    },
}

/// Lay out a document's repaired text as blocks. Paragraph, bullet and footnote text is
/// Markdown; heading text is plain.
pub fn layout(text: &str) -> Vec<LayoutBlock> {
    let lines = furniture::read_lines(text);
    let evidence = Evidence::of(&lines, lines::document_words(text));
    let units = reflow::units(&lines, &evidence);
    let mut blocks = classify(&units);
    for block in &mut blocks {
        escape_markdown(block);
    }
    link_footnotes(&mut blocks);
    blocks
}

/// Units as blocks: which are headings, and at what level.
fn classify(units: &[Unit]) -> Vec<LayoutBlock> {
    let flat = numbering_is_flat(units);
    let mut levels = Levels::default();
    let mut blocks: Vec<LayoutBlock> = Vec::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        let after_top = matches!(blocks.last(), Some(LayoutBlock::Heading { level: 2, .. }));
        let text = unit.text.clone();
        let block = match &unit.kind {
            UnitKind::Footnote(label) => LayoutBlock::Footnote {
                label: label.clone(),
                text,
            },
            UnitKind::Bullet => LayoutBlock::Bullet { text },
            UnitKind::Numbered(number) => numbered(units, i, number, flat, &mut levels),
            UnitKind::Plain | UnitKind::Lettered if is_heading(units, i) => {
                let lettered = unit.kind == UnitKind::Lettered;
                LayoutBlock::Heading {
                    level: levels.unnumbered(&text, lettered, after_top),
                    text,
                }
            }
            UnitKind::Plain | UnitKind::Lettered => LayoutBlock::Paragraph { number: None, text },
        };
        blocks.push(block);
    }
    blocks
}

/// Whether the document numbers its paragraphs `1, 2, 3…` (an Ofsted report) rather than
/// `1.1, 1.2…` under numbered sections (a council paper).
fn numbering_is_flat(units: &[Unit]) -> bool {
    let (single, multi) = units.iter().fold((0, 0), |(s, m), u| match &u.kind {
        UnitKind::Numbered(n) if n.contains('.') => (s, m + 1),
        UnitKind::Numbered(_) => (s + 1, m),
        _ => (s, m),
    });
    single > multi
}

/// A numbered unit: a numbered heading (`3 Main issues`, `4.1 Consultation` when `4.1.1`
/// follows) or a numbered paragraph. In a flatly numbered document a `2.1` is not a paragraph
/// number, so it stays in the text.
fn numbered(
    units: &[Unit],
    i: usize,
    number: &str,
    flat: bool,
    levels: &mut Levels,
) -> LayoutBlock {
    let text = &units[i].text;
    let titled = is_title_shaped(text) && !is_never_heading(text);
    let depth = number_depth(number);
    let heading = titled && (depth == 1 || flat || next_number_is_child(units, i, number));
    if heading {
        LayoutBlock::Heading {
            level: levels.numbered(depth),
            text: format!("{number} {text}"),
        }
    } else if flat && number.contains('.') {
        LayoutBlock::Paragraph {
            number: None,
            text: format!("{number} {text}"),
        }
    } else {
        LayoutBlock::Paragraph {
            number: Some(number.to_string()),
            text: text.clone(),
        }
    }
}

/// `4.1` is a heading when the next numbered unit is `4.1.1`; `7.1 None` is not.
fn next_number_is_child(units: &[Unit], i: usize, number: &str) -> bool {
    let next = units[i + 1..].iter().find_map(|u| match &u.kind {
        UnitKind::Numbered(n) => Some(n.as_str()),
        _ => None,
    });
    next.is_some_and(|n| n.starts_with(&format!("{number}.")))
}

/// A title-shaped unit is a heading when text follows it, directly or after one subheading;
/// a run of short lines with no text after them (an address, a signature) is not.
fn is_heading(units: &[Unit], i: usize) -> bool {
    let titled = |u: &Unit| {
        // `a) What other options were considered?` is titled by what follows its letter.
        let title = match u.kind {
            UnitKind::Lettered => u.text.split_once(") ").map_or(u.text.as_str(), |(_, t)| t),
            _ => u.text.as_str(),
        };
        is_title_shaped(title) && !is_never_heading(title)
    };
    let is_content = |j: usize| {
        units.get(j).is_some_and(|u| match u.kind {
            UnitKind::Footnote(_) => false,
            UnitKind::Bullet | UnitKind::Numbered(_) => true,
            UnitKind::Plain | UnitKind::Lettered => {
                !is_title_shaped(&u.text)
                    || is_never_heading(&u.text) && !u.text.starts_with("Dear ")
            }
        })
    };
    let next_titled = units
        .get(i + 1)
        .is_some_and(|u| titled(u) && u.kind != UnitKind::Bullet);
    titled(&units[i]) && (is_content(i + 1) || (next_titled && is_content(i + 2)))
}

fn escape_markdown(block: &mut LayoutBlock) {
    match block {
        LayoutBlock::Paragraph { text, .. }
        | LayoutBlock::Bullet { text }
        | LayoutBlock::Footnote { text, .. } => *text = markdown::escape(text),
        LayoutBlock::Heading { .. } => {}
    }
}

/// Turn each footnote's marker, in the nearest block above it, into a reference.
fn link_footnotes(blocks: &mut [LayoutBlock]) {
    for k in 0..blocks.len() {
        let LayoutBlock::Footnote { label, .. } = &blocks[k] else {
            continue;
        };
        let label = label.clone();
        for block in blocks[..k].iter_mut().rev() {
            let linked = match block {
                LayoutBlock::Paragraph { text, .. } | LayoutBlock::Bullet { text } => {
                    footnotes::link_marker(text, &label).map(|t| *text = t)
                }
                LayoutBlock::Heading { text, .. } => {
                    footnotes::drop_marker(text, &label).map(|t| *text = t)
                }
                LayoutBlock::Footnote { .. } => None,
            };
            if linked.is_some() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(blocks: &[LayoutBlock]) -> Vec<Option<&str>> {
        blocks
            .iter()
            .map(|b| match b {
                LayoutBlock::Paragraph { number, .. } => number.as_deref(),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn numbered_paragraphs_keep_their_numbers() {
        let blocks = layout("25. Text of the paragraph.\n\n3.4 The inspection found much.\n");
        assert_eq!(numbers(&blocks), [Some("25"), Some("3.4")]);
        assert_eq!(
            blocks[0],
            LayoutBlock::Paragraph {
                number: Some("25".into()),
                text: "Text of the paragraph.".into()
            }
        );
    }

    #[test]
    fn numbered_heading_versus_numbered_paragraph() {
        let blocks = layout(
            "2 Background information\n\n2.1 The council was inspected in October.\n\n3.0 Main issues\n\n3.1 The inspection report was published.\n\n4.1 Consultation and Engagement\n\n4.1.1 Staff were consulted.\n\n7 Background documents\n\n7.1 None\n",
        );
        let headings: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                LayoutBlock::Heading { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            headings,
            [
                "2 Background information",
                "3.0 Main issues",
                "4.1 Consultation and Engagement",
                "7 Background documents"
            ]
        );
        assert!(blocks.contains(&LayoutBlock::Paragraph {
            number: Some("7.1".into()),
            text: "None".into()
        }));
        assert!(blocks.contains(&LayoutBlock::Heading {
            level: 3,
            text: "4.1 Consultation and Engagement".into()
        }));
    }

    #[test]
    fn group_headings_before_numbered_items() {
        let blocks = layout(
            "Areas for improvement\n\nHelp and protection\n\n4. Ensure that assessments give attention.\n\nAdoption\n\n12. Ensure that plans are measurable.\n",
        );
        assert_eq!(
            blocks[..2],
            [
                LayoutBlock::Heading {
                    level: 2,
                    text: "Areas for improvement".into()
                },
                LayoutBlock::Heading {
                    level: 3,
                    text: "Help and protection".into()
                },
            ]
        );
        assert_eq!(
            blocks[3],
            LayoutBlock::Heading {
                level: 3,
                text: "Adoption".into()
            }
        );
    }

    #[test]
    fn signature_lines_are_not_headings() {
        let blocks = layout(
            "Ofsted will take the findings into account.\n\nYours sincerely\n\nNigel Parkes\n\nHer Majesty's Inspector\n",
        );
        assert!(
            blocks
                .iter()
                .all(|b| matches!(b, LayoutBlock::Paragraph { .. }))
        );
    }

    #[test]
    fn footnote_marker_becomes_a_reference_only_with_footnote_text() {
        let rule = " ".repeat(50);
        let blocks = layout(&format!(
            "It is expected that all children receive good help, care and protection.2\n\nThere were 2 visits.\n\n{rule}\n2 A full description can be found at the end of this report.\n"
        ));
        assert_eq!(
            blocks[0],
            LayoutBlock::Paragraph {
                number: None,
                text:
                    "It is expected that all children receive good help, care and protection.[^2]"
                        .into()
            }
        );
        assert_eq!(
            blocks[1],
            LayoutBlock::Paragraph {
                number: None,
                text: "There were 2 visits.".into()
            }
        );
        assert_eq!(
            blocks[2],
            LayoutBlock::Footnote {
                label: "2".into(),
                text: "A full description can be found at the end of this report.".into()
            }
        );
        let unmatched = layout("Care and protection.2\n");
        assert_eq!(
            unmatched[0],
            LayoutBlock::Paragraph {
                number: None,
                text: "Care and protection.2".into()
            }
        );
    }

    #[test]
    fn tick_boxes_become_words() {
        let blocks = layout("Is the decision eligible for call-in? ☐Yes ☒No\n");
        assert_eq!(
            blocks,
            [LayoutBlock::Paragraph {
                number: None,
                text: "Is the decision eligible for call-in? Yes: not ticked; No: ticked".into()
            }]
        );
    }

    #[test]
    fn page_number_lines_are_removed() {
        let blocks = layout("The first page ends with\n\n 8 \n\nthe second page.\n");
        assert_eq!(
            blocks,
            [LayoutBlock::Paragraph {
                number: None,
                text: "The first page ends with the second page.".into()
            }]
        );
    }

    #[test]
    fn paragraph_text_is_escaped() {
        let blocks = layout("Findings\n\n- 1. Children *are* seen <quickly>.\n");
        assert_eq!(
            blocks[1],
            LayoutBlock::Bullet {
                text: "1\\. Children \\*are\\* seen \\<quickly\\>.".into()
            }
        );
    }
}
