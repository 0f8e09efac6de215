//! Graded judgements exactly as an inspection report states them: the overall judgement, the
//! numbered list or table of key judgements, and a safeguarding board's own judgement.

use crate::model::Judgement;

/// Ofsted's grades, longest first so "Requires improvement to be good" wins over its prefix.
const GRADES: [&str; 5] = [
    "Requires improvement to be good",
    "Requires improvement",
    "Outstanding",
    "Inadequate",
    "Good",
];

/// A key judgement's label is a short phrase, never a sentence.
const MAX_AREA_CHARS: usize = 110;

/// All judgements in a report: `flat` is its text with whitespace collapsed, `lines` its raw lines.
pub fn find(flat: &str, lines: &[&str]) -> Vec<Judgement> {
    let mut out: Vec<Judgement> = Vec::new();
    out.extend(overall(flat));
    let listed = numbered_list(flat);
    if listed.is_empty() {
        out.extend(tables(flat));
    } else {
        out.extend(listed);
    }
    out.extend(lines.iter().filter_map(|l| board_line(l)));
    let mut seen = std::collections::HashSet::new();
    out.retain(|j| seen.insert(j.area.to_lowercase()));
    out
}

/// "The overall judgement is that children's services are good" → Overall effectiveness: Good.
fn overall(flat: &str) -> Option<Judgement> {
    let lower = flat.to_ascii_lowercase();
    let at = lower.find("the overall judgement is")?;
    let sentence_end = lower[at..]
        .find(['.', '\n'])
        .map_or(lower.len(), |e| at + e);
    // Reports write "services require improvement to be good" as well as the grade's own words.
    let sentence = lower[at..sentence_end.min(at + 160)]
        .replace("require improvement", "requires improvement");
    let grade = GRADES
        .iter()
        .find(|g| sentence.contains(&format!(" {}", g.to_ascii_lowercase())))?;
    Some(Judgement {
        area: "Overall effectiveness".to_string(),
        grade: grade.to_string(),
    })
}

/// The list after "The judgements on areas of the service that contribute to overall
/// effectiveness are:" — "1. Children who need help and protection Good 2.1 Adoption performance Good".
fn numbered_list(flat: &str) -> Vec<Judgement> {
    let lower = flat.to_ascii_lowercase();
    let Some(at) = lower.find("contribute to overall effectiveness") else {
        return vec![];
    };
    let Some(colon) = flat[at..].find(':') else {
        return vec![];
    };
    let mut rest = &flat[at + colon + 1..];
    let mut out = Vec::new();
    while let Some(after_number) = strip_item_number(rest.trim_start()) {
        let Some((judgement, after)) = area_and_grade(after_number) else {
            break;
        };
        out.push(judgement);
        rest = after;
    }
    out
}

/// "2.1 " or "3. " at the start of a list item.
fn strip_item_number(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number = &text[..end];
    let starts_with_digit = number.starts_with(|c: char| c.is_ascii_digit());
    (starts_with_digit && text[end..].starts_with(' ')).then(|| text[end..].trim_start())
}

/// "Children who need help and protection Good …" → the judgement and the text after it.
fn area_and_grade(text: &str) -> Option<(Judgement, &str)> {
    let (at, grade) = GRADES
        .iter()
        .filter_map(|g| find_word(text, g).map(|at| (at, *g)))
        .min_by_key(|(at, g)| (*at, std::cmp::Reverse(g.len())))?;
    let area = text[..at].trim();
    let is_label = !area.is_empty()
        && area.len() <= MAX_AREA_CHARS
        && !area.contains(['.', ':', ';'])
        && area.starts_with(|c: char| c.is_uppercase());
    is_label.then(|| {
        (
            Judgement {
                area: area.to_string(),
                grade: grade.to_string(),
            },
            &text[at + grade.len()..],
        )
    })
}

/// Where `word` occurs as a whole word, case-sensitively.
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Rows of "Key judgement | Judgement grade" tables, used where a report has no numbered list.
fn tables(flat: &str) -> Vec<Judgement> {
    let lower = flat.to_ascii_lowercase();
    let mut out = Vec::new();
    for (at, header) in lower.match_indices("judgement grade") {
        let mut rest = &flat[at + header.len()..];
        while let Some((judgement, after)) = area_and_grade(rest) {
            out.push(judgement);
            rest = after;
        }
    }
    out
}

/// "The Local Safeguarding Children Board is good" on a line of its own.
fn board_line(line: &str) -> Option<Judgement> {
    let line = line.trim();
    let subject_and_grade = line.strip_prefix("The ")?;
    let (subject, grade) = subject_and_grade.rsplit_once(" is ")?;
    let is_board = subject.contains("Board") || subject.contains("Partnership");
    let grade = GRADES
        .iter()
        .find(|g| g.eq_ignore_ascii_case(grade.trim()))?;
    is_board.then(|| Judgement {
        area: subject.trim().to_string(),
        grade: grade.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(js: &[Judgement]) -> Vec<(&str, &str)> {
        js.iter()
            .map(|j| (j.area.as_str(), j.grade.as_str()))
            .collect()
    }

    #[test]
    fn overall_judgement_sentence() {
        let j = overall("The overall judgement is that children's services are good The local");
        assert_eq!(j.map(|j| j.grade), Some("Good".to_string()));
        let j = overall(
            "The overall judgement is that children's services require improvement to be good.",
        );
        assert_eq!(
            j.map(|j| j.grade),
            Some("Requires improvement to be good".to_string())
        );
        let j = overall("The overall judgement is that children's services are inadequate.");
        assert_eq!(j.map(|j| j.grade), Some("Inadequate".to_string()));
    }

    #[test]
    fn numbered_list_with_wrapped_area_and_sub_items() {
        let flat = "The judgements on areas of the service that contribute to overall effectiveness \
                    are: 1. Children who need help and protection Good 2. Children looked after and \
                    achieving permanence Good 2.1 Adoption performance Good 2.2 Experiences and \
                    progress of care leavers Requires improvement to be good 3. Leadership, management \
                    and governance Outstanding 1 Ofsted produces this report under its power.";
        assert_eq!(
            pairs(&numbered_list(flat)),
            [
                ("Children who need help and protection", "Good"),
                ("Children looked after and achieving permanence", "Good"),
                ("Adoption performance", "Good"),
                (
                    "Experiences and progress of care leavers",
                    "Requires improvement to be good"
                ),
                ("Leadership, management and governance", "Outstanding"),
            ]
        );
    }

    #[test]
    fn judgement_table_rows() {
        let flat = "Judgement Grade Overall effectiveness Outstanding The impact of leaders on social \
                    work practice with children and families Outstanding The experiences and progress \
                    of children who need help and protection Good Summary Children are safe.";
        assert_eq!(
            pairs(&tables(flat)),
            [
                ("Overall effectiveness", "Outstanding"),
                (
                    "The impact of leaders on social work practice with children and families",
                    "Outstanding"
                ),
                (
                    "The experiences and progress of children who need help and protection",
                    "Good"
                ),
            ]
        );
    }

    #[test]
    fn board_judgement_line() {
        let j = board_line("The Local Safeguarding Children Board is good  ");
        assert_eq!(
            j.map(|j| (j.area, j.grade)),
            Some((
                "Local Safeguarding Children Board".to_string(),
                "Good".to_string()
            ))
        );
        assert_eq!(board_line("The LSCB is good because:"), None);
        assert_eq!(
            board_line("The graded judgement for adoption is good"),
            None
        );
    }

    #[test]
    fn find_keeps_each_area_once() {
        let flat = "The overall judgement is that children's services are good";
        let js = find(
            flat,
            &[
                "The Local Safeguarding Children Board is good",
                "The Local Safeguarding Children Board is good",
            ],
        );
        assert_eq!(
            pairs(&js),
            [
                ("Overall effectiveness", "Good"),
                ("Local Safeguarding Children Board", "Good")
            ]
        );
    }
}
