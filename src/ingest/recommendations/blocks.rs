//! Reading layout blocks for recommendations: which block is a heading, an item, page furniture
//! or the rest of a sentence that a page break cut.

use std::collections::HashMap;
use std::ops::Index;

use crate::ingest::layout::LayoutBlock;

/// A document's blocks with what the rules need to know about all of them.
pub struct Blocks<'a> {
    blocks: &'a [LayoutBlock],
    /// How often each heading-like text occurs, digits removed: running headers repeat.
    repeats: HashMap<String, usize>,
    flat: String,
    lower: String,
}

impl<'a> Index<usize> for Blocks<'a> {
    type Output = LayoutBlock;
    fn index(&self, i: usize) -> &LayoutBlock {
        &self.blocks[i]
    }
}

/// Longest heading that a short unnumbered paragraph can be ("Leadership, Management and
/// Governance"); longer ones are sentences.
const MAX_HEADING_WORDS: usize = 8;
/// An item is a sentence; "Yes ☒No" left over from a form is not.
const MIN_ITEM_WORDS: usize = 4;

impl<'a> Blocks<'a> {
    pub fn new(blocks: &'a [LayoutBlock]) -> Self {
        let mut repeats = HashMap::new();
        for b in blocks {
            if let Some(t) = text_of(b) {
                *repeats.entry(without_digits(t)).or_insert(0) += 1;
            }
        }
        let flat = blocks
            .iter()
            .filter_map(text_of)
            .collect::<Vec<_>>()
            .join(" ");
        Blocks {
            blocks,
            repeats,
            lower: flat.to_lowercase(),
            flat,
        }
    }

    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// All block text joined by spaces.
    pub fn flat(&self) -> &str {
        &self.flat
    }

    pub fn lower(&self) -> &str {
        &self.lower
    }

    /// Page numbers, contact details and running headers that extraction left between blocks.
    pub fn is_furniture(&self, i: usize) -> bool {
        if let LayoutBlock::Footnote { .. } = self.blocks[i] {
            return true;
        }
        let Some(text) = text_of(&self.blocks[i]) else {
            return false;
        };
        let text = text.trim();
        let lower = text.to_lowercase();
        let words = text.split_whitespace().count();
        let only_page_number = text
            .trim_start_matches("Page ")
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace());
        let heading_like = heading_text(&self.blocks[i]).is_some();
        let contact = words <= MAX_HEADING_WORDS && (lower.contains('@') || lower.contains("www."));
        // A repeated sentence is a summary restated; a repeated heading-like line is a header.
        let repeated = heading_like
            && self
                .repeats
                .get(&without_digits(text))
                .copied()
                .unwrap_or(0)
                >= 2
            && (words >= 5 || text.chars().any(|c| c.is_ascii_digit()));
        let ends_with_page_number = heading_like
            && text
                .rsplit_once(' ')
                .is_some_and(|(_, n)| n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit()));
        only_page_number || contact || repeated || ends_with_page_number
    }

    /// A heading-like line that a page break dropped into the middle of an item: the item is
    /// unfinished and the block after the line carries on in lower case.
    pub fn is_break_inside_item(&self, i: usize, last_item: Option<&str>) -> bool {
        let unfinished = last_item.is_some_and(|t| !ends_sentence(t));
        let next_continues = self
            .blocks
            .get(i + 1)
            .and_then(text_of)
            .is_some_and(starts_lowercase);
        unfinished && heading_text(&self.blocks[i]).is_some() && next_continues
    }

    /// The rest of an unfinished item, when block `i` carries on its sentence.
    pub fn continuation(&self, i: usize, item: &str) -> Option<String> {
        let LayoutBlock::Paragraph { number: None, text } = &self.blocks[i] else {
            return None;
        };
        (!ends_sentence(item) && starts_lowercase(text)).then(|| text.trim().to_string())
    }

    /// A subheading inside "Areas for improvement" ("Adoption") rather than the next section:
    /// not deeper in the outline than the section heading allows, not a section's name, and
    /// followed by an item.
    pub fn is_group_heading(&self, section: usize, i: usize, heading: &str) -> bool {
        let shallower = match (&self.blocks[section], &self.blocks[i]) {
            (LayoutBlock::Heading { level: s, .. }, LayoutBlock::Heading { level: h, .. }) => h < s,
            _ => false,
        };
        let next_is_item = (i + 1..self.blocks.len())
            .find(|&k| !self.is_furniture(k))
            .and_then(|k| item_text(&self.blocks[k]))
            .is_some();
        !shallower && !is_section_vocabulary(heading) && next_is_item
    }

    /// Whose areas for improvement these are, from a "What does the LSCB need to improve?"
    /// heading just before the section, with its acronym spelled out.
    pub fn whose_improvement_before(&self, section: usize) -> Option<String> {
        let from = section.saturating_sub(6);
        let subject = (from..section).rev().find_map(|k| {
            let text = text_of(&self.blocks[k])?.trim();
            let rest = text.strip_prefix("What does the ")?;
            rest.strip_suffix("need to improve?")
                .map(|s| s.trim().to_string())
        })?;
        Some(
            self.spelled_out(&subject)
                .unwrap_or_else(|| capitalise(&subject)),
        )
    }

    /// "LSCB" → "Local Safeguarding Children Board", from "The Local Safeguarding Children Board
    /// (LSCB)" anywhere in the document.
    fn spelled_out(&self, acronym: &str) -> Option<String> {
        let marker = format!("({acronym})");
        let at = self.flat.find(&marker)?;
        let words: Vec<&str> = self.flat[..at]
            .split_whitespace()
            .rev()
            .take_while(|w| w.starts_with(|c: char| c.is_uppercase()) && *w != "The")
            .collect();
        let initials: String = words
            .iter()
            .rev()
            .filter_map(|w| w.chars().next())
            .collect();
        (initials == acronym).then(|| words.into_iter().rev().collect::<Vec<_>>().join(" "))
    }
}

/// The text of a heading, paragraph or bullet.
pub fn text_of(block: &LayoutBlock) -> Option<&str> {
    match block {
        LayoutBlock::Heading { text, .. }
        | LayoutBlock::Paragraph { text, .. }
        | LayoutBlock::Bullet { text } => Some(text),
        LayoutBlock::Footnote { .. } => None,
    }
}

/// A heading, or a short unpunctuated paragraph that layout did not recognise as one, without
/// its section number ("6 Recommendations").
pub fn heading_text(block: &LayoutBlock) -> Option<&str> {
    match block {
        LayoutBlock::Heading { text, .. } => Some(strip_section_number(text)),
        LayoutBlock::Paragraph { text, .. } => {
            let text = strip_section_number(text.trim());
            let short = text.split_whitespace().count() <= MAX_HEADING_WORDS;
            let heading_like = short
                && !text.ends_with(['.', ':', ';', ','])
                && text.starts_with(|c: char| c.is_uppercase());
            heading_like.then_some(text)
        }
        _ => None,
    }
}

fn strip_section_number(text: &str) -> &str {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    if rest.len() < text.len() && rest.starts_with(' ') {
        rest.trim_start()
    } else {
        text.trim()
    }
}

/// The text of a list item: a numbered or lettered paragraph, or a bullet.
pub fn item_text(block: &LayoutBlock) -> Option<String> {
    let text = match block {
        LayoutBlock::Paragraph {
            number: Some(_),
            text,
        } => text.as_str(),
        LayoutBlock::Paragraph { number: None, text } => strip_letter_label(text)?,
        LayoutBlock::Bullet { text } => text.as_str(),
        _ => return None,
    };
    let text = tidy_item(text);
    let is_sentence = text.split_whitespace().count() >= MIN_ITEM_WORDS && !text.ends_with(':');
    is_sentence.then_some(text)
}

/// "a) Scrutiny is asked to note …" → the text after the label.
fn strip_letter_label(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let mut chars = text.chars();
    let label = chars.next()?;
    let close = chars.next()?;
    (label.is_ascii_lowercase() && close == ')').then(|| text[2..].trim_start())
}

/// Bullet glyphs that extraction may have left at the start of an item.
const BULLET_GLYPHS: [char; 9] = ['•', '➢', '◼', '■', '▪', '●', '\u{f0b7}', '-', '–'];

/// One line of text without a leftover bullet glyph, and ending as a sentence rather than as a
/// list entry ("…objectives; and" → "…objectives.").
pub fn tidy_item(text: &str) -> String {
    let text = text.trim().trim_start_matches(BULLET_GLYPHS).trim_start();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = text
        .strip_suffix("; and")
        .or_else(|| text.strip_suffix(", and"))
        .or_else(|| text.strip_suffix(';'))
        .or_else(|| text.strip_suffix(','));
    match trimmed {
        Some(t) => format!("{}.", t.trim_end()),
        None => text,
    }
}

/// Names of report sections that end a list rather than group its items.
const SECTION_WORDS: [&str; 16] = [
    "strength",
    "progress",
    "summary",
    "finding",
    "judgement",
    "information",
    "inspection",
    "background",
    "conclusion",
    "introduction",
    "purpose",
    "overview",
    "recommendation",
    "what ",
    "why ",
    "how ",
];

fn is_section_vocabulary(heading: &str) -> bool {
    let lower = format!("{} ", heading.to_lowercase());
    SECTION_WORDS.iter().any(|w| lower.contains(w)) || lower.contains("improvement")
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ':', ')', '"', '\'', '’', '”'])
}

fn starts_lowercase(text: &str) -> bool {
    text.trim_start().starts_with(|c: char| c.is_lowercase())
}

fn without_digits(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_ascii_digit())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> LayoutBlock {
        LayoutBlock::Paragraph {
            number: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn tidy_item_ends_list_entries_as_sentences() {
        assert_eq!(
            tidy_item("➢ The routine involvement of health \n agencies;"),
            "The routine involvement of health agencies."
        );
        assert_eq!(
            tidy_item("short- and longer-term objectives; and"),
            "short- and longer-term objectives."
        );
        assert_eq!(
            tidy_item("Improve plans (outcome 1, national framework)"),
            "Improve plans (outcome 1, national framework)"
        );
    }

    #[test]
    fn short_unpunctuated_paragraphs_read_as_headings() {
        assert_eq!(
            heading_text(&para("6 Recommendations")),
            Some("Recommendations")
        );
        assert_eq!(
            heading_text(&para("Leadership, Management and Governance")),
            Some("Leadership, Management and Governance")
        );
        assert_eq!(heading_text(&para("There are no priority actions.")), None);
        assert_eq!(heading_text(&para("decisions are timely")), None);
    }

    #[test]
    fn lettered_paragraphs_are_items() {
        assert_eq!(
            item_text(&para("a) Scrutiny is asked to note the findings.")),
            Some("Scrutiny is asked to note the findings.".to_string())
        );
        assert_eq!(
            item_text(&para("Scrutiny is asked to note the findings.")),
            None
        );
        assert_eq!(
            item_text(&LayoutBlock::Bullet {
                text: "Yes ☒No".into()
            }),
            None
        );
    }

    #[test]
    fn furniture_is_recognised() {
        let blocks = [
            para("Inspection of Barset County Council children's services 4"),
            para("12"),
            para("enquiries@ofsted.gov.uk"),
            para("Adoption"),
            para("Inspection of Barset County Council children's services 5"),
        ];
        let doc = Blocks::new(&blocks);
        let furniture: Vec<bool> = (0..blocks.len()).map(|i| doc.is_furniture(i)).collect();
        assert_eq!(furniture, [true, true, true, false, true]);
    }

    #[test]
    fn acronyms_are_spelled_out_from_their_definition() {
        let blocks = [
            LayoutBlock::Heading {
                level: 2,
                text: "The Local Safeguarding Children Board (LSCB)".into(),
            },
            LayoutBlock::Heading {
                level: 2,
                text: "What does the LSCB need to improve?".into(),
            },
            LayoutBlock::Heading {
                level: 3,
                text: "Areas for improvement".into(),
            },
        ];
        let doc = Blocks::new(&blocks);
        assert_eq!(
            doc.whose_improvement_before(2).as_deref(),
            Some("Local Safeguarding Children Board")
        );
    }
}
