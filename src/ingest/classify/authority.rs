//! The local authority a document is about, from how the text names the council or its services.

use std::collections::HashMap;

/// Kinds of council, as they follow the place name ("Leeds City Council").
const COUNCIL_TYPES: [&str; 5] = [
    "Metropolitan Borough Council",
    "City Council",
    "County Council",
    "Borough Council",
    "District Council",
];

/// Capitalised words that start sentences or name things other than places.
const NOT_PLACE: [&str; 16] = [
    "The",
    "This",
    "That",
    "A",
    "An",
    "In",
    "Of",
    "For",
    "By",
    "With",
    "To",
    "At",
    "And",
    "Our",
    "Currently",
    "Every",
];

/// The authority's formal name: the most frequent "<Place> City/County/… Council"; failing that,
/// the place whose children's services the text names ("Leeds Children's Services"), with the
/// council type the text's own word for its area suggests ("the city" → City Council).
pub fn find(flat: &str) -> Option<String> {
    most_frequent(typed_councils(flat)).or_else(|| {
        let place = most_frequent(places_with_services(flat))?;
        Some(format!("{place} {}", council_type_from_area_word(flat)))
    })
}

fn most_frequent(names: Vec<String>) -> Option<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, n) in names.iter().enumerate() {
        counts.entry(n).or_insert((0, i)).0 += 1;
    }
    // Most mentions first; the earliest mention breaks a tie.
    counts
        .into_iter()
        .max_by_key(|(_, (count, first))| (*count, std::cmp::Reverse(*first)))
        .map(|(n, _)| n.to_string())
}

fn typed_councils(flat: &str) -> Vec<String> {
    let mut out = Vec::new();
    for council in COUNCIL_TYPES {
        for (at, _) in flat.match_indices(council) {
            // "Metropolitan Borough Council" also contains "Borough Council".
            if flat[..at].ends_with("Metropolitan ") {
                continue;
            }
            if let Some(place) = place_before(&flat[..at]) {
                out.push((at, format!("{place} {council}")));
            }
        }
    }
    out.sort();
    out.into_iter().map(|(_, n)| n).collect()
}

/// Up to three capitalised words just before `end` ("North Yorkshire"), allowing "and"/"upon"
/// inside a name ("Brighton and Hove"), without sentence-starting words.
fn place_before(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().rev().take(4).collect();
    let mut place: Vec<&str> = Vec::new();
    for word in words {
        // "(Leeds City Council, …)": an opening bracket or quote starts the name.
        let w = word.trim_start_matches(['(', '\'', '"', '‘', '“']);
        let capitalised =
            w.starts_with(|c: char| c.is_uppercase()) && w.chars().all(char::is_alphabetic);
        let joiner = matches!(w, "and" | "upon" | "of") && !place.is_empty();
        if !(capitalised || joiner) {
            break;
        }
        place.push(w);
        if w.len() != word.len() {
            break;
        }
    }
    while place.last().is_some_and(|w| {
        NOT_PLACE.contains(w) || w.ends_with("ly") || w.chars().all(char::is_lowercase)
    }) {
        place.pop();
    }
    place.reverse();
    (!place.is_empty() && !place.iter().all(|w| NOT_PLACE.contains(w))).then(|| place.join(" "))
}

/// "Leeds Children's Services", "Leeds children's services" → "Leeds".
fn places_with_services(flat: &str) -> Vec<String> {
    flat.to_ascii_lowercase()
        .match_indices(" children's services")
        .filter_map(|(at, _)| place_before(&flat[..at]))
        .filter(|p| {
            !p.split(' ')
                .any(|w| matches!(w, "Ofsted" | "Local" | "Director"))
        })
        .collect()
}

/// Councils call their area "the city", "the county" or "the borough"; the most used word says
/// which kind of council it is.
fn council_type_from_area_word(flat: &str) -> &'static str {
    let lower = flat.to_ascii_lowercase();
    let count = |w: &str| lower.matches(w).count();
    let options = [
        (count("the city"), "City Council"),
        (count("the county"), "County Council"),
        (count("the borough"), "Borough Council"),
    ];
    options
        .iter()
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, _)| *n)
        .map_or("Council", |(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_council_name_wins() {
        assert_eq!(
            find("Focused visit to Leeds City Council children's services. Best Council Plan."),
            Some("Leeds City Council".to_string())
        );
        assert_eq!(
            find("Currently Leeds City Council funds it (Leeds City Council, the NHS)."),
            Some("Leeds City Council".to_string())
        );
        assert_eq!(
            find(
                "in North Yorkshire County Council and Brighton and Hove City Council, North Yorkshire County Council"
            ),
            Some("North Yorkshire County Council".to_string())
        );
    }

    #[test]
    fn derived_from_childrens_services_and_the_area_word() {
        assert_eq!(
            find(
                "Focused visit to Kirklees children's services. Across the borough, the borough's schools."
            ),
            Some("Kirklees Borough Council".to_string())
        );
        assert_eq!(
            find(
                "Leeds Children's Services were inspected. Leeds is the first city; the city grows."
            ),
            Some("Leeds City Council".to_string())
        );
        assert_eq!(
            find("Rutland children's services improved."),
            Some("Rutland Council".to_string())
        );
    }

    #[test]
    fn nothing_when_no_place_is_named() {
        assert_eq!(
            find("The local authority's children's services are good."),
            None
        );
        assert_eq!(find("Best Council Plan"), None);
    }
}
