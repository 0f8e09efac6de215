//! Render: the linked model → a static site in `public/`, written to a temporary folder and swapped
//! in only when the whole build succeeded.
//!
//! The recipe, in the order `render` runs it: home, documents, reports, themes, recommendations,
//! hand-written pages, search, 404, then feeds, open data and static files.

pub mod assets;
pub mod body;
pub mod data;
pub mod feeds;
pub mod highlight;
pub mod incremental;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod paths;
pub mod shown;
pub mod splice;
pub mod templates;
pub mod tracker;
pub mod view;
pub mod words;

use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

use crate::config::Config;
use crate::error::Diagnostic;
use rayon::prelude::*;

use crate::model::{Report, Site};
use paths::Location;
use view::Lookup;

/// Site-wide values every template sees.
#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    /// Hand-written pages, for the footer.
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    slug: String,
    title: String,
}

/// What a page says about itself for `<head>`: title, description and sharing tags.
#[derive(Serialize, Default)]
struct Meta {
    title: String,
    description: String,
    /// Open Graph type, for pages worth sharing on their own.
    og_type: Option<&'static str>,
}

/// The renderer's state for one build: templates, the staging folder and the pages written so far.
struct Renderer<'a> {
    tera: tera::Tera,
    staging: &'a output::Staging,
    config: &'a Config,
    site_ctx: SiteContext<'a>,
    /// Output paths of pages for people, for the sitemap, in the order the recipe makes them.
    written: Mutex<Vec<String>>,
    /// What the previous build wrote, for keeping pages whose inputs did not change.
    cache: incremental::PageCache,
}

impl Renderer<'_> {
    /// Render `template` for `at`, with the site values, the root prefix, canonical URL and `meta`.
    /// Takes `&self` so pages can be rendered in parallel; `store` writes them.
    fn html(
        &self,
        template: &str,
        at: &Location,
        meta: &Meta,
        fill: impl FnOnce(&mut tera::Context, &str),
    ) -> Result<Vec<u8>, Diagnostic> {
        let root = at.root();
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site_ctx);
        ctx.insert("root", &root);
        ctx.insert("canonical", &self.canonical(at));
        ctx.insert("meta", meta);
        ctx.insert("current", &at.path);
        fill(&mut ctx, &root);
        templates::render(&self.tera, template, &ctx)
    }

    /// The page's absolute address, or "" when `base_url` is relative and there is none to give.
    fn canonical(&self, at: &Location) -> String {
        if self.config.base_url.contains("://") {
            at.url(&self.config.base_url)
        } else {
            String::new()
        }
    }

    fn store(&self, at: &Location, html: &[u8]) -> Result<(), Diagnostic> {
        self.staging.write_bytes(&at.path, html)?;
        self.note(at.path.clone());
        Ok(())
    }

    /// Add `path` to the sitemap's list.
    fn note(&self, path: String) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path);
    }

    /// Render and write one page.
    fn page(
        &self,
        template: &str,
        at: &Location,
        meta: &Meta,
        fill: impl FnOnce(&mut tera::Context, &str),
    ) -> Result<(), Diagnostic> {
        let html = self.html(template, at, meta, fill)?;
        self.store(at, &html)
    }

    /// Render and write one page from a parallel loop; returns its path for `record`. A page
    /// whose inputs have the `fingerprint` the previous build recorded for it is kept as it is.
    /// `meta` is made only for a page made again: in a rebuild nearly all are kept.
    fn page_in_parallel(
        &self,
        template: &str,
        at: Location,
        meta: impl FnOnce() -> Meta,
        fingerprint: u64,
        fill: impl FnOnce(&mut tera::Context, &str),
    ) -> Result<String, Diagnostic> {
        if self.cache.unchanged(&at.path, fingerprint) {
            self.staging.keep(&at.path);
        } else {
            let html = self.html(template, &at, &meta(), fill)?;
            self.staging.write_bytes(&at.path, &html)?;
        }
        self.cache.record(&at.path, fingerprint);
        Ok(at.path)
    }

    /// Note pages written in parallel, in their given order so the sitemap stays stable. Pages
    /// are written as they are rendered, so a large archive is never held in memory whole.
    fn record(&self, paths: Vec<Result<String, Diagnostic>>) -> Result<(), Diagnostic> {
        for path in paths {
            self.note(path?);
        }
        Ok(())
    }
}

/// The staging folder for a build of `config.output_dir`, for the search index and then the pages
/// to be written into before `render` commits them.
pub fn stage(config: &Config) -> Result<output::Staging, Diagnostic> {
    output::Staging::new(&config.output_dir, is_output_dir(&config.output_dir))
}

/// What rendering leaves for the commit: the record of pages for the next build.
pub struct Rendered {
    cache: incremental::PageCache,
}

/// Move what was staged into `config.output_dir`, atomically (see `output::Staging::commit`),
/// and keep the record of its pages. On success, says how many files changed from the previous
/// build.
pub fn commit(staging: output::Staging, rendered: Rendered) -> Result<output::Written, Diagnostic> {
    let written = staging.commit()?;
    crate::trace::point("render: output committed");
    rendered.cache.save();
    Ok(written)
}

/// Render every page of `site` into `staging`, which the search index is written into before or
/// at the same time; `keys` are the load stage's keys of the reports, by report. Nothing reaches
/// the output folder until `commit`.
pub fn render_into(
    site: &Site,
    keys: &[u64],
    staging: &output::Staging,
    config: &Config,
) -> Result<Rendered, Diagnostic> {
    let hand_pages = pages::load(&config.content_dir().join("pages"), &config.root)?;
    let updating = staging.updating();
    let page_links: Vec<PageLink> = hand_pages
        .iter()
        .map(|p| PageLink {
            slug: p.slug.clone(),
            title: p.title.clone(),
        })
        .collect();
    let lookup = Lookup::new(site, config.theme_page_size);
    crate::trace::point("render: lookup made");
    let prints = incremental::Fingerprints::new(
        &lookup,
        keys,
        incremental::global(
            &config.settings_text(),
            templates::fingerprint(&config.templates_dir()),
            &format!("{:?}", site.themes),
            &format!("{hand_pages:?}"),
        ),
    );
    crate::trace::point("render: fingerprints made");
    let r = Renderer {
        tera: templates::load(&config.templates_dir())?,
        staging,
        config,
        site_ctx: SiteContext {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: &config.base_url,
            pages: page_links,
        },
        written: Mutex::new(Vec::new()),
        cache: incremental::PageCache::open(&config.output_dir, updating),
    };
    // The large single files (tracker, open data, feed) are made one after another beside the
    // many pages, both inside the thread pool: made from a thread of their own, their parallel
    // parts waited behind every page and ran at the end on little more than one core (3 s at
    // 10,000 reports). In the pool, each side takes work from the other when it runs out.
    crate::trace::point("render: set up");
    let (single_files, pages) = rayon::join(
        || {
            render_tracker(&r, &lookup, &prints)?;
            crate::trace::point("render: tracker made");
            let made = write_open_data(&r, &lookup, &prints, config);
            crate::trace::point("render: single files made");
            made
        },
        || {
            let made = render_pages(&r, &lookup, &prints, &hand_pages);
            crate::trace::point("render: pages made");
            made
        },
    );
    pages.and(single_files)?;
    r.staging.write(
        "sitemap.xml",
        &feeds::sitemap(
            &r.written.lock().unwrap_or_else(|e| e.into_inner()),
            &config.base_url,
        ),
    )?;
    assets::write(&config.static_dir(), r.staging)?;
    crate::trace::point("render: sitemap and assets");
    Ok(Rendered { cache: r.cache })
}

/// The pages for people, in the recipe's order (the sitemap lists them so).
fn render_pages(
    r: &Renderer,
    lookup: &Lookup,
    prints: &incremental::Fingerprints,
    hand_pages: &[pages::HandPage],
) -> Result<(), Diagnostic> {
    render_home(r, lookup, prints)?;
    render_authorities(r, lookup, prints)?;
    crate::trace::point("render: home and authority pages made");
    render_reports(r, lookup, prints)?;
    crate::trace::point("render: report pages made");
    render_themes(r, lookup, prints)?;
    crate::trace::point("render: theme pages made");
    // The tracker itself is made beside these pages; its place in the sitemap is here.
    r.note(TRACKER.to_string());
    render_recommendations(r, lookup, prints)?;
    crate::trace::point("render: recommendation pages made");
    for page in hand_pages {
        render_hand_page(r, page)?;
    }
    render_search(r, lookup)?;
    render_not_found(r)
}

/// How many of the newest documents the home page lists; the rest are a link away (all
/// documents, by authority), so the home page stays small however large the archive grows.
const HOME_DOCUMENTS: usize = 20;

fn render_home(
    r: &Renderer,
    lookup: &Lookup,
    prints: &incremental::Fingerprints,
) -> Result<(), Diagnostic> {
    let site = lookup.site;
    let meta = Meta {
        title: r.config.title.clone(),
        description: r.config.description.clone(),
        og_type: Some("website"),
    };
    let home = paths::home();
    r.note(
        r.page_unless_shown_before(prints, "index.html", &home, &meta, |ctx, root| {
            let mut newest = documents(site, root);
            newest.truncate(HOME_DOCUMENTS);
            ctx.insert("more_documents", &(site.reports.len() > newest.len()));
            ctx.insert("documents", &newest);
            ctx.insert("document_count", &site.reports.len());
            ctx.insert("themes", &view::theme_summaries(lookup, root));
        })?,
    );
    let meta = Meta {
        title: format!("All documents – {}", r.config.title),
        description: "Every document in the archive, newest first.".into(),
        og_type: None,
    };
    let at = Location::new("reports/index.html");
    r.note(
        r.page_unless_shown_before(prints, "reports.html", &at, &meta, |ctx, root| {
            ctx.insert("documents", &documents(site, root))
        })?,
    );
    Ok(())
}

fn documents(site: &Site, root: &str) -> Vec<view::DocRef> {
    site.reports
        .iter()
        .map(|rep| view::DocRef::new(rep, root))
        .collect()
}

/// The list of authorities and a page per authority with every document from it, so a
/// report page names only its nearest neighbours however many documents its authority has.
fn render_authorities(
    r: &Renderer,
    lookup: &Lookup,
    prints: &incremental::Fingerprints,
) -> Result<(), Diagnostic> {
    let meta = Meta {
        title: format!("Authorities – {}", r.config.title),
        description: "Every council and partnership in the archive, with its documents.".into(),
        og_type: None,
    };
    let at = Location::new("authorities/index.html");
    r.note(
        r.page_unless_shown_before(prints, "authorities.html", &at, &meta, |ctx, root| {
            ctx.insert("authorities", &view::authority_summaries(lookup, root))
        })?,
    );
    let all: Vec<(&str, &[&Report])> = lookup.authorities().collect();
    let renderer: &Renderer = r;
    let pages = all
        .par_iter()
        .map(|&(slug, reports)| {
            let name = reports.last().map_or("", |r| r.meta.authority.as_str());
            let meta = || Meta {
                title: format!("{name} – {}", renderer.config.title),
                description: format!("Every document from {name} in the archive, newest first."),
                og_type: Some("website"),
            };
            // The page lists its documents and their recommendations with their cross-links,
            // all of which the reports' own fingerprints cover.
            let fingerprint =
                prints.combine(("authority", slug, prints.reports(reports.iter().copied())));
            let at = paths::authority(slug);
            renderer.page_in_parallel("authority.html", at, meta, fingerprint, |ctx, root| {
                ctx.insert("authority", &view::authority(reports, root));
                let newest_first: Vec<&Report> = reports.iter().rev().copied().collect();
                ctx.insert("rows", &tracker::rows(lookup, &newest_first, root));
                ctx.insert("themes", &view::theme_summaries(lookup, root));
            })
        })
        .collect();
    r.record(pages)
}

fn render_reports(
    r: &Renderer,
    lookup: &Lookup,
    prints: &incremental::Fingerprints,
) -> Result<(), Diagnostic> {
    let renderer: &Renderer = r;
    let pages = lookup
        .site
        .reports
        .par_iter()
        .map(|report| {
            let at = paths::report(report.slug());
            let meta = || Meta {
                title: format!("{} – {}", report.meta.title, renderer.config.title),
                description: format!(
                    "{}, {}, {}.",
                    report.meta.kind.label(),
                    report.meta.authority,
                    words::date(&report.meta.date)
                ),
                og_type: Some("article"),
            };
            let fingerprint = prints.report(report.slug());
            renderer.page_in_parallel("report.html", at, meta, fingerprint, |ctx, root| {
                let canonical = renderer.canonical(&paths::report(report.slug()));
                ctx.insert("report", &view::report(lookup, report, root, &canonical));
            })
        })
        .collect();
    r.record(pages)
}

fn render_themes(
    r: &Renderer,
    lookup: &Lookup,
    prints: &incremental::Fingerprints,
) -> Result<(), Diagnostic> {
    let meta = Meta {
        title: format!("Themes – {}", r.config.title),
        description: "The topics findings are grouped by, with how many findings each has.".into(),
        og_type: None,
    };
    let at = Location::new("themes/index.html");
    r.note(
        r.page_unless_shown_before(prints, "themes.html", &at, &meta, |ctx, root| {
            ctx.insert("themes", &view::theme_summaries(lookup, root))
        })?,
    );
    let all = &lookup.theme_docs;
    // Every page of a theme shows the years of all its pages, so their outline is hashed once
    // per theme rather than once per page.
    let outlines: Vec<u64> = all
        .par_iter()
        .map(|docs| theme_outline(prints, docs))
        .collect();
    let pages: Vec<(&view::ThemeDocs, u64, usize)> = all
        .iter()
        .zip(outlines)
        .flat_map(|(docs, outline)| (1..=docs.pages.len()).map(move |n| (docs, outline, n)))
        .collect();
    let renderer: &Renderer = r;
    let written = pages
        .par_iter()
        .map(|&(docs, outline, number)| {
            let theme = docs.theme;
            let of = docs.pages.len();
            let meta = || {
                let title = if of > 1 {
                    format!("{}, page {number} of {of}", theme.title)
                } else {
                    theme.title.clone()
                };
                Meta {
                    title: format!("{title} – {}", renderer.config.title),
                    description: markdown::plain(&theme.description),
                    og_type: Some("article"),
                }
            };
            let at = paths::theme_page(&theme.slug, number);
            let fingerprint = theme_fingerprint(prints, docs, outline, number);
            renderer.page_in_parallel("theme.html", at, meta, fingerprint, |ctx, root| {
                ctx.insert("theme", &view::theme(lookup, docs, number, root));
            })
        })
        .collect();
    r.record(written)
}

/// What every page of a theme shows of the others: which documents each holds and their years.
fn theme_outline(prints: &incremental::Fingerprints, docs: &view::ThemeDocs) -> u64 {
    let outline: Vec<Vec<(&str, &str, usize)>> = docs
        .pages
        .iter()
        .map(|p| {
            p.iter()
                .map(|d| (d.report.slug(), d.report.meta.date.as_str(), d.items))
                .collect()
        })
        .collect();
    prints.combine(outline)
}

/// A theme page shows its own documents in full and every page's years in its navigation.
fn theme_fingerprint(
    prints: &incremental::Fingerprints,
    docs: &view::ThemeDocs,
    outline: u64,
    number: usize,
) -> u64 {
    let page = docs.pages.get(number - 1).map_or(&[][..], Vec::as_slice);
    let shown = prints.reports(page.iter().map(|d| d.report));
    prints.combine((&docs.theme.slug, number, outline, shown))
}

/// Where the recommendations tracker is written.
const TRACKER: &str = "recommendations/index.html";

/// The recommendations tracker: the newest documents' recommendations (all of them in a small
/// archive) in one table. The sitemap notes it in the recipe's order (see `render_pages`).
fn render_tracker(
    r: &Renderer,
    lookup: &Lookup,
    prints: &incremental::Fingerprints,
) -> Result<(), Diagnostic> {
    let site = lookup.site;
    let count: usize = site
        .reports
        .iter()
        .map(|r| r.meta.recommendations.len())
        .sum();
    let newest = tracker::newest(&site.reports, r.config.tracker_rows);
    // As on an authority's page, the rows show the newest documents' recommendations with their
    // cross-links, all of which those documents' own fingerprints cover, and the table's theme
    // filter only the themes' names, which the site-wide inputs cover. Fingerprinted from the
    // values shown instead, the rows were made in every rebuild only to be hashed: about a tenth
    // of the CPU time of a rebuild of 1,000 reports after one changed.
    let fingerprint = prints.combine(("tracker", count, prints.reports(newest.iter().copied())));
    let meta = || Meta {
        title: format!("Recommendations tracker – {}", r.config.title),
        description: "The recommendations in the archive, and what happened next.".into(),
        og_type: Some("website"),
    };
    r.page_in_parallel(
        "recommendations.html",
        Location::new(TRACKER),
        meta,
        fingerprint,
        |ctx, root| {
            let shown: usize = newest.iter().map(|r| r.meta.recommendations.len()).sum();
            ctx.insert("recommendation_count", &count);
            ctx.insert("shown_count", &shown);
            ctx.insert("rows", &tracker::rows(lookup, &newest, root));
            ctx.insert("themes", &view::theme_summaries(lookup, root));
        },
    )?;
    Ok(())
}

fn render_recommendations(
    r: &Renderer,
    lookup: &Lookup,
    prints: &incremental::Fingerprints,
) -> Result<(), Diagnostic> {
    let site = lookup.site;
    let renderer: &Renderer = r;
    let pages: Vec<Vec<Result<String, Diagnostic>>> = site
        .reports
        .par_iter()
        .filter(|rep| !rep.meta.recommendations.is_empty())
        .map(|report| recommendation_pages(renderer, lookup, report, prints.report(report.slug())))
        .collect();
    r.record(pages.into_iter().flatten().collect())
}

/// A report's recommendations page and one page per recommendation.
fn recommendation_pages(
    r: &Renderer,
    lookup: &Lookup,
    report: &Report,
    fingerprint: u64,
) -> Vec<Result<String, Diagnostic>> {
    let mut out = Vec::with_capacity(report.meta.recommendations.len() + 1);
    let meta = || Meta {
        title: format!(
            "Recommendations: {} – {}",
            report.meta.title, r.config.title
        ),
        description: format!(
            "The recommendations of the {} of {}.",
            report.meta.kind.label(),
            words::date(&report.meta.date)
        ),
        og_type: None,
    };
    let at = paths::report_recommendations(report.slug());
    out.push(r.page_in_parallel(
        "report-recommendations.html",
        at,
        meta,
        fingerprint,
        |ctx, root| {
            ctx.insert("doc", &view::DocRef::new(report, root));
            let groups =
                view::recommendation_groups(lookup, report, root, view::RECOMMENDATION_RELATED);
            ctx.insert("groups", &groups);
        },
    ));
    for rec in &report.meta.recommendations {
        let meta = || {
            let text = markdown::plain(&rec.text);
            Meta {
                title: words::share_title(report, &rec.id, &text),
                description: words::truncate(&text, 200),
                og_type: Some("article"),
            }
        };
        let at = paths::recommendation(report.slug(), &rec.id);
        out.push(
            r.page_in_parallel("recommendation.html", at, meta, fingerprint, |ctx, root| {
                let rec = view::recommendation(lookup, report, rec, root, usize::MAX);
                ctx.insert("rec", &rec);
            }),
        );
    }
    out
}

fn render_hand_page(r: &Renderer, page: &pages::HandPage) -> Result<(), Diagnostic> {
    let meta = Meta {
        title: format!("{} – {}", page.title, r.config.title),
        description: page.description.clone().unwrap_or_default(),
        og_type: Some("article"),
    };
    r.page("page.html", &paths::page(&page.slug), &meta, |ctx, _| {
        ctx.insert("page", page);
    })
}

fn render_search(r: &Renderer, lookup: &Lookup) -> Result<(), Diagnostic> {
    let site = lookup.site;
    let meta = Meta {
        title: format!("Search – {}", r.config.title),
        description: "Search the findings, or browse them by theme and by term.".into(),
        og_type: None,
    };
    r.page(
        "search.html",
        &Location::new("search/index.html"),
        &meta,
        |ctx, root| {
            ctx.insert("themes", &view::theme_summaries(lookup, root));
            ctx.insert("letters", &view::terms_a_to_z(site, root));
        },
    )
}

/// The 404 page is served from whatever address was missing, so its links cannot be relative:
/// they start from `base_url`.
fn render_not_found(r: &Renderer) -> Result<(), Diagnostic> {
    let meta = Meta {
        title: format!("Page not found – {}", r.config.title),
        description: String::new(),
        og_type: None,
    };
    let base = r.config.base_url.clone();
    let mut ctx = tera::Context::new();
    ctx.insert("site", &r.site_ctx);
    ctx.insert("root", &base);
    ctx.insert("canonical", &"");
    ctx.insert("meta", &meta);
    ctx.insert("current", &"404.html");
    let html = templates::render(&r.tera, "404.html", &ctx)?;
    r.staging.write_bytes("404.html", &html)
}

/// The feed, robots.txt and the open data files.
fn write_open_data(
    r: &Renderer,
    lookup: &Lookup,
    prints: &incremental::Fingerprints,
    config: &Config,
) -> Result<(), Diagnostic> {
    let site = lookup.site;
    r.staging.write("feed.xml", &feeds::atom(site, config))?;
    r.staging
        .write("robots.txt", &feeds::robots(&config.base_url))?;
    data::stage_findings_json(r.staging, &r.cache, prints, site, config)?;
    crate::trace::point("render: findings.json made");
    data::stage_recommendations_csv(r.staging, &r.cache, prints, lookup, config)
}

/// Whether `path` looks like a build output folder we may replace.
pub fn is_output_dir(path: &Path) -> bool {
    path.join("index.html").is_file()
}
