//! The metadata of each seed document, as read by a person from the document itself.

use super::*;
use crate::ingest::{repair, split};

/// A seed's text as ingest hands it to `classify`: characters normalised and ligatures repaired,
/// split into the host and any embedded documents.
pub(crate) fn seed_parts(name: &str) -> Vec<split::Part> {
    let path = format!("{}/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(&path).expect("seed readable");
    let normalised = repair::normalise_characters(&raw);
    let mut lexicon = repair::Lexicon::bundled();
    lexicon.learn_from(&normalised);
    split::split_embedded(&repair::repair_lost_ligatures(&normalised, &lexicon))
}

fn seed_meta(name: &str) -> Vec<Metadata> {
    seed_parts(name)
        .iter()
        .map(|p| classify(&p.text, &[]))
        .collect()
}

fn range(start: &str, end: &str) -> Option<DateRange> {
    Some(DateRange {
        start: start.to_string(),
        end: end.to_string(),
    })
}

fn judgement(area: &str, grade: &str) -> Judgement {
    Judgement {
        area: area.to_string(),
        grade: grade.to_string(),
    }
}

#[test]
fn sif_inspection_report_without_its_cover_page() {
    let metas = seed_meta("000_bba7b8ba5c51fe19.txt");
    assert_eq!(metas.len(), 1);
    let m = &metas[0];
    assert_eq!(m.kind, ReportKind::OfstedInspectionReport);
    assert_eq!(
        m.title,
        "Inspection of Leeds City Council children's services and review of the Local \
         Safeguarding Children Board"
    );
    assert_eq!(m.authority.as_deref(), Some("Leeds City Council"));
    assert_eq!(m.date.as_deref(), Some("2015-01-31"));
    assert_eq!(
        m.date_inferred.as_deref(),
        Some(
            "No date is stated in the text; inferred from the latest events it describes (January 2015)."
        )
    );
    assert_eq!(m.inspection_dates, None);
    assert_eq!(m.framework.as_deref(), Some("SIF"));
    assert_eq!(
        m.judgements,
        [
            judgement("Overall effectiveness", "Good"),
            judgement("Children who need help and protection", "Good"),
            judgement("Children looked after and achieving permanence", "Good"),
            judgement("Adoption performance", "Good"),
            judgement("Experiences and progress of care leavers", "Good"),
            judgement("Leadership, management and governance", "Outstanding"),
            judgement("Local Safeguarding Children Board", "Good"),
        ]
    );
    assert_eq!(
        m.inspectors,
        [
            "Tracey Metcalfe (lead inspector)",
            "Sarah Urding (deputy lead inspector)",
            "Brendan Parkinson",
            "Anji Parker",
            "Ty Yousaf (AI)",
            "Dick O’Brien",
            "Margaret Farrow",
            "Nick Stacey (AI)",
            "Ian Young",
        ]
    );
}

#[test]
fn executive_board_report_about_the_ilacs_inspection() {
    let metas = seed_meta("001_a10b7a8fd731d004.txt");
    assert_eq!(metas.len(), 1);
    let m = &metas[0];
    assert_eq!(m.kind, ReportKind::CouncilCommitteeReport);
    assert_eq!(
        m.title,
        "Ofsted Update and Children and Families Improvement Plan"
    );
    assert_eq!(m.authority.as_deref(), Some("Leeds City Council"));
    assert_eq!(m.date.as_deref(), Some("2019-03-20"));
    assert_eq!(m.date_inferred, None);
    // The inspection was in "October 2018": a month, not a range of days.
    assert_eq!(m.inspection_dates, None);
    assert_eq!(m.framework.as_deref(), Some("ILACS"));
    assert!(m.judgements.is_empty());
    assert!(m.inspectors.is_empty());
}

#[test]
fn focused_visit_letter_2018() {
    let metas = seed_meta("002_85e47bd16ee8f0bd.txt");
    assert_eq!(metas.len(), 1);
    let m = &metas[0];
    assert_eq!(m.kind, ReportKind::OfstedFocusedVisitLetter);
    assert_eq!(
        m.title,
        "Focused visit to Leeds City Council children's services"
    );
    assert_eq!(m.authority.as_deref(), Some("Leeds City Council"));
    assert_eq!(m.date.as_deref(), Some("2018-02-22"));
    assert_eq!(m.inspection_dates, range("2018-01-30", "2018-01-31"));
    // The letter does not name its framework.
    assert_eq!(m.framework, None);
    assert!(m.judgements.is_empty());
    assert_eq!(m.inspectors, ["Nigel Parkes HMI", "Kate Malleson HMI"]);
}

#[test]
fn safeguarding_partnership_annual_report() {
    let metas = seed_meta("003_00c2cf2cf2e17c1a.txt");
    assert_eq!(metas.len(), 1);
    let m = &metas[0];
    assert_eq!(m.kind, ReportKind::SafeguardingPartnershipAnnualReport);
    assert_eq!(
        m.title,
        "Leeds Safeguarding Children Partnership Annual Report 2018/19"
    );
    assert_eq!(m.authority.as_deref(), Some("Leeds City Council"));
    assert_eq!(m.period.as_deref(), Some("2018/19"));
    assert_eq!(m.date.as_deref(), Some("2019-03-31"));
    assert!(m.date_inferred.is_some());
    assert_eq!(m.inspection_dates, None);
    assert_eq!(m.framework, None);
    assert!(m.judgements.is_empty());
}

#[test]
fn scrutiny_report_and_its_appended_focused_visit_letter() {
    let metas = seed_meta("004_19a38e1162f77a90.txt");
    assert_eq!(metas.len(), 2);
    let host = &metas[0];
    assert_eq!(host.kind, ReportKind::CouncilCommitteeReport);
    assert_eq!(
        host.title,
        "Report to Scrutiny on the Ofsted focused visit of 20–21 July 2021"
    );
    assert_eq!(host.authority.as_deref(), Some("Leeds City Council"));
    // The report is undated; its appendix is "Focused Visit Letter August 2021".
    assert_eq!(host.date.as_deref(), Some("2021-08-31"));
    assert!(host.date_inferred.is_some());
    assert_eq!(host.inspection_dates, range("2021-07-20", "2021-07-21"));
    assert_eq!(host.framework.as_deref(), Some("ILACS"));

    let letter = &metas[1];
    assert_eq!(letter.kind, ReportKind::OfstedFocusedVisitLetter);
    assert_eq!(letter.title, "Focused visit to Leeds children’s services");
    assert_eq!(letter.authority.as_deref(), Some("Leeds City Council"));
    assert_eq!(letter.date.as_deref(), Some("2021-08-31"));
    assert_eq!(letter.date_inferred, None);
    assert_eq!(letter.inspection_dates, range("2021-07-20", "2021-07-21"));
    assert_eq!(letter.framework.as_deref(), Some("ILACS"));
    assert_eq!(
        letter.inspectors,
        ["Victoria Horsefield HMI", "Matt Reed HMI"]
    );
}
