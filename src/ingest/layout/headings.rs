//! Telling headings from text, and how deep each heading sits.

use super::furniture::ends_sentence;

/// The shape of a title: short, opening with a capital or a number, not ending a sentence, and
/// not a `Label: value` line such as `Wards affected: All`.
pub fn is_title_shaped(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let first = text.chars().next();
    let ends_like_title = !ends_sentence(text) || text.ends_with('?');
    (1..=14).contains(&words)
        && text.chars().count() <= 100
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && text.chars().any(char::is_alphabetic)
        && ends_like_title
        && !text.ends_with(',')
        && !text.contains(": ")
}

/// Lines shaped like titles that are not headings: a letter's salutation and an Ofsted grade
/// standing beside the judgement it grades.
pub fn is_never_heading(text: &str) -> bool {
    const GRADES: [&str; 5] = [
        "outstanding",
        "good",
        "requires improvement",
        "requires improvement to be good",
        "inadequate",
    ];
    text.starts_with("Dear ") || GRADES.contains(&text.to_lowercase().as_str())
}

/// Section titles that inspection reports and council papers use at the top level.
const TOP_LEVEL_OPENINGS: [&str; 24] = [
    "summary",
    "executive summary",
    "overview",
    "introduction",
    "foreword",
    "contents",
    "findings",
    "key findings",
    "areas for improvement",
    "areas for development",
    "recommendations",
    "what needs to improve",
    "what the inspection",
    "what does the",
    "priority and immediate action",
    "progress since",
    "information about",
    "inspection judgement",
    "appendix",
    "appendices",
    "background",
    "main issues",
    "conclusion",
    "next steps",
];

/// A title that opens a top-level section of an inspection report or council paper.
pub fn is_known_top_level(text: &str) -> bool {
    let lower = text.to_lowercase();
    let lower = lower.trim_end_matches(['?', ' ']);
    TOP_LEVEL_OPENINGS.iter().any(|o| lower.starts_with(o)) || lower.ends_with("strengths")
}

/// A numbered heading's level: `3 Main issues` is a section (2), `4.1 Consultation` inside one (3).
pub fn numbered_level(depth: usize) -> u8 {
    if depth <= 1 { 2 } else { 3 }
}

/// Tracks the sections seen so far to give each unnumbered heading its level.
#[derive(Debug, Default)]
pub struct Levels {
    /// The current section is a known one or has shown a subheading, so further headings in it
    /// are its groups (`Areas for improvement` › `Adoption`).
    in_known_section: bool,
}

impl Levels {
    /// The level of an unnumbered heading, given whether the block just before was a level-2
    /// heading.
    pub fn unnumbered(&mut self, text: &str, lettered: bool, after_top_heading: bool) -> u8 {
        if lettered {
            3
        } else if text.ends_with('?') {
            // Council papers title their sections as questions (`What impact will this have?`).
            self.in_known_section = false;
            2
        } else if is_known_top_level(text) {
            self.in_known_section = true;
            2
        } else if after_top_heading || self.in_known_section {
            self.in_known_section = true;
            3
        } else {
            2
        }
    }

    /// A numbered top-level heading starts a section of its own.
    pub fn numbered(&mut self, depth: usize) -> u8 {
        if depth <= 1 {
            self.in_known_section = false;
        }
        numbered_level(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_shapes() {
        assert!(is_title_shaped("Areas for improvement"));
        assert!(is_title_shaped(
            "What needs to improve in this area of social work practice"
        ));
        assert!(is_title_shaped("What impact will this proposal have?"));
        assert!(is_title_shaped("3 Main issues"));
        assert!(!is_title_shaped(
            "Inspectors did not identify any priority areas."
        ));
        assert!(!is_title_shaped(
            "Children’s services in Leeds are good because:"
        ));
        assert!(!is_title_shaped("Wards Affected: All"));
        assert!(!is_title_shaped("and families"));
    }

    #[test]
    fn salutations_and_grades_are_not_headings() {
        assert!(is_never_heading("Dear Mr Walker"));
        assert!(is_never_heading("Good"));
        assert!(!is_never_heading("Adoption"));
    }

    #[test]
    fn group_headings_sit_under_known_sections() {
        let mut levels = Levels::default();
        assert_eq!(levels.unnumbered("Areas for improvement", false, false), 2);
        assert_eq!(
            levels.unnumbered("Leadership, Management and Governance", false, true),
            3
        );
        assert_eq!(levels.unnumbered("Adoption", false, false), 3);
        assert_eq!(
            levels.unnumbered("The local authority’s strengths", false, false),
            2
        );
        assert_eq!(
            levels.unnumbered("What impact will this proposal have?", false, false),
            2
        );
        assert_eq!(
            levels.unnumbered("Options, timescales and measuring success", false, false),
            2
        );
        assert_eq!(
            levels.unnumbered("a) What other options were considered?", true, false),
            3
        );
        assert_eq!(levels.numbered(1), 2);
        assert_eq!(levels.numbered(2), 3);
    }
}
