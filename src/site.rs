//! The build, stage by stage: load → search index → link → render, then commit; a rebuild after
//! a few changes updates the index on a thread of its own from the end of loading, beside linking
//! and then the pages. Each stage is timed for `--verbose`.

pub mod cache;
pub mod memory;

use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::Diagnostics;
use crate::model::Site;

/// How long each stage took, in order.
#[derive(Debug, Default)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

/// What a build produced.
#[derive(Debug)]
pub struct BuildSummary {
    pub reports: usize,
    pub themes: usize,
    pub links: usize,
    /// Files changed, unchanged and removed compared with the previous build.
    pub written: crate::render::output::Written,
    pub timings: Timings,
    /// The model the site was built from. Freeing its hundreds of thousands of small strings
    /// takes 50-80 ms at 1,000 reports, so a caller about to exit may `std::mem::forget` it.
    pub site: Site,
}

fn timed<T>(timings: &mut Timings, name: &'static str, stage: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = stage();
    timings.0.push((name, start.elapsed()));
    out
}

/// Where the stage caches of one output folder live, for this program.
struct StageCaches {
    folder: std::path::PathBuf,
    program: u64,
}

impl StageCaches {
    fn new(output: &std::path::Path) -> StageCaches {
        StageCaches {
            folder: cache::folder(output),
            program: cache::program(),
        }
    }

    fn previous(&self, stage: &str) -> cache::Previous {
        cache::Previous::open(&self.folder.join(stage), self.program)
    }

    /// The stage's new cache, continuing `previous`, written now so the entries need not be
    /// kept until the build ends.
    fn next(
        &self,
        stage: &str,
        previous: &cache::Previous,
        entries: &cache::Entries,
    ) -> cache::Next {
        let mut next = cache::Next::create(&self.folder.join(stage), self.program, previous);
        next.put_all(entries);
        next
    }
}

/// Build the site into `config.output_dir`; on any error the previous output is left untouched.
pub fn build(config: &Config) -> Result<BuildSummary, Diagnostics> {
    build_with_progress(config, &mut |_| {})
}

/// `build`, telling `on_stage` the name of each stage as it starts (for a progress display).
pub fn build_with_progress(
    config: &Config,
    on_stage: &mut dyn FnMut(&'static str),
) -> Result<BuildSummary, Diagnostics> {
    let mut timings = Timings::default();
    let caches = StageCaches::new(&config.output_dir);
    let search_previous = caches.previous("search");
    // A build over a whole earlier one is most likely a rebuild after a few changes, which
    // touches its memory once and sparsely (see `memory`).
    let small_pages = crate::search::can_update(&search_previous).then(memory::SmallPages::begin);
    crate::trace::point("build: begins");
    on_stage("loading content");
    let (mut site, keys, stated, load_cache) = timed(&mut timings, "load", || {
        let previous = caches.previous("load");
        let (site, keys, entries) = crate::load::load_reusing(config, &previous)?;
        let stated = crate::link::stated_links(&site.reports)?;
        Ok::<_, Diagnostics>((site, keys, stated, caches.next("load", &previous, &entries)))
    })?;
    crate::trace::point("build: loaded");
    // The index's files go straight into the staging folder the pages are then written to.
    let staging = crate::render::stage(config).map_err(|d| Diagnostics(vec![d]))?;
    let updates_in_place = crate::search::updates_in_place(&keys, &search_previous);
    if !updates_in_place {
        // Many reports changed: the rest is a full build after all.
        drop(small_pages);
    }
    // The index is written on a thread of its own beside cross-linking and then the pages (it
    // does not use the cross-links), all taking work from the one thread pool. Each stage keeps
    // both cores busy for most of its time but not all of it, and the other fills the gaps: at
    // 1,000 reports a full build took 3.1 s against 3.2 s with the index made first (median of
    // six alternating pairs), for 20 MB more at the peak (270 MB at 10,000 reports, 2.3 GB in
    // all). In a rebuild after a few changes the index is updated mostly on one core, from as
    // soon as the reports are loaded, while the pages are mostly checked and kept.
    on_stage("writing the search index and pages");
    let (searched, link_cache, rendered) = std::thread::scope(|scope| {
        let (reports, themes) = (&site.reports, &site.themes);
        let (caches, keys, staging) = (&caches, &keys, &staging);
        let searched = scope.spawn(move || {
            let start = Instant::now();
            // Owned by this thread, so the earlier index's cache (440 MB at 10,000 reports) is
            // let go once the index is written, not held while the pages are made.
            let previous = search_previous;
            let mut next = caches.next("search", &previous, &Vec::new());
            let searched = crate::search::write_reusing(
                reports,
                themes,
                keys,
                &previous,
                &mut |entries| next.put_all(&entries),
                staging,
            )
            .map(|_| next)
            .map_err(|d| Diagnostics(vec![d]));
            (searched, start.elapsed())
        });
        let (links, link_cache) = timed(&mut timings, "link", || {
            let previous = caches.previous("link");
            let (links, entries) = crate::link::link(&site.reports, keys, &previous, stated);
            (links, caches.next("link", &previous, &entries))
        });
        site.links = links;
        crate::trace::point("build: linked");
        let start = Instant::now();
        let rendered = crate::render::render_into(&site, keys, staging, config);
        let rendered = (rendered, start.elapsed());
        let searched = searched
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (searched, link_cache, rendered)
    });
    timings.0.push(("search", searched.1));
    timings.0.push(("render", rendered.1));
    crate::trace::point("build: search index and pages written");
    let search_cache = searched.0?;
    let rendered = rendered.0.map_err(|d| Diagnostics(vec![d]))?;
    let written = timed(&mut timings, "commit", || {
        crate::render::commit(staging, rendered).map_err(|d| Diagnostics(vec![d]))
    })?;
    crate::trace::point("build: rendered");
    for next in [load_cache, link_cache, search_cache] {
        next.commit();
    }
    Ok(BuildSummary {
        reports: site.reports.len(),
        themes: site.themes.len(),
        links: site.links.len(),
        written,
        timings,
        site,
    })
}

/// Build only the search index of the site at `config` and write its files below `out` (a new or
/// empty folder), for timing the index on its own. Returns how many files were written.
pub fn build_search_index(
    config: &Config,
    out: &std::path::Path,
) -> Result<(usize, Timings), Diagnostics> {
    let mut timings = Timings::default();
    let site: Site = timed(&mut timings, "load", || crate::load::load(config))?;
    let one = |d: crate::error::Diagnostic| Diagnostics(vec![d]);
    if std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(one(crate::error::Diagnostic::new(
            out,
            0,
            "is not empty; give a new or empty folder for the search index".to_string(),
        )));
    }
    let write = |path: &str, text: &str| {
        crate::render::output::write_file(&out.join(path), text.as_bytes())
    };
    let files = timed(&mut timings, "search", || {
        crate::search::write_reusing(
            &site.reports,
            &site.themes,
            &vec![0; site.reports.len()],
            &cache::Previous::default(),
            &mut |_| {},
            &write,
        )
        .map_err(one)
    })?;
    Ok((files, timings))
}
