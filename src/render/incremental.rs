//! Incremental rebuilds: which pages the previous build already wrote exactly as this build
//! would, so they need not be rendered again.
//!
//! Each report gets a fingerprint of everything its pages show: its own content, the documents
//! it links to and sits between, and the site-wide inputs (settings, templates, themes, this
//! program). A page whose fingerprint matches the one recorded for it last time, and whose file
//! is still there, is kept. The cache is a plain list beside the output folder
//! (`.public.findings-cache`); losing it only makes the next build a full one.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHasher};

use super::splice::{self, Layout, Placed, Stamp};
use super::view::Lookup;
use crate::model::Report;

/// The pages recorded by the previous build and those recorded by this one, and where the parts
/// of the large files lie (see `splice`).
pub struct PageCache {
    file: PathBuf,
    layouts_file: PathBuf,
    output: PathBuf,
    old: HashMap<String, u64>,
    new: Mutex<BTreeMap<String, u64>>,
    old_layouts: HashMap<String, Layout>,
    new_layouts: Mutex<BTreeMap<String, Vec<Placed>>>,
    /// The layouts of the spares this build leaves (see `splice`), stamped as they were read.
    new_spares: Mutex<BTreeMap<String, Layout>>,
}

/// How a spare's layout is named in the layouts file, before the path of the file it spares.
const SPARE: &str = "spare of ";

impl PageCache {
    /// The cache of the output folder `output`; empty when `updating` is false (a fresh build).
    pub fn open(output: &Path, updating: bool) -> PageCache {
        let file = super::output::beside(output, "findings-cache");
        let read = |file: &Path| std::fs::read_to_string(file).ok().filter(|_| updating);
        let old = read(&file).map(|text| parse(&text)).unwrap_or_default();
        let layouts_file = super::output::beside(output, "findings-parts");
        let old_layouts = read(&layouts_file)
            .and_then(|text| splice::parse(&text))
            .unwrap_or_default();
        PageCache {
            file,
            layouts_file,
            output: output.to_path_buf(),
            old,
            new: Mutex::new(BTreeMap::new()),
            old_layouts,
            new_layouts: Mutex::new(BTreeMap::new()),
            new_spares: Mutex::new(BTreeMap::new()),
        }
    }

    /// Where the parts of the file at `path` lay in the previous build.
    pub fn layout(&self, path: &str) -> Option<&Layout> {
        self.old_layouts.get(path)
    }

    /// Where the parts of the spare of the file at `path` lay when it was left.
    pub fn spare_layout(&self, path: &str) -> Option<&Layout> {
        self.old_layouts.get(&format!("{SPARE}{path}"))
    }

    /// Note the layout of the spare of the file at `path` that this build leaves: `layout` is
    /// the earlier build's file, which becomes the spare as it is replaced, or the spare kept.
    pub fn record_spare(&self, path: &str, layout: Layout) {
        self.new_spares
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), layout);
    }

    /// Note where the parts of the file at `path` lie now.
    pub fn record_layout(&self, path: &str, parts: Vec<Placed>) {
        self.new_layouts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), parts);
    }

    /// Whether the page at `path` was written last time from inputs with this fingerprint.
    pub fn unchanged(&self, path: &str, fingerprint: u64) -> bool {
        self.old.get(path) == Some(&fingerprint) && self.output.join(path).is_file()
    }

    /// Note that the page at `path` now stands for inputs with this fingerprint.
    pub fn record(&self, path: &str, fingerprint: u64) {
        self.new
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), fingerprint);
    }

    /// Write the cache for the next build. Called only after the output was committed; if it
    /// cannot be written the stale one is removed, so the next build is a full one.
    pub fn save(self) {
        let new = self.new.into_inner().unwrap_or_else(|e| e.into_inner());
        let text: String = new
            .iter()
            .map(|(path, fp)| format!("{fp:016x} {path}\n"))
            .collect();
        if std::fs::write(&self.file, text).is_err() {
            let _ = std::fs::remove_file(&self.file);
        }
        let new = self
            .new_layouts
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        // Stamped now that the files are in place, so the next build can tell they still are.
        let layouts: Vec<(String, Layout)> = new
            .into_iter()
            .filter_map(|(path, parts)| {
                let stamp = Stamp::of(&self.output.join(&path))?;
                Some((path, Layout { parts, stamp }))
            })
            .collect();
        // A spare is recorded only as the very file it was: the stamp it had when its layout
        // was read must still be its stamp now that it is in place.
        let spares = self
            .new_spares
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let spares = spares.into_iter().filter_map(|(path, layout)| {
            let here = super::output::spare_path(&self.output, &path);
            (Stamp::of(&here) == Some(layout.stamp)).then(|| (format!("{SPARE}{path}"), layout))
        });
        let layouts: Vec<(String, Layout)> = layouts.into_iter().chain(spares).collect();
        let text = splice::to_text(layouts.iter().map(|(p, l)| (p.as_str(), l)));
        if std::fs::write(&self.layouts_file, text).is_err() {
            let _ = std::fs::remove_file(&self.layouts_file);
        }
    }
}

fn parse(text: &str) -> HashMap<String, u64> {
    text.lines()
        .filter_map(|line| {
            let (fp, path) = line.split_once(' ')?;
            Some((path.to_string(), u64::from_str_radix(fp, 16).ok()?))
        })
        .collect()
}

/// Fingerprints of what each report's pages depend on, by slug. They are hashed with the same
/// fast hash as the stage caches' keys: std's SipHash, made to resist chosen keys, was a sixtieth
/// of a rebuild's time here, and these inputs come from the site's own files.
pub struct Fingerprints {
    pub global: u64,
    by_report: HashMap<String, u64>,
    /// Each report's own content, without what it links to or the site-wide inputs.
    content: HashMap<String, u64>,
}

impl Fingerprints {
    /// `global` covers the site-wide inputs; see `global`. `keys` are the load stage's keys of
    /// the reports (by report), which stand for their content: each covers the report's file
    /// text and path and the settings and themes it was read with, and the program is in
    /// `global`. Hashing the reports' text again instead took a tenth of a rebuild's render.
    pub fn new(lookup: &Lookup, keys: &[u64], global: u64) -> Fingerprints {
        let own: HashMap<&str, u64> = lookup
            .site
            .reports
            .iter()
            .zip(keys)
            .map(|(r, &key)| (r.slug(), key))
            .collect();
        let by_report = lookup
            .site
            .reports
            .par_iter()
            .map(|r| (r.slug().to_string(), depends_on(lookup, r, &own, global)))
            .collect();
        let content = own.iter().map(|(s, c)| (s.to_string(), *c)).collect();
        Fingerprints {
            global,
            by_report,
            content,
        }
    }

    /// The fingerprint of report `slug`'s own content, as loaded.
    pub fn content(&self, slug: &str) -> u64 {
        self.content.get(slug).copied().unwrap_or_default()
    }

    /// The fingerprint of report `slug`'s pages (its page, its recommendations' pages).
    pub fn report(&self, slug: &str) -> u64 {
        self.by_report.get(slug).copied().unwrap_or_default()
    }

    /// The pages' fingerprints of `reports`, in order: for a page that lists them with their
    /// recommendations and cross-links (an authority's page, a theme page, the tracker), all of
    /// which these cover.
    pub fn reports<'a>(&self, reports: impl IntoIterator<Item = &'a Report>) -> Vec<u64> {
        reports.into_iter().map(|r| self.report(r.slug())).collect()
    }

    /// A fingerprint of `parts`, for pages made from several reports (a theme page).
    pub fn combine(&self, parts: impl Hash) -> u64 {
        let mut h = FxHasher::default();
        self.global.hash(&mut h);
        parts.hash(&mut h);
        h.finish()
    }
}

/// The site-wide inputs: settings, templates, themes, hand-written pages and this program.
pub fn global(settings: &str, templates: u64, themes: &str, pages: &str) -> u64 {
    let mut h = FxHasher::default();
    (settings, templates, themes, pages).hash(&mut h);
    crate::site::cache::program().hash(&mut h);
    h.finish()
}

/// Everything `report`'s pages show: itself, and of the documents its links and recommendations
/// point to and its neighbours by date, only how they are named. A change to another document's
/// text reaches these pages only where it renames a part they link to.
fn depends_on(lookup: &Lookup, report: &Report, own: &HashMap<&str, u64>, global: u64) -> u64 {
    let mut h = FxHasher::default();
    global.hash(&mut h);
    own.get(report.slug()).hash(&mut h);
    for to in lookup.links(report.slug(), None) {
        to.link.hash(&mut h);
        to.report.map(naming).hash(&mut h);
        if let Some(name) = lookup.to_part_name(to) {
            name.hash(&mut h);
        }
    }
    let (earlier, later) = lookup.neighbours(report);
    for r in [earlier, later] {
        r.map(naming).hash(&mut h);
    }
    for rec in &report.meta.recommendations {
        if let Some(source) = rec.quoted_from.as_ref().and_then(|q| q.report.as_deref()) {
            lookup.report(source).is_some().hash(&mut h);
        }
    }
    h.finish()
}

/// What a page shows of a document it links to or lists: its address, title, kind, authority
/// and date (see `view::DocRef` and `view::RelatedView`).
fn naming(report: &Report) -> (&str, &str, &str, &str, &str) {
    let meta = &report.meta;
    (
        report.slug(),
        &meta.title,
        meta.kind.label(),
        &meta.authority,
        &meta.date,
    )
}

/// A fingerprint of `value` as JSON, for values made to be handed to a template.
pub fn hash_json(value: &impl serde::Serialize) -> u64 {
    let mut h = FxHasher::default();
    if serde_json::to_writer(HashWriter(&mut h), value).is_err() {
        u64::MAX.hash(&mut h);
    }
    h.finish()
}

struct HashWriter<'a, H>(&'a mut H);

impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
