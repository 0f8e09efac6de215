//! What the templates see: the model turned into plain, Serialize view structs with every link
//! already made relative to the page and every piece of Markdown already rendered, so templates
//! stay simple.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

// Looked up for every link on every page, with short keys: a fast hash pays.
use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::markdown::{self, Footnotes};
use super::paths;
use super::words;
use crate::model::{Judgement, Link, Paragraph, Recommendation, Report, Site, Theme};

/// Indexes over the site that every view needs.
pub struct Lookup<'a> {
    pub site: &'a Site,
    /// Each report's place in `site.reports`, by slug.
    places: HashMap<&'a str, u32>,
    themes: BTreeMap<&'a str, &'a Theme>,
    /// Links by the report they start from, and by report and anchor: every paragraph asks for
    /// its links, so scanning all of them each time would grow with the square of the archive.
    links_from: HashMap<&'a str, Vec<LinkTo<'a>>>,
    links_at: HashMap<&'a str, HashMap<&'a str, Vec<LinkTo<'a>>>>,
    /// Each authority's reports by the slug of its page, oldest first.
    by_authority: BTreeMap<String, Vec<&'a Report>>,
    /// How each linked-to part of a document is named ("paragraph 25"), worked out once: the
    /// same part is named on its report, recommendation, theme and tracker pages. Each link
    /// holds where the names of its two ends are (`LinkTo`).
    names: Vec<String>,
    /// How each recommendation's paragraph is named beside it ("this point", "paragraph 4").
    rec_paragraphs: HashMap<(&'a str, &'a str), String>,
    /// How many paragraphs carry each theme, counted once for the several pages listing themes.
    theme_counts: BTreeMap<&'a str, usize>,
    /// Each theme's documents in pages, in the order of `site.themes`.
    pub theme_docs: Vec<ThemeDocs<'a>>,
    /// Each report's date in words and as a day number, by place in `site.reports`: a document
    /// is named and weighed by every link to it, on several pages each.
    dates: Vec<(String, i64)>,
}

/// A link, with the report it leads to when the archive holds it and the names of the parts at
/// its two ends: found once here rather than by slug each time a page weighs and names the link
/// (every link is weighed for several pages, and the lists grow with the documents an authority
/// has, so at 10,000 reports these lookups grew faster than the archive).
#[derive(Clone, Copy)]
pub struct LinkTo<'a> {
    pub link: &'a Link,
    pub report: Option<&'a Report>,
    /// `report`'s place in `site.reports` (0 when there is no `report`).
    place: u32,
    /// The names (in `Lookup::names`) of the parts the link leads from and to.
    from_part: Option<u32>,
    to_part: Option<u32>,
}

impl<'a> Lookup<'a> {
    /// `theme_page_size` is how many items a theme page holds (see `theme_docs`).
    pub fn new(site: &'a Site, theme_page_size: usize) -> Self {
        let places: HashMap<&str, u32> = (0..)
            .zip(&site.reports)
            .map(|(i, r)| (r.slug(), i))
            .collect();
        let (part_names, names) = part_names(site, &places);
        let name_of = |report: &str, anchor: &Option<String>| {
            let anchor = anchor.as_deref()?;
            part_names.get(&(report, anchor)).copied()
        };
        let mut links_from: HashMap<&str, Vec<LinkTo>> = HashMap::default();
        let mut links_at: HashMap<&str, HashMap<&str, Vec<LinkTo>>> = HashMap::default();
        for link in &site.links {
            let place = places.get(link.to.report.as_str()).copied();
            let to = LinkTo {
                link,
                report: place.map(|i| &site.reports[i as usize]),
                place: place.unwrap_or_default(),
                from_part: name_of(&link.from.report, &link.from.anchor),
                to_part: name_of(&link.to.report, &link.to.anchor),
            };
            links_from.entry(&link.from.report).or_default().push(to);
            if let Some(a) = &link.from.anchor {
                links_at
                    .entry(&link.from.report)
                    .or_default()
                    .entry(a)
                    .or_default()
                    .push(to);
            }
        }
        let mut by_authority: BTreeMap<String, Vec<&Report>> = BTreeMap::new();
        for r in &site.reports {
            by_authority
                .entry(paths::authority_slug(&r.meta.authority))
                .or_default()
                .push(r);
        }
        for list in by_authority.values_mut() {
            list.sort_by(|a, b| (&a.meta.date, a.slug()).cmp(&(&b.meta.date, b.slug())));
        }
        let dates = site
            .reports
            .iter()
            .map(|r| (words::date(&r.meta.date), day_number(&r.meta.date)))
            .collect();
        let theme_docs = theme_docs(site, theme_page_size);
        // The counts are the theme pages' totals: the archive's paragraphs are looked at once.
        let theme_counts = theme_docs
            .iter()
            .map(|d| (d.theme.slug.as_str(), d.finding_count))
            .collect();
        Lookup {
            dates,
            site,
            names,
            rec_paragraphs: rec_paragraph_names(site),
            theme_counts,
            theme_docs,
            places,
            themes: site.themes.iter().map(|t| (t.slug.as_str(), t)).collect(),
            links_from,
            links_at,
            by_authority,
        }
    }

    /// The name `name` (in `names`), else what part `anchor` of `report` is called in a link
    /// ("recommendation 3", "paragraph 25").
    fn named<'s>(&'s self, name: Option<u32>, report: &'s Report, anchor: &'s str) -> Cow<'s, str> {
        match name.and_then(|i| self.names.get(i as usize)) {
            Some(name) => Cow::Borrowed(name),
            None => Cow::Owned(words::anchor_name(report, anchor)),
        }
    }

    /// What the part `to` leads to is called, when it leads to part of a document.
    pub fn to_part_name<'s>(&'s self, to: &LinkTo<'s>) -> Option<Cow<'s, str>> {
        let (report, anchor) = (to.report?, to.link.to.anchor.as_deref()?);
        Some(self.named(to.to_part, report, anchor))
    }

    /// The previous and next document of the same authority, by date.
    pub fn neighbours(&self, report: &Report) -> (Option<&'a Report>, Option<&'a Report>) {
        let same = self
            .by_authority
            .get(&paths::authority_slug(&report.meta.authority))
            .map_or(&[][..], Vec::as_slice);
        let Some(i) = same.iter().position(|r| r.slug() == report.slug()) else {
            return (None, None);
        };
        (
            i.checked_sub(1).and_then(|j| same.get(j)).copied(),
            same.get(i + 1).copied(),
        )
    }

    /// Each authority's page slug and its reports, oldest first, in order of slug.
    pub fn authorities(&self) -> impl Iterator<Item = (&str, &[&'a Report])> {
        self.by_authority
            .iter()
            .map(|(slug, reports)| (slug.as_str(), reports.as_slice()))
    }

    /// The links from `slug`, or only from its `anchor`.
    pub fn links(&self, slug: &str, anchor: Option<&str>) -> &[LinkTo<'a>] {
        let found = match anchor {
            Some(a) => self.links_at.get(slug).and_then(|m| m.get(a)),
            None => self.links_from.get(slug),
        };
        found.map_or(&[], Vec::as_slice)
    }

    pub fn report(&self, slug: &str) -> Option<&'a Report> {
        let place = self.places.get(slug)?;
        self.site.reports.get(*place as usize)
    }

    /// The theme whose slug is `slug`, if the site defines one.
    pub fn theme(&self, slug: &str) -> Option<&'a Theme> {
        self.themes.get(slug).copied()
    }

    /// Tags for theme slugs, skipping any the site does not define.
    pub fn tags(&self, slugs: &[String], root: &str) -> Vec<TagView> {
        slugs
            .iter()
            .filter_map(|s| self.themes.get(s.as_str()))
            .map(|t| TagView::new(t, root))
            .collect()
    }
}

/// Names of every part of a document that a link or recommendation points at.
/// Returns where each is in the list of names, and the list.
fn part_names<'a>(
    site: &'a Site,
    places: &HashMap<&'a str, u32>,
) -> (HashMap<(&'a str, &'a str), u32>, Vec<String>) {
    // Every link names both its ends, so most parts are wanted many times: hash sets keep each
    // once, grouped by report so that each report's paragraphs are looked through once.
    let mut wanted: HashMap<&str, rustc_hash::FxHashSet<&str>> = HashMap::default();
    for link in &site.links {
        for end in [&link.from, &link.to] {
            if let Some(a) = &end.anchor {
                wanted.entry(&end.report).or_default().insert(a);
            }
        }
    }
    for r in &site.reports {
        for rec in &r.meta.recommendations {
            if let Some(p) = &rec.paragraph {
                wanted.entry(r.slug()).or_default().insert(p);
            }
        }
    }
    let wanted: Vec<(&str, rustc_hash::FxHashSet<&str>)> = wanted.into_iter().collect();
    // Each report's names go into a list of exactly their number, and the lists into a map
    // sized once: collecting in parallel straight into the map grew large lists by doubling,
    // and the fresh memory that took cost more than naming the parts.
    let named: Vec<Vec<((&str, &str), String)>> = wanted
        .into_par_iter()
        .filter_map(|(slug, anchors)| {
            let report = site.reports.get(*places.get(slug)? as usize)?;
            Some((slug, report, anchors))
        })
        .map(|(slug, report, mut anchors)| {
            let mut names = Vec::with_capacity(anchors.len());
            // Each wanted anchor is named at its first paragraph, as a link to a repeated anchor
            // leads there; a map of every paragraph was made for a few wanted ones before.
            for p in report.paragraphs() {
                if anchors.is_empty() {
                    break;
                }
                if let Some(anchor) = anchors.take(p.anchor.as_str()) {
                    names.push(((slug, anchor), words::part_name(report, anchor, || Some(p))));
                }
            }
            for anchor in anchors {
                names.push(((slug, anchor), words::part_name(report, anchor, || None)));
            }
            names
        })
        .collect();
    let count = named.iter().map(Vec::len).sum();
    let mut at = HashMap::with_capacity_and_hasher(count, rustc_hash::FxBuildHasher);
    let mut names = Vec::with_capacity(count);
    for (key, name) in named.into_iter().flatten() {
        at.insert(key, names.len() as u32);
        names.push(name);
    }
    (at, names)
}

fn rec_paragraph_names(site: &Site) -> HashMap<(&str, &str), String> {
    site.reports
        .par_iter()
        .flat_map_iter(|r| {
            let wanted: BTreeSet<&str> = r
                .meta
                .recommendations
                .iter()
                .filter_map(|rec| rec.paragraph.as_deref())
                .collect();
            r.paragraphs()
                .filter(move |p| wanted.contains(p.anchor.as_str()))
                .map(move |p| ((r.slug(), p.anchor.as_str()), words::paragraph_name(p)))
        })
        .collect()
}

/// A link to a theme page.
#[derive(Serialize, Clone)]
pub struct TagView {
    pub slug: String,
    pub short: String,
    pub title: String,
    pub href: String,
    /// Whether the short name leaves part of the title out, so a tag spells the title out for
    /// screen readers: "CSE (Child sexual exploitation)", but not "Adoption (Adoption)".
    pub shortened: bool,
}

impl TagView {
    pub fn new(theme: &Theme, root: &str) -> Self {
        TagView {
            slug: theme.slug.clone(),
            short: theme.short.clone(),
            title: theme.title.clone(),
            href: format!("{root}{}", paths::theme(&theme.slug).path),
            shortened: theme.short != theme.title,
        }
    }
}

/// A document as it is named in lists and links.
#[derive(Serialize, Clone)]
pub struct DocRef {
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub authority: String,
    pub date: String,
    pub date_iso: String,
    pub href: String,
    /// The page of every document from the same authority.
    pub authority_href: String,
}

impl DocRef {
    pub fn new(report: &Report, root: &str) -> Self {
        DocRef {
            slug: report.slug().to_string(),
            title: report.meta.title.clone(),
            kind: report.meta.kind.label().to_string(),
            authority: report.meta.authority.clone(),
            date: words::date(&report.meta.date),
            date_iso: report.meta.date.clone(),
            href: format!("{root}{}", paths::report(report.slug()).path),
            authority_href: format!(
                "{root}{}",
                paths::authority(&paths::authority_slug(&report.meta.authority)).path
            ),
        }
    }
}

#[derive(Serialize)]
pub struct FootnoteView {
    pub number: usize,
    pub html: String,
    /// Whether the text refers to it, so the back-link has somewhere to go.
    pub referenced: bool,
}

/// Where a quoted recommendation came from.
#[derive(Serialize)]
pub struct QuotedView {
    pub title: String,
    pub date: Option<String>,
    pub href: Option<String>,
}

/// A cross-link as seen from one page. It borrows what the site and `Lookup` already hold: a
/// large archive makes millions of these (each link is shown on several pages), and copying
/// their titles and names cost more than the rest of making them.
#[derive(Serialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RelatedView<'a> {
    /// What the other end is to this one ("Raised again later in").
    pub label: &'static str,
    pub title: &'a str,
    pub date: Cow<'a, str>,
    pub href: String,
    /// "recommendation 1" or "paragraph 25" when the link is to part of the document.
    pub part: Option<Cow<'a, str>>,
    /// The part of this document the link starts from, where it is not the whole document.
    pub from_part: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
pub struct RecView<'a> {
    pub id: String,
    pub number: String,
    pub group: Option<String>,
    pub html: String,
    pub text: String,
    pub themes: Vec<TagView>,
    pub theme_slugs: String,
    /// The anchor of the paragraph it sits in, for links within the report page.
    pub paragraph: Option<String>,
    pub paragraph_href: Option<String>,
    pub paragraph_label: Option<String>,
    pub page_href: String,
    pub in_report_href: String,
    pub quoted: Option<QuotedView>,
    /// What happened next: the cross-links nearest in date, and how many more there are.
    pub next: Vec<RelatedView<'a>>,
    pub next_more: usize,
    pub report: DocRef,
}

#[derive(Serialize)]
pub struct RecGroupView<'a> {
    pub group: Option<String>,
    pub items: Vec<RecView<'a>>,
}

#[derive(Serialize)]
pub struct ContentsEntry {
    pub anchor: String,
    pub heading: String,
    pub level: u8,
}

#[derive(Serialize)]
pub struct ReportView<'a> {
    pub doc: DocRef,
    pub date_inferred: Option<String>,
    pub inspection_dates: Option<String>,
    pub period: Option<String>,
    pub framework: Option<String>,
    pub judgements: Vec<Judgement>,
    pub inspectors: Vec<String>,
    pub source_file: String,
    pub sha256: String,
    pub source_url: Option<String>,
    pub contents: Vec<ContentsEntry>,
    pub recommendation_groups: Vec<RecGroupView<'a>>,
    pub recommendation_count: usize,
    /// The document's text, already HTML (see `body`).
    pub body: String,
    pub footnotes: Vec<FootnoteView>,
    pub related: Vec<RelatedView<'a>>,
    /// How many cross-links are not listed because others are nearer in date.
    pub related_more: usize,
    pub earlier: Option<DocRef>,
    pub later: Option<DocRef>,
}

/// The report page.
pub fn report<'a>(
    lookup: &'a Lookup,
    report: &'a Report,
    root: &str,
    canonical: &str,
) -> ReportView<'a> {
    let meta = &report.meta;
    let mut footnotes = Footnotes::new(&report.footnotes, "");
    let body = super::body::render(lookup, report, root, canonical, &mut footnotes);
    let (earlier, later) = neighbours(lookup, report, root);
    let (related, related_more) = nearest_related(lookup, report, None, REPORT_RELATED, root);
    ReportView {
        doc: DocRef::new(report, root),
        date_inferred: meta.date_inferred.clone(),
        inspection_dates: meta
            .inspection_dates
            .as_ref()
            .map(|d| words::date_range(&d.start, &d.end)),
        period: meta.period.clone(),
        framework: meta.framework.clone(),
        judgements: meta.judgements.clone(),
        inspectors: meta.inspectors.clone(),
        source_file: meta.source.file.clone(),
        sha256: meta.source.sha256.clone(),
        source_url: meta.source.url.clone(),
        contents: body
            .headings
            .into_iter()
            .map(|h| ContentsEntry {
                anchor: h.anchor,
                heading: h.text,
                level: h.level,
            })
            .collect(),
        recommendation_groups: recommendation_groups(lookup, report, root, RECOMMENDATION_RELATED),
        recommendation_count: meta.recommendations.len(),
        footnotes: report
            .footnotes
            .iter()
            .enumerate()
            .map(|(i, (_, text))| FootnoteView {
                number: i + 1,
                html: markdown::inline(text),
                referenced: footnotes.was_referenced(i + 1),
            })
            .collect(),
        body: body.html,
        related,
        related_more,
        earlier,
        later,
    }
}

/// Heading levels that start at 2 (the page title is the only `h1`) and never skip a level, as
/// WCAG's heading-order check expects, whatever the document's own levels were.
pub fn heading_levels(levels: impl Iterator<Item = u8>) -> Vec<u8> {
    // Each open heading as (its level in the document, the level we give it).
    let mut open: Vec<(u8, u8)> = Vec::new();
    levels
        .map(|l| {
            while open.last().is_some_and(|&(source, _)| source >= l) {
                open.pop();
            }
            let level = open.last().map_or(2, |&(_, given)| (given + 1).min(6));
            open.push((l, level));
            level
        })
        .collect()
}

/// A report's recommendations in document order, consecutive ones under the same heading grouped,
/// each with at most `next_limit` cross-links.
pub fn recommendation_groups<'a>(
    lookup: &'a Lookup,
    report: &'a Report,
    root: &str,
    next_limit: usize,
) -> Vec<RecGroupView<'a>> {
    let mut groups: Vec<RecGroupView> = Vec::new();
    for rec in report
        .meta
        .recommendations
        .iter()
        .map(|r| recommendation(lookup, report, r, root, next_limit))
    {
        match groups.last_mut() {
            Some(g) if g.group == rec.group => g.items.push(rec),
            _ => groups.push(RecGroupView {
                group: rec.group.clone(),
                items: vec![rec],
            }),
        }
    }
    groups
}

/// A recommendation as shown on any page whose root prefix is `root`, with at most `next_limit`
/// of its cross-links.
pub fn recommendation<'a>(
    lookup: &'a Lookup,
    report: &'a Report,
    rec: &Recommendation,
    root: &str,
    next_limit: usize,
) -> RecView<'a> {
    let (next, next_more) = related_to_recommendation(lookup, report, rec, next_limit, root);
    let report_href = format!("{root}{}", paths::report(report.slug()).path);
    let paragraph_label = rec.paragraph.as_deref().map(|anchor| {
        lookup
            .rec_paragraphs
            .get(&(report.slug(), anchor))
            .cloned()
            .unwrap_or_else(|| "the paragraph".to_string())
    });
    RecView {
        id: rec.id.clone(),
        number: words::recommendation_number(&rec.id),
        group: rec.group.clone(),
        html: markdown::inline(&rec.text),
        text: markdown::plain(&rec.text),
        themes: lookup.tags(&rec.themes, root),
        theme_slugs: rec.themes.join(" "),
        paragraph: rec.paragraph.clone(),
        paragraph_href: rec.paragraph.as_ref().map(|a| format!("{report_href}#{a}")),
        paragraph_label,
        page_href: format!(
            "{root}{}",
            paths::recommendation(report.slug(), &rec.id).path
        ),
        in_report_href: format!("{report_href}#{}", rec.id),
        quoted: rec.quoted_from.as_ref().map(|q| QuotedView {
            title: q.title.clone(),
            date: q.date.as_deref().map(words::date),
            href: q
                .report
                .as_deref()
                .and_then(|s| lookup.report(s))
                .map(|r| format!("{root}{}", paths::report(r.slug()).path)),
        }),
        next,
        next_more,
        report: DocRef::new(report, root),
    }
}

/// How many cross-links a report page lists, the nearest in date: an authority with decades of
/// documents gathers hundreds, and listing them all on each of its pages would grow with the
/// square of the archive. The authority's page lists every document.
pub const REPORT_RELATED: usize = 20;
/// How many cross-links are listed beside a recommendation on pages that show several; its own
/// page lists them all.
pub const RECOMMENDATION_RELATED: usize = 6;

pub fn related_to_recommendation<'a>(
    lookup: &'a Lookup,
    report: &'a Report,
    rec: &Recommendation,
    limit: usize,
    root: &str,
) -> (Vec<RelatedView<'a>>, usize) {
    let anchors: Vec<&str> = std::iter::once(rec.id.as_str())
        .chain(rec.paragraph.as_deref())
        .collect();
    let (mut out, more) = nearest_related(lookup, report, Some(&anchors), limit, root);
    // Shown beside the recommendation itself, so naming where each link starts would repeat it.
    for link in &mut out {
        link.from_part = None;
    }
    out.sort();
    out.dedup();
    (out, more)
}

/// Every cross-link from `slug` (or only from its `anchor`), labelled as it reads from this end.
pub fn related<'a>(
    lookup: &'a Lookup,
    slug: &str,
    anchor: Option<&str>,
    root: &str,
) -> Vec<RelatedView<'a>> {
    let Some(this) = lookup.report(slug) else {
        return Vec::new();
    };
    let anchors: Vec<&str> = anchor.into_iter().collect();
    let anchors = anchor.map(|_| anchors.as_slice());
    nearest_related(lookup, this, anchors, usize::MAX, root).0
}

/// The cross-links from `this` (or only from its `anchors`) to other documents, labelled as they
/// read from this end: the `limit` nearest in date, and how many more there are. The link stage
/// stores each link both ways, so the links from this document are all of them.
pub fn nearest_related<'a>(
    lookup: &'a Lookup,
    this: &'a Report,
    anchors: Option<&[&str]>,
    limit: usize,
    root: &str,
) -> (Vec<RelatedView<'a>>, usize) {
    let slug = this.slug();
    // The lists of links to weigh, borrowed: a report page weighs every link of its document.
    let lists: Vec<&[LinkTo]> = match anchors {
        None => vec![lookup.links(slug, None)],
        Some(list) => {
            // Each anchor once, so that no link is taken twice (the link stage lists each once).
            let mut list = list.to_vec();
            list.sort_unstable();
            list.dedup();
            list.iter().map(|a| lookup.links(slug, Some(a))).collect()
        }
    };
    let day = day_number(&this.meta.date);
    let here = lookup.places.get(slug).copied();
    let found: Vec<(i64, &LinkTo)> = lists
        .iter()
        .flat_map(|list| list.iter())
        .filter(|to| to.report.is_some() && Some(to.place) != here)
        .map(|to| (lookup.dates[to.place as usize].1 - day, to))
        .collect();
    let more = found.len().saturating_sub(limit);
    let shown: BTreeSet<RelatedView> = earlier_and_later_in_turn(found, limit)
        .into_iter()
        .filter_map(|(_, to)| related_view(lookup, to, this, root))
        .collect();
    (shown.into_iter().collect(), more)
}

/// Nearer in date first; links equally near in their order.
fn nearer(a: &(i64, &LinkTo), b: &(i64, &LinkTo)) -> std::cmp::Ordering {
    (a.0.abs(), a.1.link).cmp(&(b.0.abs(), b.1.link))
}

/// The `limit` nearest of `found` (links each listed once, with their distance in days), taking
/// the nearest earlier and the nearest later in turn, so a few recent follow-ups do not crowd out
/// what was raised before. Only each side's `limit` nearest are sorted: at 10,000 reports a
/// report page weighs hundreds of links to show twenty, and sorting them all was most of its
/// cost.
fn earlier_and_later_in_turn<'a, 'l>(
    found: Vec<(i64, &'l LinkTo<'a>)>,
    limit: usize,
) -> Vec<(i64, &'l LinkTo<'a>)> {
    let (mut earlier, mut later): (Vec<_>, Vec<_>) = found.into_iter().partition(|f| f.0 < 0);
    for side in [&mut earlier, &mut later] {
        if side.len() > limit {
            if let Some(last) = limit.checked_sub(1) {
                side.select_nth_unstable_by(last, nearer);
            }
            side.truncate(limit);
        }
        side.sort_unstable_by(nearer);
    }
    let mut shown = Vec::with_capacity(limit.min(earlier.len() + later.len()));
    let (mut earlier, mut later) = (earlier.into_iter().peekable(), later.into_iter().peekable());
    while shown.len() < limit {
        // The next of each side have the same rank; the nearer of the two goes first.
        let earlier_first = match (earlier.peek(), later.peek()) {
            (Some(e), Some(l)) => nearer(e, l).is_le(),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let (first, second) = if earlier_first {
            (earlier.next(), later.next())
        } else {
            (later.next(), earlier.next())
        };
        shown.extend(first);
        if shown.len() < limit {
            shown.extend(second);
        }
    }
    shown
}

/// A date (`2015-03-20`) as a count of days, near enough to tell which documents are nearest.
fn day_number(date: &str) -> i64 {
    let part = |range: std::ops::Range<usize>| {
        date.get(range)
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0)
    };
    part(0..4) * 372 + part(5..7) * 31 + part(8..10)
}

/// How link `to`, from `this`, reads on `this`'s pages; `None` when the archive does not hold
/// the document it leads to.
fn related_view<'a>(
    lookup: &'a Lookup,
    to: &LinkTo<'a>,
    this: &'a Report,
    root: &str,
) -> Option<RelatedView<'a>> {
    let (link, other) = (to.link, to.report?);
    let mut href = format!("{root}{}", paths::report(other.slug()).path);
    if let Some(a) = &link.to.anchor {
        href.push('#');
        href.push_str(a);
    }
    Some(RelatedView {
        label: link.relation.label(),
        title: &other.meta.title,
        date: Cow::Borrowed(&lookup.dates[to.place as usize].0),
        href,
        part: lookup.to_part_name(to),
        from_part: link
            .from
            .anchor
            .as_deref()
            .map(|a| lookup.named(to.from_part, this, a)),
    })
}

/// The previous and next document of the same authority, by date.
fn neighbours(lookup: &Lookup, report: &Report, root: &str) -> (Option<DocRef>, Option<DocRef>) {
    let (earlier, later) = lookup.neighbours(report);
    (
        earlier.map(|r| DocRef::new(r, root)),
        later.map(|r| DocRef::new(r, root)),
    )
}

/// An authority's page: every document from it, newest first.
#[derive(Serialize)]
pub struct AuthorityView {
    pub name: String,
    pub documents: Vec<DocRef>,
}

/// The authority whose documents (oldest first) are `reports`, named as its newest document names it.
pub fn authority(reports: &[&Report], root: &str) -> AuthorityView {
    AuthorityView {
        name: reports
            .last()
            .map(|r| r.meta.authority.clone())
            .unwrap_or_default(),
        documents: reports.iter().rev().map(|r| DocRef::new(r, root)).collect(),
    }
}

/// An authority in the list of all of them.
#[derive(Serialize)]
pub struct AuthoritySummary {
    pub name: String,
    pub href: String,
    pub count: usize,
    pub latest: String,
}

/// Every authority, alphabetical by name, with how many documents it has.
pub fn authority_summaries(lookup: &Lookup, root: &str) -> Vec<AuthoritySummary> {
    let mut list: Vec<AuthoritySummary> = lookup
        .authorities()
        .filter_map(|(slug, reports)| {
            let newest = reports.last()?;
            Some(AuthoritySummary {
                name: newest.meta.authority.clone(),
                href: format!("{root}{}", paths::authority(slug).path),
                count: reports.len(),
                latest: words::date(&newest.meta.date),
            })
        })
        .collect();
    list.sort_by_key(|a| a.name.to_lowercase());
    list
}

/// A theme with its description, its findings over time and its recommendations: one page of
/// them, where a large archive needs several.
#[derive(Serialize)]
pub struct ThemeView<'a> {
    pub slug: String,
    pub title: String,
    pub short: String,
    pub description_html: String,
    pub related: Vec<TagView>,
    pub timeline: Vec<TimelineDoc>,
    pub recommendations: Vec<RecView<'a>>,
    /// Totals over all pages.
    pub finding_count: usize,
    pub document_count: usize,
    pub recommendation_count: usize,
    /// Every page of this theme, for the page navigation; empty when there is only one.
    pub pages: Vec<ThemePageLink>,
    pub page_number: usize,
    pub page_count: usize,
}

#[derive(Serialize)]
pub struct TimelineDoc {
    pub doc: DocRef,
    pub findings: Vec<Finding>,
}

#[derive(Serialize)]
pub struct Finding {
    pub html: String,
    pub href: String,
    pub label: String,
}

#[derive(Serialize)]
pub struct ThemePageLink {
    pub number: usize,
    pub href: String,
    /// The years the page covers ("2016" or "2016–2018").
    pub years: String,
    pub current: bool,
}

/// How many pages either side of the current one the theme page navigation lists.
const PAGE_WINDOW: usize = 3;

/// A theme's documents, oldest first, each with its findings on the theme and how many of its
/// findings and recommendations carry the theme.
pub struct ThemeDocs<'a> {
    pub theme: &'a Theme,
    /// Pages of documents; a document is never split across pages.
    pub pages: Vec<Vec<ThemeDoc<'a>>>,
    pub finding_count: usize,
    pub recommendation_count: usize,
}

/// A document on a theme page.
pub struct ThemeDoc<'a> {
    pub report: &'a Report,
    /// Its paragraphs tagged with the theme, found once here: a theme page looking through
    /// every paragraph of its documents again cost 1.4% of a full build.
    pub findings: Vec<&'a Paragraph>,
    /// Its findings and recommendations on the theme.
    pub items: usize,
}

/// Split the documents that mention each theme into pages of about `page_size` items, in the
/// order of `site.themes`. Every paragraph is looked at once, whatever the number of themes.
pub fn theme_docs(site: &Site, page_size: usize) -> Vec<ThemeDocs<'_>> {
    let index: HashMap<&str, usize> = site
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    let mut reports: Vec<&Report> = site.reports.iter().collect();
    reports.sort_by(|a, b| (&a.meta.date, a.slug()).cmp(&(&b.meta.date, b.slug())));
    // Per report and theme, its findings and how many of its recommendations carry the theme.
    let mut counts: Vec<Vec<(Vec<&Paragraph>, usize)>> = reports
        .par_iter()
        .map(|r| {
            let mut c = vec![(Vec::<&Paragraph>::new(), 0); site.themes.len()];
            for p in r.paragraphs() {
                for t in p.themes.iter().filter_map(|t| index.get(t.as_str())) {
                    // A tag given twice lists and counts the paragraph once.
                    if !c[*t]
                        .0
                        .last()
                        .is_some_and(|&last| std::ptr::eq::<Paragraph>(last, p))
                    {
                        c[*t].0.push(p);
                    }
                }
            }
            for rec in &r.meta.recommendations {
                for t in rec.themes.iter().filter_map(|t| index.get(t.as_str())) {
                    c[*t].1 += 1;
                }
            }
            c
        })
        .collect();
    site.themes
        .iter()
        .enumerate()
        .map(|(t, theme)| {
            let items = reports
                .iter()
                .zip(&mut counts)
                .map(|(r, c)| (*r, std::mem::take(&mut c[t])));
            paginate(theme, items, page_size)
        })
        .collect()
}

fn paginate<'a>(
    theme: &'a Theme,
    items: impl Iterator<Item = (&'a Report, (Vec<&'a Paragraph>, usize))>,
    page_size: usize,
) -> ThemeDocs<'a> {
    let (mut findings, mut recs) = (0, 0);
    let mut pages: Vec<Vec<ThemeDoc>> = vec![Vec::new()];
    let mut on_page = 0;
    for (report, (paragraphs, r)) in items.filter(|(_, (f, r))| f.len() + r > 0) {
        let f = paragraphs.len();
        if on_page > 0 && on_page + f + r > page_size {
            pages.push(Vec::new());
            on_page = 0;
        }
        if let Some(page) = pages.last_mut() {
            page.push(ThemeDoc {
                report,
                findings: paragraphs,
                items: f + r,
            });
        }
        on_page += f + r;
        findings += f;
        recs += r;
    }
    ThemeDocs {
        theme,
        pages,
        finding_count: findings,
        recommendation_count: recs,
    }
}

/// Page `number` (from 1) of a theme, for a page whose root prefix is `root`.
pub fn theme<'a>(
    lookup: &'a Lookup,
    docs: &ThemeDocs<'a>,
    number: usize,
    root: &str,
) -> ThemeView<'a> {
    let theme = docs.theme;
    let page = docs.pages.get(number - 1).map_or(&[][..], Vec::as_slice);
    let timeline: Vec<TimelineDoc> = page
        .iter()
        .filter_map(|d| timeline_doc(d.report, &d.findings, root, docs.pages.len() > 1))
        .collect();
    let recommendations = page
        .iter()
        .flat_map(|d| {
            let r = d.report;
            r.meta
                .recommendations
                .iter()
                .filter(|rec| rec.themes.contains(&theme.slug))
                .map(|rec| recommendation(lookup, r, rec, root, RECOMMENDATION_RELATED))
        })
        .collect();
    let pages = if docs.pages.len() > 1 {
        // A window around the current page plus the first and last, as a long archive can have
        // hundreds of pages and listing all of them on each would grow with their square.
        docs.pages
            .iter()
            .enumerate()
            .filter(|(i, _)| in_page_window(i + 1, number, docs.pages.len()))
            .map(|(i, p)| ThemePageLink {
                number: i + 1,
                href: format!("{root}{}", paths::theme_page(&theme.slug, i + 1).path),
                years: year_span(p),
                current: i + 1 == number,
            })
            .collect()
    } else {
        Vec::new()
    };
    ThemeView {
        slug: theme.slug.clone(),
        title: theme.title.clone(),
        short: theme.short.clone(),
        description_html: markdown::to_html(&theme.description),
        related: lookup.tags(&theme.related, root),
        timeline,
        recommendations,
        finding_count: docs.finding_count,
        document_count: docs.pages.iter().map(Vec::len).sum(),
        recommendation_count: docs.recommendation_count,
        pages,
        page_number: number,
        page_count: docs.pages.len(),
    }
}

/// Whether page `n` is listed in the navigation of page `current` of `last`.
fn in_page_window(n: usize, current: usize, last: usize) -> bool {
    n == 1 || n == last || n.abs_diff(current) <= PAGE_WINDOW
}

fn year_span(page: &[ThemeDoc]) -> String {
    let year = |d: &ThemeDoc| d.report.meta.date.get(..4).unwrap_or_default().to_string();
    match (page.first(), page.last()) {
        (Some(a), Some(b)) if year(a) != year(b) => format!("{}–{}", year(a), year(b)),
        (Some(a), _) => year(a),
        _ => String::new(),
    }
}

/// How much of a finding a theme page that runs to several pages shows; the link goes to the rest.
const EXCERPT_CHARS: usize = 200;

/// A document's `paragraphs` on a theme, in page order.
fn timeline_doc(
    report: &Report,
    paragraphs: &[&Paragraph],
    root: &str,
    excerpts: bool,
) -> Option<TimelineDoc> {
    let doc = DocRef::new(report, root);
    let mut footnotes = Footnotes::new(&report.footnotes, &doc.href);
    let findings: Vec<Finding> = paragraphs
        .iter()
        .map(|p| Finding {
            html: if excerpts {
                format!(
                    "<p>{}</p>\n",
                    markdown::escape(&words::truncate(
                        &markdown::plain_paragraph(p),
                        EXCERPT_CHARS
                    ))
                )
            } else {
                markdown::render_paragraph(p, &mut footnotes)
            },
            href: format!("{}#{}", doc.href, p.anchor),
            label: words::paragraph_name(p),
        })
        .collect();
    (!findings.is_empty()).then_some(TimelineDoc { doc, findings })
}

/// A theme in a list, with its count of findings.
#[derive(Serialize)]
pub struct ThemeSummary {
    pub tag: TagView,
    pub description: String,
    pub count: usize,
}

/// The themes in the order a reader looks for them: alphabetical by title.
pub fn theme_summaries(lookup: &Lookup, root: &str) -> Vec<ThemeSummary> {
    let counts = &lookup.theme_counts;
    let mut themes: Vec<&crate::model::Theme> = lookup.site.themes.iter().collect();
    themes.sort_by_key(|t| t.title.to_lowercase());
    themes
        .into_iter()
        .map(|t| ThemeSummary {
            tag: TagView::new(t, root),
            description: markdown::plain(&t.description),
            count: counts.get(t.slug.as_str()).copied().unwrap_or(0),
        })
        .collect()
}

/// A letter of the A–Z list of the words that mark each theme.
#[derive(Serialize)]
pub struct TermLetter {
    pub letter: String,
    pub terms: Vec<Term>,
}

#[derive(Serialize)]
pub struct Term {
    pub term: String,
    pub theme: TagView,
}

pub fn terms_a_to_z(site: &Site, root: &str) -> Vec<TermLetter> {
    let mut terms: Vec<(String, String, &Theme)> = site
        .themes
        .iter()
        .flat_map(|t| {
            t.terms
                .phrases
                .iter()
                .chain(&t.terms.acronyms)
                .map(move |term| (term.to_lowercase(), term.clone(), t))
        })
        .collect();
    terms.sort_by(|a, b| (&a.0, &a.1, &a.2.slug).cmp(&(&b.0, &b.1, &b.2.slug)));
    terms.dedup_by(|a, b| a.1 == b.1 && a.2.slug == b.2.slug);
    let mut letters: Vec<TermLetter> = Vec::new();
    for (key, term, theme) in terms {
        let letter = key
            .chars()
            .next()
            .filter(|c| c.is_alphabetic())
            .map_or_else(|| "0–9".to_string(), |c| c.to_uppercase().collect());
        let entry = Term {
            term,
            theme: TagView::new(theme, root),
        };
        match letters.last_mut() {
            Some(l) if l.letter == letter => l.terms.push(entry),
            _ => letters.push(TermLetter {
                letter,
                terms: vec![entry],
            }),
        }
    }
    letters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_page_navigation_lists_a_window_and_the_ends() {
        let listed: Vec<usize> = (1..=40).filter(|&n| in_page_window(n, 20, 40)).collect();
        assert_eq!(listed, [1, 17, 18, 19, 20, 21, 22, 23, 40]);
        let listed: Vec<usize> = (1..=5).filter(|&n| in_page_window(n, 1, 5)).collect();
        assert_eq!(listed, [1, 2, 3, 4, 5]);
    }

    fn a_theme(slug: &str) -> Theme {
        Theme {
            slug: slug.to_string(),
            title: slug.to_uppercase(),
            short: slug.to_uppercase(),
            description: String::new(),
            terms: Default::default(),
            related: Vec::new(),
        }
    }

    /// A report dated `date` whose paragraphs carry the given `themes="…"` values.
    fn a_report(date: &str, tags: &[&str]) -> Report {
        let mut page = format!(
            "---\nslug: {date}-report\ntitle: Report of {date}\nkind: ofsted-inspection-report\n\
             authority: Testshire County Council\ndate: {date}\nsource:\n  file: a.txt\n  \
             sha256: ab\n---\n\n## Findings {{#findings}}\n"
        );
        for (i, tags) in tags.iter().enumerate() {
            page += &format!("\n{{: #p-{i} themes=\"{tags}\"}}\nFinding {i}.\n");
        }
        crate::load::load_report(&page, std::path::Path::new("a.md")).expect("a valid page")
    }

    #[test]
    fn theme_docs_list_each_documents_findings_once_in_page_order_and_never_split_one() {
        let site = Site {
            reports: vec![
                a_report("2020-01-01", &["cse", "peps", "cse cse", "cse peps"]),
                a_report("2019-01-01", &["peps", "cse"]),
            ],
            themes: vec![a_theme("cse"), a_theme("peps")],
            links: Vec::new(),
        };
        let docs = theme_docs(&site, 2);
        let cse = &docs[0];
        let anchors =
            |d: &ThemeDoc| -> Vec<String> { d.findings.iter().map(|p| p.anchor.clone()).collect() };
        // Oldest first; a paragraph tagged twice is one finding.
        assert_eq!(cse.finding_count, 4);
        assert_eq!(cse.pages.len(), 2);
        assert_eq!(anchors(&cse.pages[0][0]), ["p-1"]);
        // Three findings pass the page size of two, but a document is not split across pages.
        assert_eq!(anchors(&cse.pages[1][0]), ["p-0", "p-2", "p-3"]);
        assert_eq!(cse.pages[1][0].items, 3);
        let peps = &docs[1];
        assert_eq!(peps.finding_count, 3);
        assert_eq!(anchors(&peps.pages[1][0]), ["p-1", "p-3"]);
    }

    #[test]
    fn heading_levels_never_skip() {
        assert_eq!(
            heading_levels([2, 4, 4, 2, 3].into_iter()),
            vec![2, 3, 3, 2, 3]
        );
        assert_eq!(heading_levels([1, 3].into_iter()), vec![2, 3]);
    }

    /// Every link sorted by distance, then ranked within its side: the plain way to choose what
    /// `earlier_and_later_in_turn` chooses by sorting only each side's nearest.
    fn in_turn_by_sorting_all<'a, 'l>(
        mut found: Vec<(i64, &'l LinkTo<'a>)>,
        limit: usize,
    ) -> Vec<(i64, &'l LinkTo<'a>)> {
        found.sort_by(nearer);
        let (mut earlier, mut later) = (0usize, 0usize);
        let mut ranked: Vec<(usize, (i64, &LinkTo))> = found
            .into_iter()
            .map(|f| {
                let side = if f.0 < 0 { &mut earlier } else { &mut later };
                *side += 1;
                (*side, f)
            })
            .collect();
        ranked.sort_by_key(|(rank, _)| *rank);
        ranked.into_iter().map(|(_, f)| f).take(limit).collect()
    }

    #[test]
    fn the_nearest_links_in_turn_match_sorting_every_link() {
        let report = a_report("2020-01-01", &["cse"]);
        let target = |report: &str, anchor: &str| crate::model::Target {
            report: report.to_string(),
            anchor: Some(anchor.to_string()),
        };
        // Many links a few distances apart, so that ties on distance are settled by the links.
        let mut state = 7u64;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let links: Vec<Link> = (0..300)
            .map(|i| Link {
                from: target("here", &format!("p-{}", next(9))),
                to: target(&format!("doc-{}", next(12)), &format!("r-{i}")),
                relation: if next(2) == 0 {
                    crate::model::Relation::RaisedAgain
                } else {
                    crate::model::Relation::RaisedBefore
                },
            })
            .collect();
        let tos: Vec<LinkTo> = links
            .iter()
            .map(|link| LinkTo {
                link,
                report: Some(&report),
                place: 0,
                from_part: None,
                to_part: None,
            })
            .collect();
        let found: Vec<(i64, &LinkTo)> = tos.iter().map(|to| (next(11) as i64 - 5, to)).collect();
        for n in [0, 1, 2, 5, 40, 300] {
            let found = &found[..n];
            for limit in [0, 1, 2, 3, 6, 20, 299, 300, usize::MAX] {
                let chosen = earlier_and_later_in_turn(found.to_vec(), limit);
                let plain = in_turn_by_sorting_all(found.to_vec(), limit);
                let key = |f: &[(i64, &LinkTo)]| -> Vec<(i64, Link)> {
                    f.iter().map(|(d, to)| (*d, to.link.clone())).collect()
                };
                assert_eq!(key(&chosen), key(&plain), "{n} links, limit {limit}");
            }
        }
    }
}
