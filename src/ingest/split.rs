//! Splitting a document that embeds another (a council report whose appendix is an Ofsted letter).
//!
//! Only strong evidence splits: a letter's opening (a line holding only a date, then a "Dear …"
//! salutation within a few lines) that starts after a substantial host text, with the letter's
//! closing ("Yours sincerely") after it.

use crate::ingest::classify::dates;

/// One document found in a seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    /// `false` for the host document (always the first part), `true` for an embedded one.
    pub embedded: bool,
}

/// A host shorter than this many lines of prose is a letter's own letterhead, not a document.
const MIN_HOST_PROSE_LINES: usize = 15;
/// A letter's date and salutation sit within this many non-blank lines (the recipient's address).
const MAX_ADDRESS_LINES: usize = 12;

/// Split a seed's repaired text into the host document and any documents it embeds.
pub fn split_embedded(text: &str) -> Vec<Part> {
    let mut starts: Vec<usize> = Vec::new();
    let mut from = 0;
    while let Some(start) = next_letter_start(text, from) {
        starts.push(start);
        from = start + 1;
    }
    let mut parts = Vec::new();
    let mut bounds = vec![0];
    bounds.extend(&starts);
    bounds.push(text.len());
    for (i, pair) in bounds.windows(2).enumerate() {
        parts.push(Part {
            text: text[pair[0]..pair[1]].to_string(),
            embedded: i > 0,
        });
    }
    parts
}

/// Lines with their byte offsets.
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(|l| {
            let at = offset;
            offset += l.len();
            (at, l.trim_end_matches(['\n', '\r']))
        })
        .collect()
}

/// The byte offset where an embedded letter begins, at or after `from`.
fn next_letter_start(text: &str, from: usize) -> Option<usize> {
    let lines = lines_with_offsets(text);
    let nonblank: Vec<(usize, &str)> = lines
        .into_iter()
        .filter(|(at, l)| *at >= from && !l.trim().is_empty())
        .collect();
    nonblank.iter().enumerate().find_map(|(i, (_, line))| {
        if !is_salutation(line) {
            return None;
        }
        let window_start = i.saturating_sub(MAX_ADDRESS_LINES);
        let date_index = (window_start..i)
            .rev()
            .find(|&k| dates::whole_line_date(nonblank[k].1).is_some())?;
        let start_index = letterhead_start(&nonblank, date_index);
        let host_prose = nonblank[..start_index]
            .iter()
            .filter(|(at, l)| *at >= from && l.split_whitespace().count() >= 6)
            .count();
        let closes = nonblank[i..].iter().any(|(_, l)| is_closing(l));
        (host_prose >= MIN_HOST_PROSE_LINES && closes).then_some(nonblank[start_index].0)
    })
}

/// "Dear Sal", "Dear Mr Walker".
fn is_salutation(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("Dear ") && line.split_whitespace().count() <= 6 && !line.ends_with('.')
}

fn is_closing(line: &str) -> bool {
    let line = line.trim().to_ascii_lowercase();
    line.starts_with("yours sincerely") || line.starts_with("yours faithfully")
}

/// Walk back from the date over the sender's letterhead (address, telephone, web address), if
/// the lines just before the date are one.
fn letterhead_start(lines: &[(usize, &str)], date_index: usize) -> usize {
    let mut start = date_index;
    while start > 0 && is_short_line(lines[start - 1].1) {
        start -= 1;
    }
    let has_contact = lines[start..date_index]
        .iter()
        .any(|(_, l)| is_contact_line(l));
    if has_contact { start } else { date_index }
}

fn is_short_line(line: &str) -> bool {
    let line = line.trim();
    line.split_whitespace().count() <= 6 && !line.ends_with(['.', ':', ';', '?'])
}

/// A telephone number, e-mail or web address.
fn is_contact_line(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    let digits = line.chars().filter(char::is_ascii_digit).count();
    lower.contains('@') || lower.contains("www.") || (digits >= 9 && lower.contains(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host_prose(lines: usize) -> String {
        (1..=lines)
            .map(|n| format!("{n}. The council has done a number of things about this matter.\n"))
            .collect()
    }

    const LETTER: &str = "31 August 2021\n\nA Director\nThe Centre\nLeeds\n\nDear Sal\n\n\
                          Focused visit to Leeds children's services\n\nThis letter summarises the \
                          findings.\n\nYours sincerely\n\nA Inspector\n";

    #[test]
    fn council_report_with_an_appended_letter_splits_in_two() {
        let text = format!("{}Appendices\n\n{LETTER}", host_prose(20));
        let parts = split_embedded(&text);
        assert_eq!(parts.len(), 2);
        assert!(!parts[0].embedded && parts[1].embedded);
        assert!(parts[0].text.ends_with("Appendices\n\n"));
        assert!(parts[1].text.starts_with("31 August 2021"));
        assert_eq!(format!("{}{}", parts[0].text, parts[1].text), text);
    }

    #[test]
    fn letterhead_before_the_date_goes_with_the_letter() {
        let letterhead = "Ofsted\nPiccadilly Gate\nT 0300 123 1231\nwww.gov.uk/ofsted\n\n";
        let text = format!("{}{letterhead}{LETTER}", host_prose(20));
        let parts = split_embedded(&text);
        assert_eq!(parts.len(), 2);
        assert!(parts[1].text.starts_with("Ofsted\nPiccadilly Gate"));
    }

    #[test]
    fn a_letter_on_its_own_is_one_part() {
        let text = format!(
            "Piccadilly Gate T 0300 123 1231\n\n{LETTER}{}",
            host_prose(30)
        );
        assert_eq!(split_embedded(&text).len(), 1);
    }

    #[test]
    fn a_salutation_without_a_dated_opening_or_closing_does_not_split() {
        let undated = LETTER.replace("31 August 2021", "Summer");
        assert_eq!(
            split_embedded(&format!("{}{undated}", host_prose(20))).len(),
            1
        );
        let unsigned = LETTER.replace("Yours sincerely", "Regards");
        assert_eq!(
            split_embedded(&format!("{}{unsigned}", host_prose(20))).len(),
            1
        );
    }
}
