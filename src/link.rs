//! Link: cross-references between documents: embedded documents and their covering reports,
//! quoted recommendations and their sources, and links people state in front matter.

use std::collections::BTreeSet;

use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Link, Relation, Site, Target};

/// Find the site's cross-links; a person's links in front matter win.
pub fn link(mut site: Site) -> Result<Site, Diagnostics> {
    let mut links: BTreeSet<Link> = BTreeSet::new();
    let slugs: BTreeSet<String> = site.reports.iter().map(|r| r.meta.slug.clone()).collect();
    for report in &site.reports {
        for inner in &report.meta.contains {
            if slugs.contains(inner) {
                add_both_ways(
                    &mut links,
                    whole(report.slug()),
                    whole(inner),
                    Relation::Embeds,
                );
            }
        }
        for rec in &report.meta.recommendations {
            if let Some(q) = &rec.quoted_from
                && let Some(src) = &q.report
                && slugs.contains(src)
            {
                links.insert(Link {
                    from: Target {
                        report: report.slug().to_string(),
                        anchor: Some(rec.id.clone()),
                    },
                    to: whole(src),
                    relation: Relation::Quoted,
                });
            }
        }
    }
    let mut errors = Vec::new();
    for report in &site.reports {
        for manual in &report.meta.links {
            let (to_slug, to_anchor) = match manual.to.split_once('#') {
                Some((s, a)) => (s.to_string(), Some(a.to_string())),
                None => (manual.to.clone(), None),
            };
            let Some(target) = site.reports.iter().find(|r| r.meta.slug == to_slug) else {
                errors.push(Diagnostic::new(
                    &report.path,
                    0,
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
                    0,
                    format!(
                        "links: \"{}\" has no paragraph or recommendation #{a}",
                        to_slug
                    ),
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
            if manual.remove {
                links.remove(&link);
            } else {
                links.insert(link);
            }
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics::sorted(errors));
    }
    site.links = links.into_iter().collect();
    Ok(site)
}

fn whole(slug: &str) -> Target {
    Target {
        report: slug.to_string(),
        anchor: None,
    }
}

fn add_both_ways(links: &mut BTreeSet<Link>, a: Target, b: Target, relation: Relation) {
    let back = match relation {
        Relation::Embeds => Relation::EmbeddedIn,
        other => other,
    };
    links.insert(Link {
        from: b.clone(),
        to: a.clone(),
        relation: back,
    });
    links.insert(Link {
        from: a,
        to: b,
        relation,
    });
}

fn has_anchor(report: &crate::model::Report, anchor: &str) -> bool {
    report.paragraphs().any(|p| p.anchor == anchor)
        || report.meta.recommendations.iter().any(|r| r.id == anchor)
}
