//! Link: cross-references between documents. Embedded documents and their covering reports,
//! quoted recommendations and their sources, and the same concern raised again later (found by
//! shared themes plus text similarity); links people state in front matter win over all of these.

pub mod similarity;
mod terms;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Link, Relation, Report, Target};
use crate::site::cache::{Entries, Previous};

/// Find the cross-links between `reports`, stored both ways, in order. Each authority's links
/// found by similarity are taken from `previous` while the keys of its reports (`keys`, by
/// report) are unchanged; returns the entries for the next cache too.
/// `stated` are the links people wrote in front matter, checked (`stated_links`).
pub fn link<'p>(
    reports: &[Report],
    keys: &[u64],
    previous: &'p Previous,
    stated: Vec<StatedLink>,
) -> (Vec<Link>, Entries<'p>) {
    // Gathered in a list, then sorted and made unique once: inserting each of tens of
    // thousands of links into a tree set one by one was most of a rebuild's linking, on one core.
    let mut links: Vec<Link> = Vec::new();
    structural_links(reports, &mut links);
    let (found, entries) = similarity::find_reusing(reports, keys, previous);
    links.reserve(2 * found.len());
    for link in found {
        push_both_ways(&mut links, link);
    }
    links.par_sort_unstable();
    links.dedup();
    // The stated links are few, and applied in their order, each into the sorted list.
    for stated in stated {
        let both = [inverse(&stated.link), stated.link];
        for link in both {
            match (links.binary_search(&link), stated.remove) {
                (Ok(at), true) => {
                    links.remove(at);
                }
                (Err(at), false) => links.insert(at, link),
                _ => {}
            }
        }
    }
    (links, entries)
}

/// A link written in front matter: to add, or to take away where it was found automatically.
pub struct StatedLink {
    link: Link,
    remove: bool,
}

/// Links the documents state themselves: appendices and quoted recommendations.
fn structural_links(reports: &[Report], links: &mut Vec<Link>) {
    let slugs: BTreeSet<&str> = reports.iter().map(|r| r.slug()).collect();
    for report in reports {
        for inner in &report.meta.contains {
            if slugs.contains(inner.as_str()) {
                push_both_ways(
                    links,
                    Link {
                        from: whole(report.slug()),
                        to: whole(inner),
                        relation: Relation::Embeds,
                    },
                );
            }
        }
    }
}

/// Check the `links:` people wrote in front matter. Cheap, so a build does it before the costly
/// stages and a mistyped slug is reported at once.
pub fn stated_links(reports: &[Report]) -> Result<Vec<StatedLink>, Diagnostics> {
    let by_slug: BTreeMap<&str, &Report> = reports.iter().map(|r| (r.slug(), r)).collect();
    let mut errors = Vec::new();
    let mut stated = Vec::new();
    for report in reports {
        for (i, manual) in report.meta.links.iter().enumerate() {
            let line = report.link_lines.get(i).copied().unwrap_or(0);
            let (to_slug, to_anchor) = match manual.to.split_once('#') {
                Some((s, a)) => (s.to_string(), Some(a.to_string())),
                None => (manual.to.clone(), None),
            };
            let Some(target) = by_slug.get(to_slug.as_str()) else {
                errors.push(Diagnostic::new(
                    &report.path,
                    line,
                    format!(
                        "links: no document has the slug \"{to_slug}\"; use the slug from another page's front matter"
                    ),
                ));
                continue;
            };
            if let Some(a) = &to_anchor
                && !has_anchor(target, a)
            {
                errors.push(Diagnostic::new(
                    &report.path,
                    line,
                    format!(
                        "links: \"{to_slug}\" has no paragraph or recommendation #{a}; check the anchor on that page"
                    ),
                ));
                continue;
            }
            if let Some(a) = &manual.from
                && !has_anchor(report, a)
            {
                errors.push(Diagnostic::new(
                    &report.path,
                    line,
                    format!("links: this page has no paragraph or recommendation #{a}"),
                ));
                continue;
            }
            let link = Link {
                from: Target {
                    report: report.slug().to_string(),
                    anchor: manual.from.clone(),
                },
                to: Target {
                    report: to_slug,
                    anchor: to_anchor,
                },
                relation: manual.relation,
            };
            stated.push(StatedLink {
                link,
                remove: manual.remove,
            });
        }
    }
    if errors.is_empty() {
        Ok(stated)
    } else {
        Err(Diagnostics::sorted(errors))
    }
}

fn whole(slug: &str) -> Target {
    Target {
        report: slug.to_string(),
        anchor: None,
    }
}

fn inverse(link: &Link) -> Link {
    Link {
        from: link.to.clone(),
        to: link.from.clone(),
        relation: link.relation.inverse(),
    }
}

fn push_both_ways(links: &mut Vec<Link>, link: Link) {
    links.push(inverse(&link));
    links.push(link);
}

fn has_anchor(report: &Report, anchor: &str) -> bool {
    report.paragraphs().any(|p| p.anchor == anchor)
        || report.meta.recommendations.iter().any(|r| r.id == anchor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Site;
    use crate::site::cache::Previous;

    fn fixture() -> Site {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-basic");
        let config = crate::config::Config::load(&root, None).unwrap_or_else(|e| panic!("{e}"));
        crate::load::load(&config).unwrap_or_else(|e| panic!("{e}"))
    }

    fn linked(site: Site, stated: Vec<StatedLink>) -> Vec<Link> {
        let keys = vec![0; site.reports.len()];
        link(&site.reports, &keys, &Previous::default(), stated).0
    }

    /// Links come out sorted, each once, stored both ways; a stated removal takes a found link
    /// away both ways, and a stated link is added both ways.
    #[test]
    fn stated_links_add_and_remove_both_ways_in_a_sorted_unique_list() {
        let site = fixture();
        let stated = stated_links(&site.reports).unwrap_or_else(|e| panic!("{e}"));
        let found = linked(site.clone(), stated);
        assert!(found.windows(2).all(|w| w[0] < w[1]), "{found:?}");
        assert!(found.iter().all(|l| found.contains(&inverse(l))));
        let Some(gone) = found
            .iter()
            .find(|l| l.relation == Relation::RaisedAgain)
            .cloned()
        else {
            panic!("the fixture has no link found by similarity: {found:?}")
        };
        let added = Link {
            from: whole("2018-03-testshire-council-report"),
            to: whole("2015-03-testshire-ofsted-inspection"),
            relation: Relation::Answers,
        };
        let mut stated = stated_links(&site.reports).unwrap_or_else(|e| panic!("{e}"));
        stated.push(StatedLink {
            link: gone.clone(),
            remove: true,
        });
        stated.push(StatedLink {
            link: added.clone(),
            remove: false,
        });
        let changed = linked(site, stated);
        assert!(changed.windows(2).all(|w| w[0] < w[1]), "{changed:?}");
        assert!(!changed.contains(&gone) && !changed.contains(&inverse(&gone)));
        assert!(changed.contains(&added) && changed.contains(&inverse(&added)));
        let mut expected: Vec<Link> = found
            .into_iter()
            .filter(|l| *l != gone && *l != inverse(&gone))
            .chain([inverse(&added), added])
            .collect();
        expected.sort();
        expected.dedup();
        assert_eq!(changed, expected);
    }
}
