//! Writing pages to `content/reports/` so that nothing a person wrote is lost: unchanged pages are
//! not touched, edited pages are kept (or backed up before `--force`), every write is atomic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::annotated::{self, Page, Provenance};
use crate::error::Diagnostic;
use crate::ingest::{IngestOptions, IngestSummary};

/// The key that ties a page to the seed (and part of it) it came from.
pub fn source_key(file: &str, part: usize) -> String {
    if part == 0 {
        file.to_string()
    } else {
        format!("{file}#{part}")
    }
}

/// A page already in `content/reports/`.
#[derive(Debug, Clone)]
pub struct ExistingPage {
    pub path: PathBuf,
    pub slug: String,
}

/// Pages already on disk, by the seed they came from and by slug.
#[derive(Debug, Default)]
pub struct ExistingPages {
    by_key: BTreeMap<String, ExistingPage>,
    slugs: BTreeSet<String>,
}

impl ExistingPages {
    pub fn slug_for(&self, key: &str) -> Option<&str> {
        self.by_key.get(key).map(|p| p.slug.as_str())
    }
}

#[derive(Deserialize)]
struct FrontStub {
    slug: String,
    source: Option<SourceStub>,
}

#[derive(Deserialize)]
struct SourceStub {
    file: String,
    part: Option<usize>,
}

/// Read the slug and source of every page in `dir`.
pub fn existing_pages(dir: &Path, warnings: &mut Vec<Diagnostic>) -> ExistingPages {
    let mut pages = ExistingPages::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return pages;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let stub = annotated::front_matter_text(&text)
            .and_then(|f| crate::yaml::from_str::<FrontStub>(f).ok());
        let Some(stub) = stub else {
            warnings.push(Diagnostic::new(
                &path,
                1,
                "cannot read this page's slug and source; ingest will not overwrite it",
            ));
            continue;
        };
        pages.slugs.insert(stub.slug.clone());
        if let Some(source) = stub.source {
            let key = source_key(&source.file, source.part.unwrap_or(0));
            pages.by_key.insert(
                key,
                ExistingPage {
                    path,
                    slug: stub.slug,
                },
            );
        }
    }
    pages
}

/// New pages whose slug clashes with another page get `-2`, `-3`, …; pages that already have an
/// address keep it.
pub fn assign_unique_slugs(pages: &mut [Page], existing: &ExistingPages) {
    let mut taken: BTreeSet<String> = existing.slugs.clone();
    let keyed: Vec<bool> = pages
        .iter()
        .map(|p| existing.by_key.contains_key(&page_key(p)))
        .collect();
    for (page, known) in pages.iter().zip(&keyed) {
        if *known {
            taken.insert(page.front.slug.clone());
        }
    }
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for (page, known) in pages.iter_mut().zip(&keyed) {
        if *known {
            continue;
        }
        let base = page.front.slug.clone();
        let mut slug = base.clone();
        let mut n = 2;
        while taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(slug.clone());
        if slug != base {
            renamed.insert(base, slug.clone());
        }
        page.front.slug = slug;
    }
    // Keep host ↔ embedded references pointing at the final slugs.
    let slugs_by_file: BTreeMap<(String, usize), String> = pages
        .iter()
        .map(|p| {
            (
                (
                    p.front.source.file.clone(),
                    p.front.source.part.unwrap_or(0),
                ),
                p.front.slug.clone(),
            )
        })
        .collect();
    for page in pages.iter_mut() {
        let file = page.front.source.file.clone();
        if page.front.source.part.is_some() {
            page.front.source.part_of = slugs_by_file.get(&(file.clone(), 0)).cloned();
        }
        let mut contains = Vec::new();
        let mut part = 1;
        while let Some(slug) = slugs_by_file.get(&(file.clone(), part)) {
            contains.push(slug.clone());
            part += 1;
        }
        if page.front.source.part.is_none() {
            page.front.contains = contains;
        }
    }
}

fn page_key(page: &Page) -> String {
    source_key(&page.front.source.file, page.front.source.part.unwrap_or(0))
}

/// Write each page unless that would lose a person's edit.
pub fn write_pages(
    dir: &Path,
    pages: &[Page],
    existing: &ExistingPages,
    options: &IngestOptions,
    summary: &mut IngestSummary,
) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::new(dir, 0, format!("cannot create folder: {e}")))?;
    for page in pages {
        let text = annotated::write(page).map_err(|e| {
            Diagnostic::new(dir, 0, format!("cannot write front matter: {}", e.message))
        })?;
        let path = existing
            .by_key
            .get(&page_key(page))
            .map(|p| p.path.clone())
            .unwrap_or_else(|| dir.join(format!("{}.md", page.front.slug)));
        match std::fs::read_to_string(&path) {
            Ok(old) if old == text => {
                summary.unchanged.push(path);
                continue;
            }
            Ok(old) if annotated::provenance(&old) != Provenance::Generated => {
                if !options.force {
                    summary.warnings.push(Diagnostic::new(
                        &path,
                        0,
                        "edited by a person since ingest wrote it, so left as it is; run `findings ingest --force` to overwrite it (a backup is saved first)",
                    ));
                    summary.kept_edited.push(path);
                    continue;
                }
                let backup = backup_path(&path);
                atomic_write(&backup, &old)?;
                summary.backups.push(backup);
            }
            _ => {}
        }
        atomic_write(&path, &text)?;
        summary.written.push(path);
    }
    Ok(())
}

/// `<page>.md.bak`, or `.bak2`, `.bak3`, … so an earlier backup is never overwritten.
fn backup_path(path: &Path) -> PathBuf {
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            ".bak".to_string()
        } else {
            format!(".bak{n}")
        };
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let candidate = PathBuf::from(name);
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// Write to a temporary file beside `path`, then rename it into place.
pub fn atomic_write(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| Diagnostic::new(path, 0, format!("cannot write: {e}")))
}
