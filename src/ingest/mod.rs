//! Ingest: every seed in `seeds/` becomes an annotated Markdown page in `content/reports/`,
//! without ever losing a person's edit.

pub mod classify;
pub mod decode;
pub mod layout;
pub mod recommendations;
pub mod repair;
pub mod sidecar;
pub mod split;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::annotated::{self, Block, Page};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::model::{FrontMatter, Recommendation, ReportKind, Source};
use crate::themes::ThemeMatcher;

use layout::LayoutBlock;
use repair::Lexicon;
use sidecar::Sidecar;

/// How ingest may treat pages people have edited.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Overwrite edited pages, after saving a backup of each.
    pub force: bool,
}

/// What happened to each page.
#[derive(Debug, Default)]
pub struct IngestSummary {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Edited by a person and left as they are.
    pub kept_edited: Vec<PathBuf>,
    /// Backups saved before `--force` overwrote an edited page.
    pub backups: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    /// Seeds that could not be ingested.
    pub failed: Vec<Diagnostic>,
}

/// What ingest is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Learning the words the seeds use intact, to mend the ones PDF extraction broke.
    Learning,
    /// Starting on this many seeds.
    Seeds(usize),
    /// One more seed's pages are made.
    SeedDone,
    /// Every seed is read; pages are being written.
    Writing,
}

/// A seed read from disk.
struct Seed {
    /// File name relative to `seeds/`.
    name: String,
    sha256: String,
    /// Its text; characters normalised (`repair::normalise_characters`) before anything reads it.
    text: String,
    sidecar: Option<Sidecar>,
}

/// Ingest every seed.
pub fn run(config: &Config, options: &IngestOptions) -> Result<IngestSummary, Diagnostic> {
    run_reporting(config, options, &|_| {})
}

/// `run`, telling `progress` what it is doing as it goes, for a progress bar: ingest reads about
/// 30 seeds a second a core here, so a national archive takes minutes.
pub fn run_reporting(
    config: &Config,
    options: &IngestOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IngestSummary, Diagnostic> {
    let mut summary = IngestSummary::default();
    let seeds_dir = config.seeds_dir();
    let mut seeds = read_seeds(&seeds_dir, &mut summary)?;
    let themes = crate::themes::load_themes(&config.themes_dir()).map_err(|errs| {
        let first = errs.into_iter().next();
        first.unwrap_or_else(|| Diagnostic::new(config.themes_dir(), 0, "cannot read themes"))
    })?;
    let matcher = ThemeMatcher::new(&themes);

    progress(Progress::Learning);
    seeds
        .par_iter_mut()
        .for_each(|seed| seed.text = repair::normalise_characters(&seed.text));
    let lexicon = learn_lexicon(&seeds);

    let existing = write::existing_pages(&config.reports_dir(), &mut summary.warnings);
    // Each seed's pages depend only on the seed and what is shared (read-only) above, so seeds
    // are ingested in parallel: nearly all of ingest's time. Results keep seed order, so pages
    // and their slugs are the same however many threads ran.
    progress(Progress::Seeds(seeds.len()));
    let mut pages: Vec<Page> = seeds
        .par_iter()
        .map(|seed| {
            let pages = ingest_seed(seed, &lexicon, &matcher, config, &existing);
            progress(Progress::SeedDone);
            pages
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    progress(Progress::Writing);
    write::assign_unique_slugs(&mut pages, &existing);
    link_quoted_sources(&mut pages);
    write::write_pages(
        &config.reports_dir(),
        &pages,
        &existing,
        options,
        &mut summary,
    )?;
    Ok(summary)
}

fn read_seeds(dir: &Path, summary: &mut IngestSummary) -> Result<Vec<Seed>, Diagnostic> {
    if !dir.is_dir() {
        return Err(Diagnostic::new(
            dir,
            0,
            "no seeds folder: create it and put the documents' extracted text in it as .txt files",
        ));
    }
    let mut seeds = Vec::new();
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                summary
                    .failed
                    .push(Diagnostic::new(&path, 0, format!("cannot read: {e}")));
                continue;
            }
        };
        let decoded = match decode::decode(&bytes) {
            Ok(d) => d,
            Err(e) => {
                summary
                    .failed
                    .push(Diagnostic::new(&path, 0, e.to_string()));
                continue;
            }
        };
        if let Some(w) = decoded.warning {
            summary.warnings.push(Diagnostic::new(&path, 0, w));
        }
        let sidecar = match sidecar::read_for(&path) {
            Ok(s) => s,
            Err(d) => {
                summary.failed.push(d);
                continue;
            }
        };
        seeds.push(Seed {
            sha256: hex_sha256(&bytes),
            name,
            text: decoded.text,
            sidecar,
        });
    }
    Ok(seeds)
}

/// The lexicon learnt from every seed. Counting goes in seed order, because what one seed
/// teaches decides which words of the next count as intact; finding the words to count does
/// not, and is most of the work, so the next few seeds' words are found in parallel while one
/// batch is counted.
fn learn_lexicon(seeds: &[Seed]) -> Lexicon {
    const BATCH: usize = 8;
    fn find(batch: &[Seed]) -> Vec<repair::Sightings<'_>> {
        batch
            .par_iter()
            .map(|seed| repair::Sightings::find(&seed.text))
            .collect()
    }
    let mut lexicon = Lexicon::bundled();
    let mut batches = seeds.chunks(BATCH);
    let mut found = batches.next().map(find).unwrap_or_default();
    loop {
        let next = batches.next();
        let (next_found, ()) = rayon::join(
            || next.map(find),
            || {
                for sightings in &found {
                    lexicon.learn(sightings);
                }
            },
        );
        match next_found {
            Some(f) => found = f,
            None => return lexicon,
        }
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One seed's pages: the host document and any it embeds.
fn ingest_seed(
    seed: &Seed,
    lexicon: &Lexicon,
    matcher: &ThemeMatcher,
    config: &Config,
    existing: &write::ExistingPages,
) -> Vec<Page> {
    let text = repair::repair_lost_ligatures(&seed.text, lexicon);
    let parts = split::split_embedded(&text);
    let mut pages: Vec<Page> = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let blocks = layout::layout(&part.text);
        let mut meta = classify::classify(&part.text, &blocks);
        let sidecar = seed.sidecar.as_ref().and_then(|s| s.for_part(index));
        if let Some(s) = sidecar {
            s.apply(&mut meta);
        }
        let found = recommendations::find(&blocks, meta.kind);
        let source = Source {
            file: seed.name.clone(),
            sha256: seed.sha256.clone(),
            url: sidecar.and_then(|s| s.source_url.clone()),
            part: part.embedded.then_some(index),
            part_of: None,
        };
        let authority = meta
            .authority
            .clone()
            .or_else(|| config.default_authority.clone())
            .unwrap_or_else(|| "Unknown authority".to_string());
        let date = meta
            .date
            .clone()
            .unwrap_or_else(|| "0000-01-01".to_string());
        let key = write::source_key(&seed.name, index);
        let slug = existing
            .slug_for(&key)
            .map(str::to_string)
            .or_else(|| sidecar.and_then(|s| s.slug.clone()))
            .unwrap_or_else(|| make_slug(&date, &authority, meta.kind));
        let (body, anchors) = annotate_blocks(&blocks, matcher);
        let recommendations = found
            .into_iter()
            .enumerate()
            .map(|(i, r)| Recommendation {
                id: format!("r-{}", i + 1),
                kind: r.kind,
                group: r.group,
                themes: matcher.tag(&r.text),
                text: r.text,
                paragraph: anchors.get(r.block).cloned().flatten(),
                quoted_from: r.quoted_from,
            })
            .collect();
        let front = FrontMatter {
            slug,
            title: meta.title,
            kind: meta.kind,
            authority,
            date,
            date_inferred: meta.date_inferred,
            inspection_dates: meta.inspection_dates,
            period: meta.period,
            framework: meta.framework,
            judgements: meta.judgements,
            inspectors: meta.inspectors,
            source,
            contains: vec![],
            recommendations,
            links: vec![],
        };
        pages.push(Page {
            front,
            blocks: body,
        });
        if part.embedded {
            let host = pages[0].front.slug.clone();
            let last = pages.len() - 1;
            pages[last].front.source.part_of = Some(host);
        }
    }
    let embedded: Vec<String> = pages.iter().skip(1).map(|p| p.front.slug.clone()).collect();
    if let Some(host) = pages.first_mut() {
        host.front.contains = embedded;
    }
    pages
}

/// `2015-03-leeds-ofsted-inspection`: stable, readable, and unique enough that collisions are rare
/// (they get a numeric suffix).
pub fn make_slug(date: &str, authority: &str, kind: ReportKind) -> String {
    let month = date.get(..7).unwrap_or(date);
    format!(
        "{}-{}-{}",
        month,
        annotated::slugify(&short_authority(authority)),
        kind.slug_part()
    )
}

/// "Leeds City Council" → "Leeds": the place name people use.
fn short_authority(authority: &str) -> String {
    const SUFFIXES: [&str; 7] = [
        " Metropolitan Borough Council",
        " City Council",
        " County Council",
        " Borough Council",
        " District Council",
        " Council",
        " City",
    ];
    let mut name = authority.trim().to_string();
    for s in SUFFIXES {
        if let Some(stripped) = name.strip_suffix(s) {
            name = stripped.to_string();
            break;
        }
    }
    name
}

/// Blocks as annotated Markdown, and for each layout block the anchor it got (if a paragraph).
fn annotate_blocks(
    blocks: &[LayoutBlock],
    matcher: &ThemeMatcher,
) -> (Vec<Block>, Vec<Option<String>>) {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut unique = |wanted: String, text: &str| -> String {
        let anchor = if used.contains_key(&wanted) {
            annotated::content_anchor(text)
        } else {
            wanted
        };
        let n = used.entry(anchor.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            anchor
        } else {
            format!("{anchor}-{n}")
        }
    };
    let mut out = Vec::new();
    let mut anchors = Vec::new();
    for block in blocks {
        match block {
            LayoutBlock::Heading { level, text } => {
                let anchor = unique(annotated::slugify(text), text);
                out.push(Block::Heading {
                    level: (*level).clamp(2, 6),
                    text: text.clone(),
                    anchor,
                    line: 0,
                });
                anchors.push(None);
            }
            LayoutBlock::Paragraph { number, text } => {
                let wanted = number
                    .as_deref()
                    .map(annotated::anchor_of_number)
                    .unwrap_or_else(|| annotated::content_anchor(text));
                let anchor = unique(wanted, text);
                anchors.push(Some(anchor.clone()));
                out.push(Block::Paragraph {
                    anchor,
                    text: text.clone(),
                    themes: matcher.tag(text),
                    bullet: false,
                    line: 0,
                });
            }
            LayoutBlock::Bullet { text } => {
                let anchor = unique(annotated::content_anchor(text), text);
                anchors.push(Some(anchor.clone()));
                out.push(Block::Paragraph {
                    anchor,
                    text: text.clone(),
                    themes: matcher.tag(text),
                    bullet: true,
                    line: 0,
                });
            }
            LayoutBlock::Footnote { label, text } => {
                out.push(Block::Footnote {
                    label: label.clone(),
                    text: text.clone(),
                    line: 0,
                });
                anchors.push(None);
            }
        }
    }
    (out, anchors)
}

/// A quoted recommendation links to its source when that document is in the archive: the
/// document with the stated date, preferring one the quoting seed embeds.
fn link_quoted_sources(pages: &mut [Page]) {
    let by_date: Vec<(String, String, String)> = pages
        .iter()
        .map(|p| {
            (
                p.front.date.clone(),
                p.front.slug.clone(),
                p.front.source.file.clone(),
            )
        })
        .collect();
    for page in pages.iter_mut() {
        let own_file = page.front.source.file.clone();
        for rec in &mut page.front.recommendations {
            let Some(q) = rec.quoted_from.as_mut() else {
                continue;
            };
            if q.report.is_some() {
                continue;
            }
            let Some(date) = q.date.as_deref() else {
                continue;
            };
            let mut candidates: Vec<&(String, String, String)> = by_date
                .iter()
                // A quoted date may be only as precise as the text ("2021-08").
                .filter(|(d, slug, _)| {
                    (d == date || d.starts_with(&format!("{date}-"))) && *slug != page.front.slug
                })
                .collect();
            candidates.sort_by_key(|(_, _, file)| *file != own_file);
            q.report = candidates.first().map(|(_, slug, _)| slug.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_from_date_authority_kind() {
        assert_eq!(
            make_slug(
                "2015-03-12",
                "Leeds City Council",
                ReportKind::OfstedInspectionReport
            ),
            "2015-03-leeds-ofsted-inspection"
        );
        assert_eq!(
            make_slug(
                "2021-08-31",
                "Kirklees Council",
                ReportKind::OfstedFocusedVisitLetter
            ),
            "2021-08-kirklees-ofsted-focused-visit"
        );
    }

    #[test]
    fn lexicon_learnt_in_batches_is_the_one_learnt_seed_by_seed() {
        // The real seeds cut into pieces, so there are several batches and words reach their
        // count of sightings in different pieces.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .expect("seeds")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        names.sort();
        let mut seeds = Vec::new();
        for path in names {
            let text = repair::normalise_characters(&std::fs::read_to_string(&path).expect("read"));
            let lines: Vec<&str> = text.lines().collect();
            for (i, piece) in lines.chunks(lines.len().div_ceil(5)).enumerate() {
                seeds.push(Seed {
                    name: format!("{i}"),
                    sha256: String::new(),
                    text: piece.join("\n"),
                    sidecar: None,
                });
            }
        }
        assert!(seeds.len() > 20, "{} pieces", seeds.len());
        let mut one_by_one = Lexicon::bundled();
        for seed in &seeds {
            one_by_one.learn_from(&seed.text);
        }
        let batched = learn_lexicon(&seeds);
        assert!(one_by_one.learnt().len() > 1000);
        let (batched, one_by_one) = (batched.learnt(), one_by_one.learnt());
        let differ: Vec<_> = one_by_one
            .iter()
            .filter(|(word, n)| batched.get(*word) != Some(n))
            .take(10)
            .collect();
        assert!(
            differ.is_empty() && batched.len() == one_by_one.len(),
            "{differ:?}"
        );
    }

    #[test]
    fn progress_names_each_step_and_counts_every_seed() {
        let site = tempfile::tempdir().expect("temp dir");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest-basic");
        std::fs::copy(fixture.join("site.toml"), site.path().join("site.toml")).expect("copy");
        for sub in ["seeds", "themes"] {
            std::fs::create_dir(site.path().join(sub)).expect("mkdir");
            for entry in std::fs::read_dir(fixture.join(sub)).expect("read fixture") {
                let from = entry.expect("entry").path();
                let name = from.file_name().expect("name").to_owned();
                std::fs::copy(&from, site.path().join(sub).join(name)).expect("copy");
            }
        }
        // Three seeds: the fixture's letter under three names.
        let letter = site.path().join("seeds/letter.txt");
        for copy in ["letter-2.txt", "letter-3.txt"] {
            std::fs::copy(&letter, site.path().join("seeds").join(copy)).expect("copy");
        }
        let config = Config::load(site.path(), None).expect("config");
        let seen = std::sync::Mutex::new(Vec::new());
        let summary = run_reporting(&config, &IngestOptions::default(), &|step| {
            seen.lock().expect("not poisoned").push(step)
        })
        .expect("ingest");
        assert_eq!(summary.written.len(), 3, "{:?}", summary.failed);
        let seen = seen.into_inner().expect("not poisoned");
        assert_eq!(
            seen,
            [
                Progress::Learning,
                Progress::Seeds(3),
                Progress::SeedDone,
                Progress::SeedDone,
                Progress::SeedDone,
                Progress::Writing,
            ]
        );
    }
}
