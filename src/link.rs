//! Link: cross-references between documents. Embedded documents and their covering reports,
//! quoted recommendations and their sources, and the same concern raised again later (found by
//! shared themes plus text similarity); links people state in front matter win over all of these.

pub mod similarity;
mod terms;

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Link, Relation, Report, Site, Target};
use crate::site::cache::{Entries, Previous};

/// Find the site's cross-links, stored both ways. Each authority's links found by similarity are
/// taken from `previous` while the keys of its reports (`keys`, by report) are unchanged; returns
/// the entries for the next cache too.
/// `stated` are the links people wrote in front matter, checked (`stated_links`).
pub fn link<'p>(
    mut site: Site,
    keys: &[u64],
    previous: &'p Previous,
    stated: Vec<StatedLink>,
) -> (Site, Entries<'p>) {
    let mut links: BTreeSet<Link> = BTreeSet::new();
    structural_links(&site.reports, &mut links);
    let (found, entries) = similarity::find_reusing(&site.reports, keys, previous);
    for link in found {
        add_both_ways(&mut links, link);
    }
    for stated in stated {
        if stated.remove {
            links.remove(&inverse(&stated.link));
            links.remove(&stated.link);
        } else {
            add_both_ways(&mut links, stated.link);
        }
    }
    site.links = links.into_iter().collect();
    (site, entries)
}

/// A link written in front matter: to add, or to take away where it was found automatically.
pub struct StatedLink {
    link: Link,
    remove: bool,
}

/// Links the documents state themselves: appendices and quoted recommendations.
fn structural_links(reports: &[Report], links: &mut BTreeSet<Link>) {
    let slugs: BTreeSet<&str> = reports.iter().map(|r| r.slug()).collect();
    for report in reports {
        for inner in &report.meta.contains {
            if slugs.contains(inner.as_str()) {
                add_both_ways(
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

fn add_both_ways(links: &mut BTreeSet<Link>, link: Link) {
    links.insert(inverse(&link));
    links.insert(link);
}

fn has_anchor(report: &Report, anchor: &str) -> bool {
    report.paragraphs().any(|p| p.anchor == anchor)
        || report.meta.recommendations.iter().any(|r| r.id == anchor)
}
