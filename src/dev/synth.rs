//! Recombining real annotated reports into new ones: a real report of the same kind gives the
//! shape (headings, paragraph and recommendation counts, lengths); paragraphs, recommendations,
//! people, grades and dates are drawn from the pool of every real report of that kind.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::authorities::{AUTHORITIES, Authority};
use super::rng::SplitMix64;
use crate::annotated::{self, Block, Page};
use crate::model::{
    DateRange, FrontMatter, Judgement, QuotedFrom, Recommendation, ReportKind, Source,
};

/// The first of the ten years synthetic reports are dated in.
const FIRST_YEAR: usize = 2015;

/// How many pool paragraphs are weighed for each slot; a few is enough to match length and theme.
const CANDIDATES: usize = 6;

/// Ofsted's four grades with rough national shares (percent), so judgements vary as they do.
const GRADES: [(&str, usize); 4] = [
    ("Outstanding", 12),
    ("Good", 48),
    ("Requires improvement to be good", 30),
    ("Inadequate", 10),
];

/// A paragraph that can move to another report; its themes travel with it.
#[derive(Debug, Clone)]
struct Passage {
    text: String,
    themes: Vec<String>,
    /// The authority its text is about, whose names are swapped for the new one's.
    origin: Option<Authority>,
}

/// A real recommendation with the paragraph it sits in.
#[derive(Debug, Clone)]
struct PooledRecommendation {
    recommendation: Recommendation,
    passage: Option<Passage>,
    origin: Option<Authority>,
}

/// Everything the real reports offer for recombination, grouped by kind.
pub(crate) struct Pool {
    templates: Vec<Page>,
    passages: BTreeMap<ReportKind, Vec<Passage>>,
    /// Indices into `passages` by the anchor of the heading they sit under (`""` before the
    /// first), so a slot is often filled from the same section of another report.
    sections: BTreeMap<(ReportKind, String), Vec<usize>>,
    recommendations: BTreeMap<ReportKind, Vec<PooledRecommendation>>,
    themes: BTreeMap<ReportKind, Vec<String>>,
    inspectors: Vec<String>,
}

/// A paragraph's place in the template being filled.
struct Slot<'a> {
    kind: ReportKind,
    /// The anchor of the heading above it.
    section: &'a str,
    length: usize,
}

impl Pool {
    pub(crate) fn new(pages: Vec<Page>) -> Pool {
        let mut pool = Pool {
            templates: Vec::new(),
            passages: BTreeMap::new(),
            sections: BTreeMap::new(),
            recommendations: BTreeMap::new(),
            themes: BTreeMap::new(),
            inspectors: Vec::new(),
        };
        for page in &pages {
            pool.add(page);
        }
        pool.inspectors.sort();
        pool.inspectors.dedup();
        for themes in pool.themes.values_mut() {
            themes.sort();
            themes.dedup();
        }
        pool.templates = pages;
        pool
    }

    fn add(&mut self, page: &Page) {
        let kind = page.front.kind;
        let origin = Authority::named(&page.front.authority);
        let held: BTreeSet<&str> = page
            .front
            .recommendations
            .iter()
            .filter_map(|r| r.paragraph.as_deref())
            .collect();
        let mut by_anchor: BTreeMap<&str, Passage> = BTreeMap::new();
        let mut section = "";
        for block in &page.blocks {
            if let Block::Heading { anchor, .. } = block {
                section = anchor;
            }
            let Block::Paragraph {
                anchor,
                text,
                themes,
                ..
            } = block
            else {
                continue;
            };
            let passage = Passage {
                text: text.clone(),
                themes: themes.clone(),
                origin,
            };
            self.themes.entry(kind).or_default().extend(themes.clone());
            if held.contains(anchor.as_str()) {
                by_anchor.insert(anchor, passage);
            } else {
                let passages = self.passages.entry(kind).or_default();
                self.sections
                    .entry((kind, section.to_string()))
                    .or_default()
                    .push(passages.len());
                passages.push(passage);
            }
        }
        for r in &page.front.recommendations {
            let passage = r
                .paragraph
                .as_deref()
                .and_then(|a| by_anchor.get(a))
                .cloned();
            self.recommendations
                .entry(kind)
                .or_default()
                .push(PooledRecommendation {
                    recommendation: r.clone(),
                    passage,
                    origin,
                });
        }
        self.inspectors
            .extend(page.front.inspectors.iter().cloned());
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }

    /// One synthetic report; its slug is made from date, authority and kind and may still need
    /// a suffix to be unique in the corpus.
    pub(crate) fn synthesise(&self, rng: &mut SplitMix64, index: usize) -> Option<Page> {
        let template = rng.pick(&self.templates)?;
        let to = Authority::nth(rng.below(AUTHORITIES.len()));
        let dates = draw_dates(rng, &template.front);
        let (recommendations, fills) = self.draw_recommendations(rng, template, to);
        let focus = self.focus_themes(rng, template.front.kind);
        let (blocks, renamed) = self.draw_blocks(rng, template, &fills, &focus, to);
        let recommendations = recommendations
            .into_iter()
            .map(|mut r| {
                r.paragraph = r.paragraph.and_then(|a| renamed.get(&a).cloned());
                r
            })
            .collect();
        let mut front = self.front_matter(rng, template, to, dates, recommendations);
        front.source = Source {
            file: format!("synthetic/{index:05}.txt"),
            sha256: body_digest(&blocks),
            ..Source::default()
        };
        Some(Page { front, blocks })
    }

    /// The template's recommendations replaced by real ones of the same kind, renumbered; and for
    /// each template paragraph a recommendation sits in, the paragraph the new one came from.
    fn draw_recommendations(
        &self,
        rng: &mut SplitMix64,
        template: &Page,
        to: Authority,
    ) -> (Vec<Recommendation>, BTreeMap<String, Passage>) {
        let empty = Vec::new();
        let pool = self
            .recommendations
            .get(&template.front.kind)
            .unwrap_or(&empty);
        let mut used = BTreeSet::new();
        let mut fills = BTreeMap::new();
        let mut out = Vec::new();
        for (i, slot) in template.front.recommendations.iter().enumerate() {
            let Some(pick) = draw_unused(rng, pool.len(), &mut used) else {
                break;
            };
            let pooled = &pool[pick];
            let mut rec = pooled.recommendation.clone();
            rec.id = format!("r-{}", i + 1);
            rec.text = relocate(&rec.text, pooled.origin, to);
            rec.paragraph = slot.paragraph.clone();
            rec.quoted_from = rec.quoted_from.map(|q| QuotedFrom {
                title: q.title,
                date: None,
                report: None,
            });
            if let Some(anchor) = &slot.paragraph {
                let passage = pooled.passage.clone().unwrap_or_else(|| Passage {
                    text: pooled.recommendation.text.clone(),
                    themes: pooled.recommendation.themes.clone(),
                    origin: pooled.origin,
                });
                fills.entry(anchor.clone()).or_insert(passage);
            }
            out.push(rec);
        }
        (out, fills)
    }

    /// Two themes this report leans towards, so theme mixes differ from report to report.
    fn focus_themes(&self, rng: &mut SplitMix64, kind: ReportKind) -> Vec<String> {
        let themes = self.themes.get(&kind).map_or(&[][..], Vec::as_slice);
        (0..2).filter_map(|_| rng.pick(themes).cloned()).collect()
    }

    /// The template's blocks with every paragraph replaced; also the template anchor → new anchor
    /// map, so recommendations point at their new paragraphs.
    fn draw_blocks(
        &self,
        rng: &mut SplitMix64,
        template: &Page,
        fills: &BTreeMap<String, Passage>,
        focus: &[String],
        to: Authority,
    ) -> (Vec<Block>, BTreeMap<String, String>) {
        let from = Authority::named(&template.front.authority);
        let mut anchors = BTreeSet::new();
        let mut used = BTreeSet::new();
        let mut renamed = BTreeMap::new();
        let mut blocks = Vec::with_capacity(template.blocks.len());
        let mut section = "";
        for block in &template.blocks {
            if let Block::Heading { anchor, .. } = block {
                section = anchor;
            }
            let new = match block {
                Block::Heading {
                    level,
                    text,
                    anchor,
                    ..
                } => Block::Heading {
                    level: *level,
                    text: relocate(text, from, to),
                    anchor: unique_anchor(anchor.clone(), &mut anchors),
                    line: 0,
                },
                Block::Footnote { label, text, .. } => Block::Footnote {
                    label: label.clone(),
                    text: relocate(text, from, to),
                    line: 0,
                },
                Block::Paragraph {
                    anchor,
                    text,
                    themes,
                    bullet,
                    ..
                } => {
                    let kept = Passage {
                        text: text.clone(),
                        themes: themes.clone(),
                        origin: from,
                    };
                    let slot = Slot {
                        kind: template.front.kind,
                        section,
                        length: text.len(),
                    };
                    let passage = fills.get(anchor).cloned().unwrap_or_else(|| {
                        self.draw_passage(rng, &slot, focus, &mut used)
                            .unwrap_or(kept)
                    });
                    let text = relocate(&passage.text, passage.origin, to);
                    let wanted = match annotated::number_of_anchor(anchor) {
                        Some(_) => anchor.clone(),
                        None => annotated::content_anchor(&text),
                    };
                    let new_anchor = unique_anchor(wanted, &mut anchors);
                    renamed.insert(anchor.clone(), new_anchor.clone());
                    Block::Paragraph {
                        anchor: new_anchor,
                        text,
                        themes: passage.themes,
                        bullet: *bullet,
                        line: 0,
                    }
                }
            };
            blocks.push(new);
        }
        (blocks, renamed)
    }

    /// A pool paragraph for a slot: unused in this report, of about the slot's length (same power
    /// of two, so the size distribution follows the real reports), on a focus theme where one is.
    /// Half the candidates come from the same section of other reports, so letters still open
    /// with addresses and recommendations sections still hold recommendations.
    fn draw_passage(
        &self,
        rng: &mut SplitMix64,
        slot: &Slot,
        focus: &[String],
        used: &mut BTreeSet<usize>,
    ) -> Option<Passage> {
        let pool = self.passages.get(&slot.kind)?;
        let same_section = self
            .sections
            .get(&(slot.kind, slot.section.to_string()))
            .map_or(&[][..], Vec::as_slice);
        let length = slot.length;
        let mut best: Option<((bool, u32, bool, usize), usize)> = None;
        for c in 0..CANDIDATES {
            let from_section = match c % 2 {
                0 => rng.pick(same_section).copied(),
                _ => None,
            };
            let i = from_section.unwrap_or_else(|| rng.below(pool.len()));
            let p = pool.get(i)?;
            let key = (
                used.contains(&i),
                size_class(p.text.len()).abs_diff(size_class(length)),
                !p.themes.iter().any(|t| focus.contains(t)),
                p.text.len().abs_diff(length),
            );
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((key, i));
            }
        }
        let ((taken, ..), mut i) = best?;
        if taken {
            i = first_unused_near(pool, rng.below(pool.len()), length, used).unwrap_or(i);
        }
        used.insert(i);
        pool.get(i).cloned()
    }

    /// The template's front matter for the new authority and dates; the source is set by the caller.
    fn front_matter(
        &self,
        rng: &mut SplitMix64,
        template: &Page,
        to: Authority,
        dates: Dates,
        recommendations: Vec<Recommendation>,
    ) -> FrontMatter {
        let t = &template.front;
        let mut title = relocate(&t.title, Authority::named(&t.authority), to);
        if let (Some(old), Some(new)) = (&t.period, &dates.period) {
            title = title.replace(old.as_str(), new);
        }
        FrontMatter {
            slug: crate::ingest::make_slug(&dates.date, to.council, t.kind),
            title,
            kind: t.kind,
            authority: to.council.to_string(),
            date: dates.date,
            date_inferred: None,
            inspection_dates: dates.inspection,
            period: dates.period,
            framework: t.framework.clone(),
            judgements: t.judgements.iter().map(|j| regrade(rng, j)).collect(),
            inspectors: self.draw_inspectors(rng, t.inspectors.len()),
            source: Source::default(),
            contains: Vec::new(),
            recommendations,
            links: Vec::new(),
        }
    }

    fn draw_inspectors(&self, rng: &mut SplitMix64, count: usize) -> Vec<String> {
        let mut used = BTreeSet::new();
        (0..count.min(self.inspectors.len()))
            .filter_map(|_| draw_unused(rng, self.inspectors.len(), &mut used))
            .map(|i| self.inspectors[i].clone())
            .collect()
    }
}

/// When random draws only find paragraphs already used (a kind with a single real report), the
/// first unused one from `start` of about `length` (within a power of two), else any unused one.
fn first_unused_near(
    pool: &[Passage],
    start: usize,
    length: usize,
    used: &BTreeSet<usize>,
) -> Option<usize> {
    let order = (start..pool.len()).chain(0..start);
    let unused: Vec<usize> = order.filter(|i| !used.contains(i)).collect();
    let near = |i: &usize| size_class(pool[*i].text.len()).abs_diff(size_class(length)) <= 1;
    unused
        .iter()
        .copied()
        .find(near)
        .or(unused.first().copied())
}

/// Paragraph lengths by power of two: a date line, a sentence, a paragraph, a long paragraph.
fn size_class(length: usize) -> u32 {
    length.max(1).ilog2()
}

/// An index in `0..len` not drawn before if a few tries find one; repeats only when the pool is
/// nearly exhausted.
fn draw_unused(rng: &mut SplitMix64, len: usize, used: &mut BTreeSet<usize>) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let mut pick = rng.below(len);
    for _ in 0..8 {
        if !used.contains(&pick) {
            break;
        }
        pick = rng.below(len);
    }
    used.insert(pick);
    Some(pick)
}

/// `anchor`, or `anchor-2`, `anchor-3`, … when a page already uses it.
fn unique_anchor(wanted: String, used: &mut BTreeSet<String>) -> String {
    let mut anchor = wanted.clone();
    let mut n = 1;
    while used.contains(&anchor) {
        n += 1;
        anchor = format!("{wanted}-{n}");
    }
    used.insert(anchor.clone());
    anchor
}

/// Text about one authority made to read as if about another: its council's full name, then its
/// place name as a whole word ("Leeds City Council", then "Leeds").
fn relocate(text: &str, from: Option<Authority>, to: Authority) -> String {
    match from {
        Some(from) if from != to => replace_word(
            &text.replace(from.council, to.council),
            from.place,
            to.place,
        ),
        _ => text.to_string(),
    }
}

/// Every whole-word `from` in `text` replaced by `to`.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + from.len()..].chars().next();
        let whole =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..i]);
        out.push_str(if whole { to } else { from });
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// A report's date, inspection dates and period, drawn over ten years.
#[derive(Debug)]
struct Dates {
    date: String,
    inspection: Option<DateRange>,
    period: Option<String>,
}

/// Dates shaped like the template's: an annual report keeps its period's end day and covers the
/// year before; an inspection lasts as long as the template's and is published days after it.
/// Everything stays within one month (days up to 28) so no calendar arithmetic is needed.
fn draw_dates(rng: &mut SplitMix64, template: &FrontMatter) -> Dates {
    let year = rng.between(FIRST_YEAR, FIRST_YEAR + 9);
    if template.period.is_some() {
        let month_day = template.date.get(4..).unwrap_or("-03-31");
        return Dates {
            date: format!("{year}{month_day}"),
            inspection: None,
            period: Some(format!("{}/{:02}", year - 1, year % 100)),
        };
    }
    let month = rng.between(1, 12);
    let Some(range) = &template.inspection_dates else {
        return Dates {
            date: format!("{year}-{month:02}-{:02}", rng.between(1, 28)),
            inspection: None,
            period: None,
        };
    };
    let span = match (day_of(&range.start), day_of(&range.end)) {
        (Some(s), Some(e)) if e >= s => (e - s).min(9),
        _ => 2,
    };
    let start = rng.between(1, 14);
    let end = start + span;
    let published = rng.between(end + 1, 28);
    Dates {
        date: format!("{year}-{month:02}-{published:02}"),
        inspection: Some(DateRange {
            start: format!("{year}-{month:02}-{start:02}"),
            end: format!("{year}-{month:02}-{end:02}"),
        }),
        period: None,
    }
}

/// The day of the month of an ISO date.
fn day_of(iso: &str) -> Option<usize> {
    iso.get(8..10)?.parse().ok()
}

/// A judgement with a new Ofsted grade; grades from other scales are kept as they are.
fn regrade(rng: &mut SplitMix64, judgement: &Judgement) -> Judgement {
    // Older frameworks wrote "Requires improvement" without "to be good".
    let ofsted = GRADES
        .iter()
        .any(|(g, _)| g.eq_ignore_ascii_case(&judgement.grade))
        || judgement.grade.eq_ignore_ascii_case("Requires improvement");
    if !ofsted {
        return judgement.clone();
    }
    let mut roll = rng.below(100);
    let mut grade = GRADES[0].0;
    for (g, share) in GRADES {
        grade = g;
        if roll < share {
            break;
        }
        roll -= share;
    }
    Judgement {
        area: judgement.area.clone(),
        grade: grade.to_string(),
    }
}

/// Stands in for a seed's checksum: synthetic reports have no seed file.
fn body_digest(blocks: &[Block]) -> String {
    let mut hasher = Sha256::new();
    for block in blocks {
        if let Block::Paragraph { text, .. } = block {
            hasher.update(text.as_bytes());
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(date: &str, period: Option<&str>, range: Option<(&str, &str)>) -> FrontMatter {
        FrontMatter {
            slug: "s".into(),
            title: "t".into(),
            kind: ReportKind::OfstedFocusedVisitLetter,
            authority: "Leeds City Council".into(),
            date: date.into(),
            date_inferred: None,
            inspection_dates: range.map(|(s, e)| DateRange {
                start: s.into(),
                end: e.into(),
            }),
            period: period.map(str::to_string),
            framework: None,
            judgements: vec![],
            inspectors: vec![],
            source: Source::default(),
            contains: vec![],
            recommendations: vec![],
            links: vec![],
        }
    }

    #[test]
    fn relocate_swaps_whole_words_only() {
        let leeds = Authority::named("Leeds City Council");
        let york = Authority::named("City of York Council").unwrap();
        assert_eq!(
            relocate("Leeds City Council, Leedsfield; in Leeds.", leeds, york),
            "City of York Council, Leedsfield; in York."
        );
        assert_eq!(relocate("Leeds", None, york), "Leeds");
    }

    #[test]
    fn annual_report_covers_the_year_before() {
        let mut rng = SplitMix64::new(3);
        let d = draw_dates(&mut rng, &front("2019-03-31", Some("2018/19"), None));
        let year: usize = d.date[..4].parse().unwrap();
        assert!(d.date.ends_with("-03-31"));
        assert_eq!(d.period.unwrap(), format!("{}/{:02}", year - 1, year % 100));
    }

    #[test]
    fn inspection_dates_come_before_publication() {
        let mut rng = SplitMix64::new(5);
        let t = front("2018-02-22", None, Some(("2018-01-30", "2018-01-31")));
        for _ in 0..200 {
            let d = draw_dates(&mut rng, &t);
            let range = d.inspection.unwrap();
            assert!(
                range.start < range.end && range.end < d.date,
                "{range:?} {}",
                d.date
            );
            let year: usize = d.date[..4].parse().unwrap();
            assert!((FIRST_YEAR..FIRST_YEAR + 10).contains(&year));
        }
    }

    #[test]
    fn unique_anchor_adds_suffix() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_anchor("p-1".into(), &mut used), "p-1");
        assert_eq!(unique_anchor("p-1".into(), &mut used), "p-1-2");
        assert_eq!(unique_anchor("p-1".into(), &mut used), "p-1-3");
    }

    #[test]
    fn regrade_keeps_other_scales() {
        let mut rng = SplitMix64::new(1);
        let j = Judgement {
            area: "x".into(),
            grade: "Met".into(),
        };
        assert_eq!(regrade(&mut rng, &j), j);
        let good = Judgement {
            area: "x".into(),
            grade: "Good".into(),
        };
        let grades: BTreeSet<String> = (0..200).map(|_| regrade(&mut rng, &good).grade).collect();
        assert_eq!(grades.len(), 4);
    }
}
