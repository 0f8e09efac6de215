//! `findings dev corpus`: a synthetic archive of any size for benchmarks, made by recombining the
//! real seeds' ingested text, deterministic for a given seed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::rng::SplitMix64;
use super::synth::Pool;
use crate::annotated::{self, Page};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::ingest::{self, IngestOptions};

/// What to generate and where.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// The site whose `seeds/`, `themes/` and `content/pages/` the corpus is made from.
    pub root: PathBuf,
    /// A new or empty folder; it becomes a complete site folder.
    pub out: PathBuf,
    pub reports: usize,
    pub seed: u64,
}

/// What a run wrote.
#[derive(Debug)]
pub struct CorpusSummary {
    pub reports: usize,
    /// Real reports the corpus was recombined from.
    pub sources: usize,
    /// Total size of the report pages written.
    pub bytes: u64,
}

/// Why a corpus could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error(
        "{0} already holds files; give --out a new or empty folder so generated pages do not mix with others"
    )]
    OutputNotEmpty(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("ingesting the seeds to recombine failed: {0}")]
    Ingest(Diagnostic),
    #[error(
        "no report came out of ingesting {0}; put the documents' extracted text there as .txt files"
    )]
    NoSources(PathBuf),
    #[error("{path}: {message}")]
    Page { path: PathBuf, message: String },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> CorpusError + '_ {
    move |source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write `options.reports` synthetic reports, with `site.toml` and themes, into `options.out`.
pub fn generate(options: &CorpusOptions) -> Result<CorpusSummary, CorpusError> {
    check_empty(&options.out)?;
    let sources = ingest_sources(&options.root)?;
    let source_count = sources.len();
    let pool = Pool::new(sources);
    if pool.is_empty() {
        return Err(CorpusError::NoSources(options.root.join("seeds")));
    }
    write_site_files(options)?;
    let reports_dir = options.out.join("content").join("reports");
    std::fs::create_dir_all(&reports_dir).map_err(io_error(&reports_dir))?;
    let rng = SplitMix64::new(options.seed);
    let mut slugs = BTreeSet::new();
    let mut bytes = 0;
    for index in 0..options.reports {
        let Some(mut page) = pool.synthesise(&mut rng.fork(index as u64), index) else {
            break;
        };
        page.front.slug = unique_slug(&page.front.slug, &mut slugs);
        bytes += write_page(&reports_dir, &page)?;
    }
    Ok(CorpusSummary {
        reports: slugs.len(),
        sources: source_count,
        bytes,
    })
}

fn check_empty(out: &Path) -> Result<(), CorpusError> {
    match std::fs::read_dir(out) {
        Ok(entries) => match entries.count() {
            0 => Ok(()),
            _ => Err(CorpusError::OutputNotEmpty(out.to_path_buf())),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(out)(e)),
    }
}

/// `slug`, or `slug-2`, `slug-3`, … when another report already has it (ingest's convention).
fn unique_slug(slug: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = slug.to_string();
    let mut n = 1;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{slug}-{n}");
    }
    used.insert(candidate.clone());
    candidate
}

fn write_page(dir: &Path, page: &Page) -> Result<u64, CorpusError> {
    let path = dir.join(format!("{}.md", page.front.slug));
    let text = annotated::write(page).map_err(|e| CorpusError::Page {
        path: path.clone(),
        message: e.to_string(),
    })?;
    std::fs::write(&path, &text).map_err(io_error(&path))?;
    Ok(text.len() as u64)
}

/// The real reports: the root's seeds ingested into a scratch site, so the corpus never depends
/// on what happens to be in `content/`, then parsed back.
fn ingest_sources(root: &Path) -> Result<Vec<Page>, CorpusError> {
    let scratch = Scratch::new()?;
    copy_files(&root.join("seeds"), &scratch.0.join("seeds"))?;
    copy_files(&root.join("themes"), &scratch.0.join("themes"))?;
    let site_toml = root.join("site.toml");
    if site_toml.is_file() {
        let to = scratch.0.join("site.toml");
        std::fs::copy(&site_toml, &to).map_err(io_error(&to))?;
    }
    let config = Config::load(&scratch.0, None).map_err(CorpusError::Ingest)?;
    ingest::run(&config, &IngestOptions::default()).map_err(CorpusError::Ingest)?;
    read_pages(&config.reports_dir())
}

fn read_pages(dir: &Path) -> Result<Vec<Page>, CorpusError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_error(dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(io_error(path))?;
            annotated::parse(&text).map_err(|errs| CorpusError::Page {
                path: path.clone(),
                message: errs
                    .first()
                    .map_or_else(String::new, |e| format!("{}: {}", e.line, e.message)),
            })
        })
        .collect()
}

/// The files (not folders) of `from` copied into `to`.
fn copy_files(from: &Path, to: &Path) -> Result<(), CorpusError> {
    std::fs::create_dir_all(to).map_err(io_error(to))?;
    for entry in std::fs::read_dir(from).map_err(io_error(from))? {
        let path = entry.map_err(io_error(from))?.path();
        if path.is_file()
            && let Some(name) = path.file_name()
        {
            let target = to.join(name);
            std::fs::copy(&path, &target).map_err(io_error(&target))?;
        }
    }
    Ok(())
}

/// `site.toml`, the themes the paragraphs are tagged with, and the hand-written pages.
fn write_site_files(options: &CorpusOptions) -> Result<(), CorpusError> {
    let out = &options.out;
    std::fs::create_dir_all(out).map_err(io_error(out))?;
    let site_toml = out.join("site.toml");
    let text = format!(
        "# Written by `findings dev corpus`: synthetic reports recombined from real ones, for benchmarks.\n\
         title = \"Synthetic findings archive\"\n\
         description = \"{} synthetic reports (seed {}) recombined from real inspection documents; not real findings.\"\n\
         base_url = \"/\"\n\
         output_dir = \"public\"\n\
         language = \"en-GB\"\n",
        options.reports, options.seed
    );
    std::fs::write(&site_toml, text).map_err(io_error(&site_toml))?;
    copy_files(&options.root.join("themes"), &out.join("themes"))?;
    let pages = options.root.join("content").join("pages");
    if pages.is_dir() {
        copy_files(&pages, &out.join("content").join("pages"))?;
    }
    Ok(())
}

/// A scratch folder removed when dropped, so a failed run leaves nothing behind.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, CorpusError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path =
            std::env::temp_dir().join(format!("findings-corpus-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(io_error(&path))?;
        Ok(Scratch(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover scratch folder in the temp dir is harmless.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn repo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn generate_into(dir: &Path, reports: usize, seed: u64) -> CorpusSummary {
        generate(&CorpusOptions {
            root: repo(),
            out: dir.to_path_buf(),
            reports,
            seed,
        })
        .unwrap()
    }

    fn files(dir: &Path) -> BTreeMap<String, String> {
        let reports = dir.join("content").join("reports");
        std::fs::read_dir(reports)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect()
    }

    fn paragraph_count(page: &Page) -> usize {
        page.blocks
            .iter()
            .filter(|b| matches!(b, annotated::Block::Paragraph { .. }))
            .count()
    }

    /// One test, so the seeds are ingested only a few times: generation is deterministic, the
    /// output loads without errors, and the reports look like real ones.
    #[test]
    fn corpus_is_deterministic_valid_and_varied() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let c = tempfile::tempdir().unwrap();
        let summary = generate_into(a.path(), 20, 7);
        generate_into(b.path(), 20, 7);
        generate_into(c.path(), 20, 8);
        assert_eq!(summary.reports, 20);
        assert_eq!(files(a.path()), files(b.path()));
        assert_ne!(files(a.path()), files(c.path()));

        let config = Config::load(a.path(), None).unwrap();
        let site = crate::load::load(&config).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(site.reports.len(), 20);
        let authorities: BTreeSet<&str> = site
            .reports
            .iter()
            .map(|r| r.meta.authority.as_str())
            .collect();
        assert!(authorities.len() > 10, "{authorities:?}");
        let kinds: BTreeSet<_> = site.reports.iter().map(|r| r.meta.kind).collect();
        assert!(kinds.len() >= 3, "{kinds:?}");
        let real = ingest_sources(&repo()).unwrap();
        let shapes: BTreeSet<_> = real
            .iter()
            .map(|p| {
                (
                    p.front.kind,
                    paragraph_count(p),
                    p.front.recommendations.len(),
                )
            })
            .collect();
        for r in &site.reports {
            let shape = (
                r.meta.kind,
                r.paragraphs().count(),
                r.meta.recommendations.len(),
            );
            assert!(shapes.contains(&shape), "{}: {shape:?}", r.slug());
            let texts: Vec<&str> = r.paragraphs().map(|p| p.text.as_str()).collect();
            let distinct: BTreeSet<&str> = texts.iter().copied().collect();
            assert!(
                distinct.len() * 10 >= texts.len() * 9,
                "{}: {} of {} paragraphs distinct",
                r.slug(),
                distinct.len(),
                texts.len()
            );
        }
    }

    #[test]
    fn refuses_a_folder_with_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
        let err = generate(&CorpusOptions {
            root: repo(),
            out: dir.path().to_path_buf(),
            reports: 1,
            seed: 1,
        })
        .unwrap_err();
        assert!(matches!(err, CorpusError::OutputNotEmpty(_)), "{err}");
    }

    #[test]
    fn slugs_get_suffixes() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_slug("a", &mut used), "a");
        assert_eq!(unique_slug("a", &mut used), "a-2");
    }
}
