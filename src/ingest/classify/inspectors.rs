//! The inspectors a report or letter names: "The inspectors were Nigel Parkes HMI and Kate
//! Malleson HMI", or an inspection team list ("Lead inspector: Tracey Metcalfe").

/// Inspectors in the order the text names them: `flat` is the text with whitespace collapsed,
/// `paragraphs` its blank-line-separated chunks.
pub fn find(flat: &str, paragraphs: &[String]) -> Vec<String> {
    let mut out = named_in_sentence(flat);
    out.extend(paragraphs.iter().flat_map(|p| labelled(p)));
    let mut seen = std::collections::HashSet::new();
    out.retain(|n| seen.insert(n.clone()));
    out
}

/// "The inspectors were A HMI and B HMI." / "Her Majesty's Inspectors for this visit were A and B."
fn named_in_sentence(flat: &str) -> Vec<String> {
    let lower = flat.to_ascii_lowercase();
    let mut out = Vec::new();
    for (at, _) in lower.match_indices("inspectors") {
        let Some(were) = lower[at..].find(" were ").map(|w| at + w) else {
            continue;
        };
        // The names follow within the same clause: "inspectors for this visit were".
        if lower[at..were].contains(['.', ',']) || were - at > 40 {
            continue;
        }
        let lead_in_start = lower[..at].rfind(". ").map_or(0, |s| s + 2);
        let her_majestys = lower[lead_in_start..at].contains("her majesty");
        let list_start = were + " were ".len();
        let list_end = flat[list_start..]
            .find(". ")
            .or_else(|| flat[list_start..].find('.'))
            .map_or(flat.len(), |e| list_start + e);
        for name in split_names(&flat[list_start..list_end]) {
            let needs_title = her_majestys && !name.contains("HMI");
            out.push(if needs_title {
                format!("{name} HMI")
            } else {
                name
            });
        }
    }
    out
}

/// "Lead inspector: Tracey Metcalfe" → "Tracey Metcalfe (lead inspector)"; "Team inspectors: A, B
/// and C" → the names alone.
fn labelled(paragraph: &str) -> Vec<String> {
    let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some((label, names)) = paragraph.split_once(':') else {
        return vec![];
    };
    let role = label.trim().to_ascii_lowercase();
    if !(role.ends_with("inspector") || role.ends_with("inspectors")) || role.len() > 40 {
        return vec![];
    }
    let is_team = role.ends_with("inspectors");
    split_names(names)
        .into_iter()
        .map(|n| if is_team { n } else { format!("{n} ({role})") })
        .collect()
}

/// "A, B (AI) and C" → the names that look like people's names; nothing if any part does not.
fn split_names(list: &str) -> Vec<String> {
    let parts: Vec<String> = list
        .split(", ")
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.iter().all(|p| looks_like_name(p)) {
        parts
    } else {
        vec![]
    }
}

/// Two to five capitalised words, allowing post-nominals such as "HMI", "(AI)" and "OBE".
fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            let w = w.trim_matches(|c| c == '(' || c == ')');
            w.starts_with(|c: char| c.is_uppercase())
                && w.chars().all(|c| c.is_alphabetic() || "'’-".contains(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspectors_named_in_a_sentence() {
        let flat = "This letter summarises the findings. The inspectors were Nigel Parkes HMI and \
                    Kate Malleson HMI. Inspectors looked at evidence.";
        assert_eq!(find(flat, &[]), ["Nigel Parkes HMI", "Kate Malleson HMI"]);
    }

    #[test]
    fn her_majestys_inspectors_get_their_title() {
        let flat = "on 20 and 21 July 2021. Her Majesty's Inspectors for this visit were Victoria \
                    Horsefield and Matt Reed. Inspectors looked at the front door.";
        assert_eq!(
            find(flat, &[]),
            ["Victoria Horsefield HMI", "Matt Reed HMI"]
        );
    }

    #[test]
    fn sentences_that_do_not_list_names_give_nothing() {
        let flat = "The inspectors were on site and held discussions. Inspectors were told that.";
        assert!(find(flat, &[]).is_empty());
    }

    #[test]
    fn inspection_team_list() {
        let paragraphs = [
            "Lead inspector: Tracey Metcalfe   ".to_string(),
            "Deputy lead inspector: Sarah Urding".to_string(),
            "Team inspectors: Brendan Parkinson, Ty Yousaf (AI), Dick O’Brien, Margaret \nFarrow and Ian Young".to_string(),
            "Quality assurance manager: Paul Armitage".to_string(),
        ];
        assert_eq!(
            find("", &paragraphs),
            [
                "Tracey Metcalfe (lead inspector)",
                "Sarah Urding (deputy lead inspector)",
                "Brendan Parkinson",
                "Ty Yousaf (AI)",
                "Dick O’Brien",
                "Margaret Farrow",
                "Ian Young",
            ]
        );
    }
}
