//! Recommendation shapes on hand-built block sequences, as layout will hand them over.

use super::*;

fn h(level: u8, text: &str) -> LayoutBlock {
    LayoutBlock::Heading {
        level,
        text: text.to_string(),
    }
}

fn p(text: &str) -> LayoutBlock {
    LayoutBlock::Paragraph {
        number: None,
        text: text.to_string(),
    }
}

fn n(number: &str, text: &str) -> LayoutBlock {
    LayoutBlock::Paragraph {
        number: Some(number.to_string()),
        text: text.to_string(),
    }
}

fn b(text: &str) -> LayoutBlock {
    LayoutBlock::Bullet {
        text: text.to_string(),
    }
}

fn summary(found: &[FoundRecommendation]) -> Vec<(usize, RecommendationKind, Option<&str>, &str)> {
    found
        .iter()
        .map(|r| (r.block, r.kind, r.group.as_deref(), r.text.as_str()))
        .collect()
}

use RecommendationKind::{Committee, Inspection, Quoted};

#[test]
fn areas_for_improvement_grouped_by_subheadings() {
    let blocks = [
        h(2, "What does the local authority need to improve?"),
        p("There are no priority or immediate actions."),
        h(2, "Areas for improvement"),
        h(3, "Leadership, Management and Governance"),
        n(
            "1",
            "Extend the reach of the outcomes-based accountability approach.",
        ),
        n(
            "2",
            "Ensure that all frontline managers understand the recording system.",
        ),
        h(3, "Adoption"),
        n(
            "12",
            "Ensure that all post-adoption support plans are measurable and outcome based.",
        ),
        n(
            "13",
            "Improve pathway plans for young people (outcome 1, national framework)",
        ),
        h(2, "The local authority's strengths"),
        n(
            "16",
            "Children and young people are at the heart of the city's growth strategy.",
        ),
    ];
    let found = find(&blocks, ReportKind::OfstedInspectionReport);
    assert_eq!(
        summary(&found),
        [
            (
                4,
                Inspection,
                Some("Leadership, Management and Governance"),
                "Extend the reach of the outcomes-based accountability approach."
            ),
            (
                5,
                Inspection,
                Some("Leadership, Management and Governance"),
                "Ensure that all frontline managers understand the recording system."
            ),
            (
                7,
                Inspection,
                Some("Adoption"),
                "Ensure that all post-adoption support plans are measurable and outcome based."
            ),
            (
                8,
                Inspection,
                Some("Adoption"),
                "Improve pathway plans for young people (outcome 1, national framework)"
            ),
        ]
    );
}

#[test]
fn group_headings_at_the_same_level_still_group() {
    // Layout may give every heading one level: the section's own vocabulary ends it.
    let blocks = [
        h(2, "Areas for improvement"),
        h(2, "Care leavers"),
        n(
            "14",
            "Improve Pathway Plans so that they contain the detail needed.",
        ),
        h(2, "Progress since the last inspection"),
        n(
            "25",
            "In July 2009, the unannounced inspection found that services were poor.",
        ),
    ];
    let found = find(&blocks, ReportKind::OfstedInspectionReport);
    assert_eq!(
        summary(&found),
        [(
            2,
            Inspection,
            Some("Care leavers"),
            "Improve Pathway Plans so that they contain the detail needed."
        )]
    );
}

#[test]
fn board_areas_for_improvement_say_whose_they_are() {
    let blocks = [
        h(2, "The Local Safeguarding Children Board (LSCB)"),
        p("The Local Safeguarding Children Board is good"),
        h(2, "What does the LSCB need to improve?"),
        h(3, "Priority and immediate action"),
        p("There are no priority actions."),
        h(3, "Areas for improvement"),
        n(
            "184",
            "Report on the effectiveness of all key partner agencies.",
        ),
        n(
            "185",
            "Collate and aggregate intelligence from return interviews.",
        ),
        h(3, "Inspection judgement about the LSCB"),
        n(
            "189",
            "The LSCB is a key member of the group of strategic partnerships.",
        ),
    ];
    let found = find(&blocks, ReportKind::OfstedInspectionReport);
    let groups: Vec<Option<&str>> = found.iter().map(|r| r.group.as_deref()).collect();
    assert_eq!(groups, [Some("Local Safeguarding Children Board"); 2]);
    assert_eq!(found[0].block, 6);
}

#[test]
fn what_needs_to_improve_bullets_end_at_the_next_heading() {
    let blocks = [
        h(
            2,
            "What needs to improve in this area of social work practice",
        ),
        b("The way in which information is presented in performance reports."),
        b("Personal Education Plans are of variable quality."),
        h(2, "Findings"),
        b("Children and young people are in regular contact with their social workers."),
    ];
    let found = find(&blocks, ReportKind::OfstedFocusedVisitLetter);
    assert_eq!(found.len(), 2);
    assert!(
        found
            .iter()
            .all(|r| r.kind == Inspection && r.group.is_none())
    );
}

#[test]
fn a_list_split_by_a_page_break_is_collected_whole() {
    let blocks = [
        h(2, "What needs to improve?"),
        b("The quality and consistency of assessments."),
        b("The quality and impact of management oversight and supervision to ensure that"),
        h(
            2,
            "Inspection of Barset County Council children's services 4",
        ),
        p("decisions are timely and well recorded."),
        h(2, "Ofsted inspection report 5"),
        b("The quality and independence of audits."),
        h(2, "Main findings"),
        p("Leeds has experienced high rates of COVID-19."),
    ];
    let found = find(&blocks, ReportKind::OfstedInspectionReport);
    assert_eq!(
        summary(&found),
        [
            (
                1,
                Inspection,
                None,
                "The quality and consistency of assessments."
            ),
            (
                2,
                Inspection,
                None,
                "The quality and impact of management oversight and supervision to ensure that decisions are timely and well recorded."
            ),
            (
                6,
                Inspection,
                None,
                "The quality and independence of audits."
            ),
        ]
    );
}

#[test]
fn a_heading_that_cuts_an_item_mid_sentence_is_skipped() {
    let blocks = [
        h(2, "What needs to improve"),
        b("Managers should ensure that children's plans are"),
        h(3, "Strengths and weaknesses"),
        p("reviewed regularly."),
        h(2, "Main findings"),
    ];
    let found = find(&blocks, ReportKind::OfstedFocusedVisitLetter);
    assert_eq!(
        summary(&found),
        [(
            1,
            Inspection,
            None,
            "Managers should ensure that children's plans are reviewed regularly."
        )]
    );
}

#[test]
fn scrutiny_recommendations_and_quoted_focused_visit_items() {
    let blocks = [
        b("This report follows the Ofsted Focused Visit conducted on the 20th and 21st July 2021."),
        b(
            "Ofsted inspectors identified strengths. The three recommendations for improved practice are:",
        ),
        b("The quality and consistency of assessments."),
        b("The quality and impact of management oversight."),
        h(2, "Recommendations"),
        p("a) Scrutiny is asked to note the findings reported by Ofsted inspectors."),
        p("b) Scrutiny is asked to consider its role in monitoring the progress."),
        p("☐Yes ☒No"),
        h(2, "Why is the proposal being put forward?"),
        n(
            "5",
            "If inspectors find serious weaknesses, they will identify areas for priority action. An area for priority action is either:",
        ),
        b("An area of serious weakness that is placing children at risk."),
        n(
            "10",
            "Inspectors found no areas of serious weakness but highlighted three areas for improved practice:",
        ),
        b("The quality and consistency of assessments."),
        b("The quality and impact of management oversight."),
        n(
            "29",
            "Appendix 1. Leeds Front Door Focused Visit Letter August 2021.",
        ),
    ];
    let found = find(&blocks, ReportKind::CouncilCommitteeReport);
    assert_eq!(
        summary(&found),
        [
            (
                2,
                Quoted,
                None,
                "The quality and consistency of assessments."
            ),
            (
                3,
                Quoted,
                None,
                "The quality and impact of management oversight."
            ),
            (
                5,
                Committee,
                None,
                "Scrutiny is asked to note the findings reported by Ofsted inspectors."
            ),
            (
                6,
                Committee,
                None,
                "Scrutiny is asked to consider its role in monitoring the progress."
            ),
        ]
    );
    let source = found[0].quoted_from.as_ref().expect("quoted source");
    assert_eq!(source.title, "Ofsted focused visit letter");
    assert_eq!(source.date.as_deref(), Some("2021-08"));
    assert!(found[2].quoted_from.is_none());
}

#[test]
fn executive_board_recommendations_in_summary_and_body_count_once() {
    let blocks = [
        h(2, "Recommendations"),
        p("Executive Board is recommended to:"),
        b("Endorse the report and improvement plan."),
        b("Note that the Officer responsible for implementation is the Deputy Director."),
        p("1 Purpose of this report"),
        n(
            "2.5",
            "The inspection report, published on 18th December 2018 is largely positive, however, there are four areas where Ofsted identified the need to improve. The areas for improvement identified include:",
        ),
        b("The routine involvement of health agencies in strategy discussions;"),
        b("The quality, recording and review of personal education plans; and"),
        n(
            "2.6",
            "The areas for improvement had previously been recognised.",
        ),
        n(
            "3.17",
            "The Service Improvement Plan has two priority areas for improvement:",
        ),
        b("Improving outcomes for children and families in the city"),
        p("6 Recommendations"),
        n("6.1", "Executive Board is recommended to:"),
        n("6.2", "Endorse the report and improvement plan."),
        n(
            "6.3",
            "Note that the Officer responsible for implementation is the Deputy Director.",
        ),
        p("7 Background documents"),
    ];
    let found = find(&blocks, ReportKind::CouncilCommitteeReport);
    assert_eq!(
        summary(&found),
        [
            (
                2,
                Committee,
                None,
                "Endorse the report and improvement plan."
            ),
            (
                3,
                Committee,
                None,
                "Note that the Officer responsible for implementation is the Deputy Director."
            ),
            (
                6,
                Quoted,
                None,
                "The routine involvement of health agencies in strategy discussions."
            ),
            (
                7,
                Quoted,
                None,
                "The quality, recording and review of personal education plans."
            ),
        ]
    );
    let source = found[2].quoted_from.as_ref().expect("quoted source");
    assert_eq!(source.title, "Ofsted inspection report");
    assert_eq!(source.date.as_deref(), Some("2018-12-18"));
}

#[test]
fn no_sections_no_recommendations() {
    let blocks = [
        h(2, "Chair's introduction"),
        p("This Annual Report evidences good progress."),
    ];
    assert!(find(&blocks, ReportKind::SafeguardingPartnershipAnnualReport).is_empty());
}
