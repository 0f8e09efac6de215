//! The words pages use for things: dates for people, names for paragraphs and recommendations,
//! labels for cross-links, and titles that read well when a link is pasted into an email.

use crate::model::{Paragraph, Report, ReportKind};

use crate::model::MONTHS;

/// An ISO date as people write it in the UK ("2018-12-18" → "18 December 2018"; "2019-03" →
/// "March 2019"); anything else is shown as it is.
pub fn date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    let month = |m: &str| {
        m.parse::<usize>()
            .ok()
            .and_then(|m| m.checked_sub(1))
            .and_then(|i| MONTHS.get(i))
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => match (month(m), d.parse::<u32>()) {
            (Some(m), Ok(d)) => format!("{d} {m} {y}"),
            _ => iso.to_string(),
        },
        [y, m] if y.len() == 4 => match month(m) {
            Some(m) => format!("{m} {y}"),
            None => iso.to_string(),
        },
        _ => iso.to_string(),
    }
}

/// "30 to 31 January 2018", or one date when start and end are the same day.
pub fn date_range(start: &str, end: &str) -> String {
    if start == end {
        date(start)
    } else {
        format!("{} to {}", date(start), date(end))
    }
}

/// The year of an ISO date.
pub fn year(iso: &str) -> &str {
    iso.split('-').next().unwrap_or(iso)
}

/// "paragraph 25", or "this paragraph" / "this point" when the document does not number it.
pub fn paragraph_name(p: &Paragraph) -> String {
    match (&p.number, p.bullet) {
        (Some(n), _) => format!("paragraph {n}"),
        (None, true) => "this point".to_string(),
        (None, false) => "this paragraph".to_string(),
    }
}

/// "r-11" → "11".
pub fn recommendation_number(id: &str) -> String {
    id.strip_prefix("r-").unwrap_or(id).to_string()
}

/// How a part of a report is named in a cross-link ("recommendation 3", "paragraph 25").
pub fn anchor_name(report: &Report, anchor: &str) -> String {
    part_name(report, anchor, || {
        report.paragraphs().find(|p| p.anchor == anchor)
    })
}

/// `anchor_name`, with the paragraph of that anchor found by `paragraph`: naming many parts of
/// one report looks them up in an index of its paragraphs rather than scanning for each.
pub fn part_name<'a>(
    report: &'a Report,
    anchor: &str,
    paragraph: impl FnOnce() -> Option<&'a Paragraph>,
) -> String {
    if report.meta.recommendations.iter().any(|r| r.id == anchor) {
        return format!("recommendation {}", recommendation_number(anchor));
    }
    match paragraph() {
        Some(p) if p.number.is_some() => paragraph_name(p),
        Some(p) => format!(
            "the paragraph beginning “{}”",
            opening_words(&super::markdown::plain_paragraph(p), 6)
        ),
        None => "a paragraph".to_string(),
    }
}

/// The first `n` words of some text already made plain, with an ellipsis when there are more:
/// enough to tell two unnumbered paragraphs apart in a list of links. Every unnumbered paragraph
/// a link points to is named so on each build, and most are plain as they stand: no copy is
/// made of those.
fn opening_words(plain: &str, n: usize) -> String {
    let mut words = plain.split_whitespace();
    let first: Vec<&str> = words.by_ref().take(n).collect();
    if words.next().is_none() {
        first.join(" ")
    } else {
        format!(
            "{}…",
            first.join(" ").trim_end_matches([',', ';', ':', '.'])
        )
    }
}

/// The place an authority serves ("Leeds City Council" → "Leeds").
pub fn place(authority: &str) -> &str {
    const SUFFIXES: [&str; 7] = [
        " Metropolitan Borough Council",
        " Metropolitan District Council",
        " City Council",
        " County Council",
        " Borough Council",
        " District Council",
        " Council",
    ];
    let name = authority.trim();
    let name = name.strip_prefix("London Borough of ").unwrap_or(name);
    SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name)
}

/// A short name for a kind of document, as used in a sentence ("Ofsted inspection").
pub fn kind_short(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::OfstedInspectionReport => "Ofsted inspection",
        ReportKind::OfstedFocusedVisitLetter => "Ofsted focused visit",
        ReportKind::CouncilCommitteeReport => "council report",
        ReportKind::SafeguardingPartnershipAnnualReport => "safeguarding partnership report",
        ReportKind::Other => "document",
    }
}

/// `text` cut at a word boundary to at most `max` characters, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    // Where character `max` starts, found without copying: theme pages cut thousands of findings.
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let cut = &text[..end];
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The title a recommendation's page is shared with: "Leeds, Ofsted inspection 2015 —
/// recommendation 11: Improve Personal Education Plans…".
pub fn share_title(report: &Report, id: &str, text: &str) -> String {
    format!(
        "{}, {} {} — recommendation {}: {}",
        place(&report.meta.authority),
        kind_short(report.meta.kind),
        year(&report.meta.date),
        recommendation_number(id),
        truncate(text, 90)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::markdown::plain_cow;

    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(date("2018-12-18"), "18 December 2018");
        assert_eq!(date("2019-03"), "March 2019");
        assert_eq!(date("2019-13-01"), "2019-13-01");
        assert_eq!(date("unknown"), "unknown");
    }

    #[test]
    fn range_of_one_day_is_one_date() {
        assert_eq!(date_range("2018-01-30", "2018-01-30"), "30 January 2018");
        assert_eq!(
            date_range("2018-01-30", "2018-01-31"),
            "30 January 2018 to 31 January 2018"
        );
    }

    #[test]
    fn place_drops_council_type() {
        assert_eq!(place("Leeds City Council"), "Leeds");
        assert_eq!(place("Testshire County Council"), "Testshire");
        assert_eq!(place("London Borough of Camden"), "Camden");
        assert_eq!(
            place("Leeds Safeguarding Children Partnership"),
            "Leeds Safeguarding Children Partnership"
        );
    }

    #[test]
    fn opening_words_end_with_ellipsis_when_cut() {
        assert_eq!(
            opening_words(&plain_cow("Ensure that schools are held, to account."), 5),
            "Ensure that schools are held…"
        );
        assert_eq!(opening_words(&plain_cow("Short one."), 5), "Short one.");
        assert_eq!(
            opening_words(&plain_cow("Exactly five words here now."), 5),
            "Exactly five words here now."
        );
        assert_eq!(
            opening_words(
                &plain_cow("Ensure **that**  schools are\nheld to account."),
                4
            ),
            "Ensure that schools are…"
        );
    }

    #[test]
    fn truncate_cuts_at_a_word() {
        assert_eq!(
            truncate("Improve personal education plans", 20),
            "Improve personal…"
        );
        assert_eq!(truncate("Short", 20), "Short");
    }
}
