//! Re-flowing lines into units (the paragraphs, bullets, numbered items and footnotes of the
//! page): where a new unit starts, and when text after a blank line or page break carries on the
//! unit before it.

use std::collections::HashSet;

use super::furniture::{Line, ends_sentence};
use super::headings::is_title_shaped;
use super::lines::{
    describe_tick_boxes, is_lettered, is_lone_bullet, join_lines, runs_on, split_number,
    strip_bullet,
};

/// What a unit is, as far as the shape of its first line tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitKind {
    Plain,
    /// Opens with `a)`, `(ii)`: its own unit, the letter kept in the text.
    Lettered,
    Bullet,
    /// The document's own number, without its trailing dot.
    Numbered(String),
    Footnote(String),
}

/// A paragraph-like run of text before headings are told apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub kind: UnitKind,
    pub text: String,
    /// Length of the last line, to tell a wrapped (full) line from a paragraph's last.
    pub last_line: usize,
    /// Began after a blank line, page break or line break, so it may carry on the unit before.
    pub after_break: bool,
}

/// Evidence about the whole document that the rules consult.
pub struct Evidence {
    /// Typical length of a full line: the 90th percentile of text line lengths.
    pub width: usize,
    pub words: HashSet<String>,
}

impl Evidence {
    pub fn of(lines: &[Line], words: HashSet<String>) -> Self {
        let mut lengths: Vec<usize> = lines
            .iter()
            .filter_map(|l| match l {
                Line::Text { text, .. } => Some(text.chars().count()),
                _ => None,
            })
            .collect();
        lengths.sort_unstable();
        let width = lengths.get(lengths.len() * 9 / 10).copied().unwrap_or(80);
        Evidence { width, words }
    }

    /// A line well short of the document's full width: an address line, a heading, a table cell.
    fn is_short(&self, len: usize) -> bool {
        len * 10 < self.width * 6
    }

    /// A line near the document's full width: the text was wrapped, not ended.
    fn is_full(&self, len: usize) -> bool {
        len * 4 >= self.width * 3
    }
}

/// Lines into units, then units carried over blank lines and page breaks re-joined.
pub fn units(lines: &[Line], evidence: &Evidence) -> Vec<Unit> {
    let mut builder = Builder {
        evidence,
        units: Vec::new(),
        prev_line: None,
        broke: true,
        in_footnotes: false,
        lone_bullet: false,
    };
    let widths = block_widths(lines);
    for (line, width) in lines.iter().zip(widths) {
        builder.read(line, width);
    }
    merge_carried_over(builder.units, evidence)
}

/// For each line, the longest line of its block (the lines between blank lines).
fn block_widths(lines: &[Line]) -> Vec<usize> {
    let mut widths = vec![0; lines.len()];
    let mut start = 0;
    for i in 0..=lines.len() {
        let continues = match lines.get(i) {
            Some(Line::Text { indented, .. }) => i == start || !indented,
            _ => false,
        };
        if !continues {
            let max = lines[start..i]
                .iter()
                .map(|l| match l {
                    Line::Text { text, .. } => text.chars().count(),
                    _ => 0,
                })
                .max()
                .unwrap_or(0);
            widths[start..i].fill(max);
            start = if matches!(lines.get(i), Some(Line::Text { .. })) {
                i
            } else {
                i + 1
            };
        }
    }
    widths
}

struct Builder<'a> {
    evidence: &'a Evidence,
    units: Vec<Unit>,
    /// The previous text line, when no blank line or page break came since.
    prev_line: Option<String>,
    broke: bool,
    /// Between a footnote rule and the end of the page.
    in_footnotes: bool,
    /// A bullet glyph stood alone on the line before.
    lone_bullet: bool,
}

impl Builder<'_> {
    fn read(&mut self, line: &Line, block_width: usize) {
        match line {
            Line::Blank => self.take_break(),
            Line::PageEnd => {
                self.take_break();
                self.in_footnotes = false;
            }
            Line::FootnoteRule => {
                self.take_break();
                self.in_footnotes = true;
            }
            Line::Text { text, indented } => self.read_text(text, *indented, block_width),
        }
    }

    fn take_break(&mut self) {
        self.broke = true;
        self.prev_line = None;
    }

    fn read_text(&mut self, text: &str, indented: bool, block_width: usize) {
        if is_lone_bullet(text) {
            self.lone_bullet = true;
            self.take_break();
            return;
        }
        let text = describe_tick_boxes(text);
        // Extraction indents the first line of a page; after a blank line an indent is a bullet
        // whose glyph was lost.
        let page_start = indented && (self.prev_line.is_some() || self.units.is_empty());
        if page_start {
            self.in_footnotes = false;
        }
        let after_break = self.broke || page_start;
        match self.start_of(&text, indented, page_start) {
            Some((kind, body)) => self.push(kind, body, true),
            None if after_break || self.breaks_before(&text, block_width) => {
                self.push(UnitKind::Plain, &text, true)
            }
            None => self.append(&text),
        }
        self.prev_line = Some(text);
        self.broke = false;
        self.lone_bullet = false;
    }

    /// The kind of unit a line opens, if it opens one.
    fn start_of<'t>(
        &self,
        text: &'t str,
        indented: bool,
        page_start: bool,
    ) -> Option<(UnitKind, &'t str)> {
        let bullet_indent = indented && !page_start;
        if self.lone_bullet {
            return Some((UnitKind::Bullet, text));
        }
        if self.in_footnotes {
            return footnote_start(text).map(|(label, rest)| (UnitKind::Footnote(label), rest));
        }
        if let Some(rest) = strip_bullet(text) {
            return Some((UnitKind::Bullet, rest));
        }
        let may_start = self.may_start_item(self.broke || page_start);
        if let Some((number, rest)) = split_number(text).filter(|_| may_start) {
            // ` 4 live in…`: an indented count is a bullet; ` 10. Improve…` a numbered paragraph.
            let dotted = text.starts_with(&format!("{number}."));
            return Some(if bullet_indent && !dotted {
                (UnitKind::Bullet, text)
            } else {
                (UnitKind::Numbered(number), rest)
            });
        }
        if is_lettered(text) && may_start {
            return Some((UnitKind::Lettered, text));
        }
        if bullet_indent || (page_start && self.bullet_list_continues(text)) {
            return Some((UnitKind::Bullet, text));
        }
        None
    }

    /// Whether the unit before is complete, so a number or letter here opens an item rather than
    /// carrying on a sentence (`…services on` / `20 and 21 July 2021.`). Straight after a full
    /// line, with no break between, a number is taken to carry on the wrapped sentence.
    fn may_start_item(&self, after_break: bool) -> bool {
        self.units.last().is_none_or(|u| {
            ends_sentence(&u.text)
                || (!runs_on(&u.text) && (after_break || !self.evidence.is_full(u.last_line)))
        })
    }

    /// At the top of a page, an indented line carries on a list when the line before introduced
    /// it (`include:`) or ended a bullet — unless it is shaped like the next section's title.
    fn bullet_list_continues(&self, text: &str) -> bool {
        let starts_upper = text.chars().next().is_some_and(char::is_uppercase);
        let after_colon = self.prev_line.as_deref().is_some_and(|p| p.ends_with(':'));
        let after_bullet = self
            .units
            .last()
            .is_some_and(|u| u.kind == UnitKind::Bullet && ends_sentence(&u.text))
            && !is_title_shaped(text);
        starts_upper && (after_colon || after_bullet)
    }

    /// A line break without a blank line that still ends a unit: after a short line that ends a
    /// sentence, or a short line followed by a capital (an address, a heading over its text).
    fn breaks_before(&self, text: &str, block_width: usize) -> bool {
        let Some(prev) = self.prev_line.as_deref() else {
            return false;
        };
        let len = prev.chars().count();
        let short_in_block = len * 10 < block_width * 6;
        let line_block = self.evidence.is_short(block_width);
        let opens_upper = text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        (ends_sentence(prev) && short_in_block)
            || ((short_in_block || line_block) && opens_upper && !runs_on(prev))
    }

    fn push(&mut self, kind: UnitKind, text: &str, after_break: bool) {
        self.units.push(Unit {
            kind,
            text: text.to_string(),
            last_line: text.chars().count(),
            after_break,
        });
    }

    fn append(&mut self, text: &str) {
        match self.units.last_mut() {
            Some(unit) => {
                unit.text = join_lines(&unit.text, text, &self.evidence.words);
                unit.last_line = text.chars().count();
            }
            None => self.push(UnitKind::Plain, text, true),
        }
    }
}

/// `1 Ofsted produces this report…` below a footnote rule: a footnote's label and text.
fn footnote_start(text: &str) -> Option<(String, &str)> {
    let (label, rest) = split_number(text)?;
    let bare = text.starts_with(&format!("{label} "));
    (bare && label.len() <= 2 && !label.contains('.')).then_some((label, rest))
}

/// Join each unit that began after a break to the one before when the text plainly carries on.
fn merge_carried_over(units: Vec<Unit>, evidence: &Evidence) -> Vec<Unit> {
    let mut merged: Vec<Unit> = Vec::with_capacity(units.len());
    for unit in units {
        match merged.last_mut() {
            Some(prev) if unit.kind == UnitKind::Plain && carries_on(prev, &unit, evidence) => {
                prev.text = join_lines(&prev.text, &unit.text, &evidence.words);
                prev.last_line = unit.last_line;
            }
            _ => merged.push(unit),
        }
    }
    merged
}

/// Whether `next` carries on `prev` across a blank line or page break: `prev` ends mid-sentence
/// and `next` opens in lower case, or `prev` ends on a word like `the`, or `prev`'s last line
/// was full and `next` is not a heading.
pub fn carries_on(prev: &Unit, next: &Unit, evidence: &Evidence) -> bool {
    if ends_sentence(&prev.text) {
        return false;
    }
    let first = next.text.chars().next();
    let opens_lower = first.is_some_and(|c| c.is_lowercase() || c == '(');
    let full = evidence.is_full(prev.last_line) && !evidence.is_short(next.text.chars().count());
    opens_lower || runs_on(&prev.text) || full
}

#[cfg(test)]
mod tests {
    use super::super::furniture::read_lines;
    use super::*;

    fn units_of(text: &str) -> Vec<Unit> {
        let lines = read_lines(text);
        let evidence = Evidence::of(&lines, super::super::lines::document_words(text));
        units(&lines, &evidence)
    }

    fn texts(units: &[Unit]) -> Vec<(UnitKind, &str)> {
        units
            .iter()
            .map(|u| (u.kind.clone(), u.text.as_str()))
            .collect()
    }

    #[test]
    fn leading_space_after_blank_is_a_bullet_and_continuation_lines_join_it() {
        let u = units_of(
            "Leadership\n\n Children benefit from outstanding and confident\noperational leadership across the city of Leeds.\n\n Firm foundations underpin the effectiveness of services in the city.\n",
        );
        assert_eq!(
            texts(&u)[1..],
            [
                (
                    UnitKind::Bullet,
                    "Children benefit from outstanding and confident operational leadership across the city of Leeds."
                ),
                (
                    UnitKind::Bullet,
                    "Firm foundations underpin the effectiveness of services in the city."
                )
            ]
        );
    }

    #[test]
    fn numbered_paragraph_with_stray_space_is_not_a_bullet() {
        let u = units_of(
            "9. Ensure that schools are held to account for their use of the pupil premium.\n 10. Improve the current care planning format to make it easier to understand the\nlong-term goals for children.\n",
        );
        assert_eq!(u[1].kind, UnitKind::Numbered("10".into()));
        assert!(u[1].text.starts_with("Improve the current"));
        assert!(u[1].text.ends_with("long-term goals for children."));
    }

    #[test]
    fn reflow_across_a_blank_line_mid_sentence() {
        let u = units_of(
            "Children's plans are clear, with a strong focus on achieving\n\npermanence for children and young people.\n",
        );
        assert_eq!(u.len(), 1);
        assert!(u[0].text.contains("achieving permanence"));
    }

    #[test]
    fn double_spaced_paragraph_rejoins_even_at_capitals() {
        let u = units_of(
            "6. The pandemic has continued to have a severe impact in Leeds and all aspects of the\n\nCity that include a high number of households, and in the Best Council Plan and the\n\nWellbeing Strategy, so that many aspects of service are greatly affected this year.\n\n7. Next.\n",
        );
        assert_eq!(u.len(), 2);
        assert!(u[0].text.contains("of the City that"));
        assert!(u[0].text.contains("and the Wellbeing Strategy"));
    }

    #[test]
    fn heading_then_paragraph_stay_apart() {
        let u = units_of(
            "Areas for improvement\n\nLeadership, Management and Governance\n\n1. Extend the reach.\n",
        );
        assert_eq!(u.len(), 3);
        assert_eq!(u[2].kind, UnitKind::Numbered("1".into()));
    }

    #[test]
    fn year_opening_a_wrapped_line_is_not_a_number() {
        let u = units_of(
            "42 children moved on to independent living between April 2014 and the end of December\n2014. 32 young people are in semi-independent living.\n",
        );
        assert_eq!(u.len(), 1);
    }

    #[test]
    fn address_lines_stay_apart() {
        let u = units_of(
            "Mr Stephen Walker\nDirector of Children and Families\nLeeds\nLS1 3DL\n\nThis letter summarises the findings of a focused visit to Leeds City Council children's services in January.\n",
        );
        assert_eq!(u.len(), 5);
    }

    #[test]
    fn lone_bullet_glyph_takes_the_next_line() {
        let u = units_of(
            "Highlights include:\n\n•\n\nAlcohol and pregnancy campaign promoted\nvia social media.\n",
        );
        assert_eq!(u[1].kind, UnitKind::Bullet);
        assert_eq!(
            u[1].text,
            "Alcohol and pregnancy campaign promoted via social media."
        );
    }

    #[test]
    fn footnote_below_rule_spans_blank_lines() {
        let rule = " ".repeat(50);
        let u = units_of(&format!(
            "good help, care and protection.2\n\n{rule}\n1 Ofsted produces this report under its power to\n\ncombine reports.\n2 A full description can be found at the end.\n The local authority\n"
        ));
        assert_eq!(u[1].kind, UnitKind::Footnote("1".into()));
        assert_eq!(
            u[1].text,
            "Ofsted produces this report under its power to combine reports."
        );
        assert_eq!(u[2].kind, UnitKind::Footnote("2".into()));
        assert_eq!(u[3].kind, UnitKind::Plain);
    }

    #[test]
    fn page_start_line_carries_on_a_sentence() {
        let u = units_of(
            "The authority has made progress and reports\n lower levels of absence this year.\n",
        );
        assert_eq!(u.len(), 1);
    }
}
