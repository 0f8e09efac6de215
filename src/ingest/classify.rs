//! Recognising a document's kind and metadata (title, authority, dates, framework, judgements,
//! inspectors) from its text.
//!
//! It reads the repaired text line by line rather than the layout blocks, so it works however well
//! the page layout was recovered.

mod authority;
pub mod dates;
mod inspectors;
mod judgements;
#[cfg(test)]
pub(crate) mod seed_tests;

use crate::ingest::layout::LayoutBlock;
use crate::model::{DateRange, Judgement, ReportKind};

use dates::Date;

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

/// The text in the shapes the rules read.
struct Doc<'a> {
    lines: Vec<&'a str>,
    /// Blank-line-separated chunks.
    paragraphs: Vec<String>,
    /// Whitespace collapsed to single spaces and curly apostrophes made straight, so phrases
    /// match across line breaks.
    flat: String,
    /// `flat` in ASCII lower case: byte offsets are the same as in `flat`.
    lower: String,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str) -> Self {
        let flat = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(['\u{2019}', '\u{2018}'], "'");
        Doc {
            lines: text.lines().collect(),
            paragraphs: text.split("\n\n").map(str::to_string).collect(),
            lower: flat.to_ascii_lowercase(),
            flat,
        }
    }
}

/// Classify a document from its repaired text. Blocks are not needed: every rule reads lines.
pub fn classify(text: &str, _blocks: &[LayoutBlock]) -> Metadata {
    let doc = Doc::new(text);
    let kind = kind(&doc);
    let authority = authority::find(&doc.flat);
    let inspection_dates = inspection_dates(&doc, kind);
    let period = (kind == ReportKind::SafeguardingPartnershipAnnualReport)
        .then(|| main_period(&doc))
        .flatten();
    let (date, date_inferred) = document_date(&doc, kind, period.as_deref());
    let judgements = if kind == ReportKind::OfstedInspectionReport {
        judgements::find(&doc.flat, &doc.lines)
    } else {
        vec![]
    };
    let title = title(
        &doc,
        kind,
        authority.as_deref(),
        inspection_dates.as_ref(),
        period.as_deref(),
    );
    Metadata {
        title,
        kind,
        authority,
        date: date.map(Date::iso),
        date_inferred,
        inspection_dates,
        period,
        framework: framework(&doc, kind),
        judgements,
        inspectors: inspectors::find(&doc.flat, &doc.paragraphs),
    }
}

/// Phrases only one kind of document uses of itself.
const KIND_EVIDENCE: [(ReportKind, &[&str]); 3] = [
    (
        ReportKind::OfstedFocusedVisitLetter,
        &["this letter summarises the findings of a focused visit"],
    ),
    (
        ReportKind::OfstedInspectionReport,
        &[
            "the overall judgement is",
            "inspection of services for children in need of help and protection",
            "the judgements on areas of the service",
            "ofsted produces this report",
            "what the inspection judgements mean",
        ],
    ),
    (
        ReportKind::CouncilCommitteeReport,
        &[
            "report of the director",
            "report to executive board",
            "report to scrutiny board",
            "scrutiny is asked to",
            "scrutiny board is asked to",
            "board is recommended to",
            "committee is recommended to",
            "why is the proposal being put forward",
            "eligible for call-in",
        ],
    ),
];

/// The kind whose evidence comes first: a council report that appends an Ofsted letter states
/// what it is before the letter does.
fn kind(doc: &Doc) -> ReportKind {
    let mut found: Vec<(usize, ReportKind)> = KIND_EVIDENCE
        .iter()
        .filter_map(|(kind, phrases)| {
            phrases
                .iter()
                .filter_map(|p| doc.lower.find(p))
                .min()
                .map(|at| (at, *kind))
        })
        .collect();
    found.extend(annual_report_evidence(doc));
    found
        .into_iter()
        .min()
        .map_or(ReportKind::Other, |(_, k)| k)
}

/// "Annual Report" in a document that names a safeguarding partnership or board.
fn annual_report_evidence(doc: &Doc) -> Option<(usize, ReportKind)> {
    let names_partnership = [
        "safeguarding children partnership",
        "safeguarding partnership",
        "safeguarding children board",
        "safeguarding children's board",
    ]
    .iter()
    .any(|p| doc.lower.contains(p));
    let at = doc.lower.find("annual report")?;
    names_partnership.then_some((at, ReportKind::SafeguardingPartnershipAnnualReport))
}

/// The framework an inspection was carried out under, where the text says so. A council report
/// about an inspection gets the framework of the inspection it reports, since that is what readers
/// filter by; an annual report does not, as it mentions many inspections of many services.
fn framework(doc: &Doc, kind: ReportKind) -> Option<String> {
    if kind == ReportKind::SafeguardingPartnershipAnnualReport {
        return None;
    }
    let named = [
        ("ilacs", "ILACS"),
        ("inspecting local authority children's services", "ILACS"),
        ("inspection of local authority children's services", "ILACS"),
        ("single inspection framework", "SIF"),
    ]
    .iter()
    .filter_map(|(phrase, name)| doc.lower.find(phrase).map(|at| (at, *name)))
    .min()
    .map(|(_, name)| name.to_string());
    // Only the single inspection framework combined the council's inspection (section 136) with a
    // review of the Local Safeguarding Children Board in one report.
    let combined_with_board_review = kind == ReportKind::OfstedInspectionReport
        && doc.lower.contains("section 136")
        && doc
            .lower
            .contains("review of the local safeguarding children board");
    named.or_else(|| combined_with_board_review.then(|| "SIF".to_string()))
}

/// The first range of days that the text ties to a visit or an inspection.
fn inspection_dates(doc: &Doc, kind: ReportKind) -> Option<DateRange> {
    if kind == ReportKind::SafeguardingPartnershipAnnualReport {
        return None;
    }
    dates::ranges(&doc.flat)
        .into_iter()
        .find(|r| {
            let before = doc.lower[..r.start]
                .char_indices()
                .rev()
                .nth(160)
                .map_or(0, |(i, _)| i);
            let context = &doc.lower[before..r.start];
            ["visit", "inspection", "inspected"]
                .iter()
                .any(|w| context.contains(w))
        })
        .map(|r| r.range)
}

/// The reporting year an annual report covers: the one its title names, else the most mentioned.
fn main_period(doc: &Doc) -> Option<String> {
    let found = dates::periods(&doc.flat);
    let titled = found.iter().find(|(at, _)| {
        let before = &doc.lower[at.saturating_sub(30)..*at];
        before.contains("annual report")
    });
    titled
        .or_else(|| {
            found
                .iter()
                .max_by_key(|(_, p)| found.iter().filter(|(_, q)| q == p).count())
        })
        .map(|(_, p)| p.clone())
}

/// The document's own date, and a sentence for readers when it had to be inferred.
fn document_date(
    doc: &Doc,
    kind: ReportKind,
    period: Option<&str>,
) -> (Option<Date>, Option<String>) {
    if let Some(d) = labelled_date(doc).or_else(|| date_line(doc, kind)) {
        return (Some(d), None);
    }
    if let Some(end) = period.and_then(dates::period_end) {
        let why = format!(
            "No date is stated in the text; this is the last day of the period the report covers ({}).",
            period.unwrap_or_default()
        );
        return (Some(end), Some(why));
    }
    match latest_past_event(doc) {
        Some(d) => (
            Some(d),
            Some(format!(
                "No date is stated in the text; inferred from the latest events it describes ({}).",
                d.human()
            )),
        ),
        None => (None, None),
    }
}

/// "Date: 20th March 2019", "Date of meeting: …", "Publication date: …" at the start of a line.
fn labelled_date(doc: &Doc) -> Option<Date> {
    const LABELS: [&str; 5] = [
        "date:",
        "date of meeting:",
        "meeting date:",
        "publication date:",
        "published:",
    ];
    doc.lines.iter().find_map(|line| {
        let line = line.trim();
        let lower = line.to_ascii_lowercase();
        let label = LABELS.iter().find(|l| lower.starts_with(*l))?;
        dates::mentions(&line[label.len()..])
            .into_iter()
            .map(|m| m.date)
            .find(|d| d.day.is_some())
    })
}

/// A line holding nothing but a date near the top, as a letter is dated; for a letter, the one
/// before its salutation.
fn date_line(doc: &Doc, kind: ReportKind) -> Option<Date> {
    let salutation = doc
        .lines
        .iter()
        .position(|l| l.trim_start().starts_with("Dear "));
    let end = match (kind, salutation) {
        (ReportKind::OfstedFocusedVisitLetter, Some(s)) => s,
        _ => doc.lines.len().min(40),
    };
    doc.lines[..end]
        .iter()
        .find_map(|l| dates::whole_line_date(l))
}

/// Words that mark a sentence as about the future, whose dates say nothing of when it was written.
const FUTURE_MARKERS: [&str; 9] = [
    " will ",
    " planned",
    " plan to ",
    " due to ",
    " expected ",
    " scheduled",
    " next ",
    " intend",
    " by the end of ",
];

/// The latest date the text gives for something that has happened: a lower bound for when it was
/// written.
fn latest_past_event(doc: &Doc) -> Option<Date> {
    dates::mentions(&doc.flat)
        .into_iter()
        .filter(|m| {
            let start = doc.lower[..m.start].rfind(". ").map_or(0, |s| s + 1);
            let end = doc.lower[m.end..]
                .find(". ")
                .map_or(doc.lower.len(), |e| m.end + e);
            let sentence = format!(" {} ", &doc.lower[start..end]);
            !FUTURE_MARKERS.iter().any(|w| sentence.contains(w))
        })
        .map(|m| m.date)
        .max_by_key(|d| d.iso())
}

/// A title people can read: the document's own where it states one, else one built from what it is.
fn title(
    doc: &Doc,
    kind: ReportKind,
    authority: Option<&str>,
    visit: Option<&DateRange>,
    period: Option<&str>,
) -> String {
    let stated = match kind {
        ReportKind::OfstedFocusedVisitLetter => letter_subject(doc),
        ReportKind::CouncilCommitteeReport => {
            subject_line(doc).or_else(|| council_report_title(doc, visit))
        }
        ReportKind::SafeguardingPartnershipAnnualReport => annual_report_title(doc, period),
        ReportKind::OfstedInspectionReport => Some(inspection_title(doc, authority)),
        ReportKind::Other => first_line(doc),
    };
    stated.unwrap_or_else(|| match authority {
        Some(a) => format!("{}: {a}", kind.label()),
        None => kind.label().to_string(),
    })
}

/// The subject line after "Dear …" ("Focused visit to Leeds City Council children's services").
fn letter_subject(doc: &Doc) -> Option<String> {
    let at = doc
        .lines
        .iter()
        .position(|l| l.trim_start().starts_with("Dear "))?;
    let line = doc.lines[at + 1..]
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())?;
    let short = line.split_whitespace().count() <= 15 && !line.ends_with('.');
    short.then(|| tidy(line))
}

/// "Subject: Ofsted Update and Children and Families Improvement Plan" or "Report title: …".
fn subject_line(doc: &Doc) -> Option<String> {
    doc.lines.iter().find_map(|l| {
        let l = l.trim();
        let lower = l.to_ascii_lowercase();
        ["subject:", "report title:", "title:"]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| tidy(&l[p.len()..]))
            .filter(|t| !t.is_empty())
    })
}

/// A council report without a subject line: who it goes to and what inspection it reports on.
fn council_report_title(doc: &Doc, visit: Option<&DateRange>) -> Option<String> {
    let about = if doc.lower.contains("focused visit") {
        "the Ofsted focused visit"
    } else if doc.lower.contains("ofsted inspection") {
        "the Ofsted inspection"
    } else {
        return None;
    };
    let audience =
        committee(doc).map_or("Council report".to_string(), |c| format!("Report to {c}"));
    let when = visit
        .map(|r| format!(" of {}", human_range(r)))
        .unwrap_or_default();
    Some(format!("{audience} on {about}{when}"))
}

/// "Scrutiny is asked to note" → "Scrutiny"; "Report to Executive Board" → "Executive Board".
fn committee(doc: &Doc) -> Option<String> {
    if let Some(at) = doc.lower.find("report to ") {
        let rest = &doc.flat[at + "report to ".len()..];
        let name: Vec<&str> = rest
            .split(' ')
            .take_while(|w| w.starts_with(|c: char| c.is_uppercase()))
            .collect();
        if !name.is_empty() {
            return Some(name.join(" "));
        }
    }
    ["is asked to", "is recommended to"].iter().find_map(|p| {
        let at = doc.lower.find(p)?;
        let before = doc.flat[..at].trim_end();
        let start = before
            .rfind(|c: char| !(c.is_alphabetic() || c == ' '))
            .map_or(0, |i| i + 1);
        let name = before[start..].trim();
        let capitalised = name
            .split(' ')
            .all(|w| w.starts_with(|c: char| c.is_uppercase()));
        (capitalised && !name.is_empty() && name.split(' ').count() <= 4).then(|| name.to_string())
    })
}

/// "20–21 July 2021", "29 January – 2 February 2018".
fn human_range(r: &DateRange) -> String {
    let parse = |iso: &str| -> Option<(i32, u32, u32)> {
        let mut parts = iso.split('-').map(|p| p.parse::<i64>().ok());
        Some((
            parts.next()?? as i32,
            parts.next()?? as u32,
            parts.next()?? as u32,
        ))
    };
    let (Some((y1, m1, d1)), Some((y2, m2, d2))) = (parse(&r.start), parse(&r.end)) else {
        return format!("{} to {}", r.start, r.end);
    };
    let end = Date {
        year: y2,
        month: m2,
        day: Some(d2),
    }
    .human();
    if (y1, m1) == (y2, m2) {
        format!("{d1}–{end}")
    } else {
        let start = Date {
            year: y1,
            month: m1,
            day: Some(d1),
        }
        .human();
        let start = if y1 == y2 {
            start.trim_end_matches(&format!(" {y1}")).to_string()
        } else {
            start
        };
        format!("{start} – {end}")
    }
}

/// "Leeds Safeguarding Children Partnership (LSCP) Annual Report 2018/19" → without the acronym.
fn annual_report_title(doc: &Doc, period: Option<&str>) -> Option<String> {
    doc.lower
        .match_indices("annual report")
        .find_map(|(at, _)| {
            let words: Vec<&str> = doc.flat[..at]
                .split(' ')
                .rev()
                // "(LSCP)": the acronym is not part of the name.
                .filter(|w| !w.is_empty() && !w.starts_with('('))
                .take_while(|w| {
                    w.starts_with(|c: char| c.is_uppercase()) && !["This", "The", "Our"].contains(w)
                })
                .take(6)
                .collect();
            let name: Vec<&str> = words.into_iter().rev().collect();
            let names_body = name.iter().any(|w| *w == "Partnership" || *w == "Board");
            names_body.then(|| {
                let period = period.map(|p| format!(" {p}")).unwrap_or_default();
                format!("{} Annual Report{period}", name.join(" "))
            })
        })
}

/// The report's own title where the text keeps it; else what the report says it combines.
fn inspection_title(doc: &Doc, authority: Option<&str>) -> String {
    const STATED: &str = "inspection of services for children in need of help and protection, children looked after and care leavers";
    if let Some(at) = doc.lower.find(STATED) {
        let mut title = doc.flat[at..at + STATED.len()].to_string();
        if doc.lower[at + STATED.len()..]
            .trim_start()
            .starts_with("and review of the")
        {
            title.push_str(" and review of the Local Safeguarding Children Board");
        }
        return capitalise(&title);
    }
    let whose = authority.map_or("children's services".to_string(), |a| {
        format!("{a} children's services")
    });
    if doc
        .lower
        .contains("review of the local safeguarding children board")
    {
        format!("Inspection of {whose} and review of the Local Safeguarding Children Board")
    } else {
        format!("Inspection of {whose}")
    }
}

fn first_line(doc: &Doc) -> Option<String> {
    doc.lines
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(80).collect())
}

/// Whitespace collapsed and curly apostrophes kept as the document wrote them.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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

    fn meta(text: &str) -> Metadata {
        classify(text, &[])
    }

    #[test]
    fn kind_from_first_evidence() {
        assert_eq!(
            meta("Report to Executive Board\n\nlater: This letter summarises the findings of a focused visit").kind,
            ReportKind::CouncilCommitteeReport
        );
        assert_eq!(
            meta("Dear Ms Smith\n\nThis letter summarises the findings of a focused visit to X")
                .kind,
            ReportKind::OfstedFocusedVisitLetter
        );
        assert_eq!(
            meta("This Annual Report sets out the work of the Safeguarding Children Partnership")
                .kind,
            ReportKind::SafeguardingPartnershipAnnualReport
        );
        assert_eq!(meta("A note about parks.").kind, ReportKind::Other);
    }

    #[test]
    fn letter_metadata() {
        let m = meta(
            "22 February 2018\n\nMr A Person\nDirector\n\nDear Mr Person\n\nFocused visit to Barset \
             County Council children's services\n\nThis letter summarises the findings of a focused \
             visit to Barset County Council children's services on 30 and 31 January 2018. The \
             inspectors were Ann Smith HMI and Bob Jones HMI.\n",
        );
        assert_eq!(
            m.title,
            "Focused visit to Barset County Council children's services"
        );
        assert_eq!(m.authority.as_deref(), Some("Barset County Council"));
        assert_eq!(m.date.as_deref(), Some("2018-02-22"));
        assert_eq!(m.date_inferred, None);
        assert_eq!(
            m.inspection_dates,
            Some(DateRange {
                start: "2018-01-30".into(),
                end: "2018-01-31".into()
            })
        );
        assert_eq!(m.inspectors, ["Ann Smith HMI", "Bob Jones HMI"]);
        assert_eq!(m.framework, None);
    }

    #[test]
    fn council_report_date_and_subject() {
        let m = meta(
            "Report of the Director of Children & Families\n\nReport to Executive Board\n\nDate: 20th \
             March 2019\n\nSubject: Ofsted Update\n\nThe inspection was based on the new ILACS framework.",
        );
        assert_eq!(m.kind, ReportKind::CouncilCommitteeReport);
        assert_eq!(m.title, "Ofsted Update");
        assert_eq!(m.date.as_deref(), Some("2019-03-20"));
        assert_eq!(m.framework.as_deref(), Some("ILACS"));
    }

    #[test]
    fn undated_text_gets_the_latest_past_event_and_a_reason() {
        let m = meta(
            "The overall judgement is that children's services are good\n\nIn March 2013 a service \
             began. At 20th January 2015, 1,294 children were looked after. A hub is planned, from \
             April 2015, to be set up.",
        );
        assert_eq!(m.date.as_deref(), Some("2015-01-20"));
        assert_eq!(
            m.date_inferred.as_deref(),
            Some(
                "No date is stated in the text; inferred from the latest events it describes (20 January 2015)."
            )
        );
    }

    #[test]
    fn annual_report_period_and_title() {
        let m = meta(
            "This document constitutes the Barset Safeguarding Children Partnership (BSCP) Annual \
             Report 2018/19 and summarises 2017/18 too.",
        );
        assert_eq!(
            m.title,
            "Barset Safeguarding Children Partnership Annual Report 2018/19"
        );
        assert_eq!(m.period.as_deref(), Some("2018/19"));
        assert_eq!(m.date.as_deref(), Some("2019-03-31"));
        assert!(m.date_inferred.is_some());
    }

    #[test]
    fn council_report_without_subject_gets_a_built_title() {
        let m = meta(
            "This report follows the Ofsted Focused Visit conducted on the 20th and 21st July 2021.\n\n\
             a) Scrutiny is asked to note the findings.",
        );
        assert_eq!(
            m.title,
            "Report to Scrutiny on the Ofsted focused visit of 20–21 July 2021"
        );
    }

    #[test]
    fn human_ranges() {
        let r = |s: &str, e: &str| {
            human_range(&DateRange {
                start: s.into(),
                end: e.into(),
            })
        };
        assert_eq!(r("2021-07-20", "2021-07-21"), "20–21 July 2021");
        assert_eq!(
            r("2018-01-29", "2018-02-02"),
            "29 January – 2 February 2018"
        );
        assert_eq!(
            r("2014-12-15", "2015-01-09"),
            "15 December 2014 – 9 January 2015"
        );
    }
}
