//! Load: `content/reports/*.md`, `themes/*.yaml` → the validated model, with every problem reported
//! together, each naming file, line and what to do.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rayon::prelude::*;

use crate::annotated::{self, Block};
use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use crate::model::{FrontMatter, Paragraph, Report, Section, Site};
use crate::site::cache;

mod parsed;

/// Load and validate the whole site.
pub fn load(config: &Config) -> Result<Site, Diagnostics> {
    load_with_keys(config).map(|(site, _)| site)
}

/// `load`, with a fingerprint per report (in `site.reports` order) of everything it was loaded
/// from, by which later stages reuse the previous build's work on it.
pub fn load_with_keys(config: &Config) -> Result<(Site, Vec<u64>), Diagnostics> {
    load_reusing(config, &cache::Previous::default()).map(|(site, keys, _)| (site, keys))
}

/// `load_with_keys`, taking each page's front matter from `previous` when its YAML text is the
/// same, and returning the entries for the next build's cache. YAML is slow to read (about 30 MB
/// a second here, a third of loading 1,000 reports); its value kept as JSON reads back many times
/// faster. An unchanged page's body is read back from what parsing it last time found (see
/// `parsed`) rather than parsed again.
pub fn load_reusing<'p>(
    config: &Config,
    previous: &'p cache::Previous,
) -> Result<(Site, Vec<u64>, cache::Entries<'p>), Diagnostics> {
    let mut errors = Vec::new();
    let themes = match crate::themes::load_themes(&config.themes_dir()) {
        Ok(t) => t,
        Err(e) => {
            errors.extend(e);
            Vec::new()
        }
    };
    // Later stages do not read settings or themes in what they cache today, but a key covers
    // them so that a change in what they read can never reuse stale work.
    let inputs = cache::key((config.settings_text(), format!("{themes:?}")));
    let fronts = std::sync::Mutex::new(cache::Entries::new());
    let read_front = |front_text: &str| -> Result<FrontMatter, crate::yaml::YamlError> {
        let (entry, front) = front_matter(front_text, previous)?;
        if !entry.1.is_empty() {
            fronts.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
        }
        Ok(front)
    };
    let known: BTreeSet<&str> = themes.iter().map(|t| t.slug.as_str()).collect();
    // Pages are independent, so they are read, parsed and their theme tags checked in parallel;
    // results keep file order. Tags are checked while the page just parsed is still in the
    // processor's cache: checked afterwards, one report after another, they took a tenth of a
    // rebuild's loading.
    let loaded: Vec<Result<Loaded, Vec<Diagnostic>>> = report_files(&config.reports_dir())
        .par_iter()
        .map(|path| {
            let shown = path.strip_prefix(&config.root).unwrap_or(path);
            let text = read_page(path).map_err(|e| vec![e.at(shown)])?;
            let key = cache::key((inputs, shown, &text));
            let (report, unknown, kept) =
                parsed_report(&text, shown, key, previous, &read_front, &known)?;
            Ok((report, key, unknown, kept))
        })
        .collect();
    let mut entries = fronts.into_inner().unwrap_or_else(|e| e.into_inner());
    // The same front matter twice (copied pages) is one entry.
    entries.sort_unstable_by_key(|(key, _)| *key);
    entries.dedup_by_key(|(key, _)| *key);
    let mut reports = Vec::with_capacity(loaded.len());
    for result in loaded {
        match result {
            Ok((report, key, unknown, kept)) => {
                reports.push((report, key));
                errors.extend(unknown);
                entries.extend(kept);
            }
            Err(e) => errors.extend(e),
        }
    }
    let only: Vec<&Report> = reports.iter().map(|(r, _)| r).collect();
    errors.extend(check_duplicate_slugs(&only));
    if !errors.is_empty() {
        return Err(Diagnostics::sorted(errors));
    }
    reports.sort_by(|(a, _), (b, _)| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.meta.slug.cmp(&b.meta.slug))
    });
    let (reports, keys) = reports.into_iter().unzip();
    let site = Site {
        reports,
        themes,
        links: Vec::new(),
    };
    Ok((site, keys, entries))
}

/// Why a page could not be read, to be named with its path.
enum Unreadable {
    Io(std::io::Error),
    /// Not UTF-8: the line and byte where it stops being so.
    NotUtf8 {
        line: usize,
        byte: usize,
    },
}

impl Unreadable {
    fn at(self, path: &Path) -> Diagnostic {
        match self {
            Unreadable::Io(e) => Diagnostic::new(path, 0, format!("cannot read: {e}")),
            Unreadable::NotUtf8 { line, byte } => Diagnostic::new(
                path,
                line,
                format!(
                    "is not UTF-8 text (byte {byte} of the file): save it with the UTF-8 encoding, as `findings ingest` writes it"
                ),
            ),
        }
    }
}

/// The text of the page at `path`.
fn read_page(path: &Path) -> Result<String, Unreadable> {
    let bytes = std::fs::read(path).map_err(Unreadable::Io)?;
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..byte].iter().filter(|&&b| b == b'\n').count();
        Unreadable::NotUtf8 { line, byte }
    })
}

/// A page read: its report, its key, the unknown themes it tags, and the entry that keeps its
/// parsed body for the next build.
type Loaded<'p> = (Report, u64, Vec<Diagnostic>, Option<Entry<'p>>);

/// The report on the page `text` whose key is `key`: read back from `previous` when it holds
/// this page's parsed body (see `parsed`), else parsed and its theme tags checked against
/// `known`. Also the tags that are not known, and the entry that keeps the body.
fn parsed_report<'p>(
    text: &str,
    path: &Path,
    key: u64,
    previous: &'p cache::Previous,
    front: &(dyn Fn(&str) -> Result<FrontMatter, crate::yaml::YamlError> + Sync),
    known: &BTreeSet<&str>,
) -> Result<(Report, Vec<Diagnostic>, Option<Entry<'p>>), Vec<Diagnostic>> {
    let body_key = cache::key(("parsed page", key));
    if let Some(bytes) = previous.get(body_key)
        && let Some(report) = parsed::decode(bytes, text, &path.to_string_lossy(), |yaml| {
            front(yaml).ok()
        })
    {
        // It loaded without errors last time, under these very themes (the key covers them),
        // so its tags are known ones.
        let kept = (body_key, std::borrow::Cow::Borrowed(bytes));
        return Ok((report, Vec::new(), Some(kept)));
    }
    let report = parse_report(text, path, front)?;
    let unknown = check_themes(&report, known);
    let kept =
        parsed::encode(&report, text).map(|bytes| (body_key, std::borrow::Cow::Owned(bytes)));
    Ok((report, unknown, kept))
}

/// A cache entry: a front matter's (the key of its YAML text, and its value as JSON) or a
/// parsed body's (see `parsed`).
type Entry<'p> = (u64, std::borrow::Cow<'p, [u8]>);

/// A page's front matter from its YAML text: from `previous` when it holds the value of this
/// very text, else read as YAML. Also the entry that keeps it for the next build.
fn front_matter<'p>(
    text: &str,
    previous: &'p cache::Previous,
) -> Result<(Entry<'p>, FrontMatter), crate::yaml::YamlError> {
    let key = cache::key(("front matter", text));
    if let Some(bytes) = previous.get(key)
        && let Ok(front) = serde_json::from_slice(bytes)
    {
        return Ok(((key, std::borrow::Cow::Borrowed(bytes)), front));
    }
    let front: FrontMatter = crate::yaml::from_str(text)?;
    // Front matter that cannot be written as JSON is simply not kept.
    let json = serde_json::to_vec(&front).unwrap_or_default();
    Ok(((key, std::borrow::Cow::Owned(json)), front))
}

fn report_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    paths
}

/// Parse one page into a report.
pub fn load_report(text: &str, path: &Path) -> Result<Report, Vec<Diagnostic>> {
    parse_report(text, path, &crate::yaml::from_str)
}

/// `load_report`, with the front matter's YAML text read by `front`.
fn parse_report(
    text: &str,
    path: &Path,
    front: &(dyn Fn(&str) -> Result<FrontMatter, crate::yaml::YamlError> + Sync),
) -> Result<Report, Vec<Diagnostic>> {
    let page = annotated::parse_with(text, front).map_err(|errs| {
        errs.into_iter()
            .map(|e| Diagnostic::new(path, e.line, e.message).at_column(e.column))
            .collect::<Vec<_>>()
    })?;
    let mut errors = Vec::new();
    // Each section's paragraphs, counted first so every list is made at its final size: grown
    // by doubling, the lists held a third more than their paragraphs, and at 1,000 reports that
    // spare room was 11 MB of fresh memory (each page of it a fault) in every build.
    let mut counts = vec![0];
    for block in &page.blocks {
        match block {
            Block::Heading { .. } => counts.push(0),
            Block::Paragraph { .. } => {
                if let Some(n) = counts.last_mut() {
                    *n += 1;
                }
            }
            Block::Footnote { .. } => {}
        }
    }
    let mut counts = counts.into_iter();
    let mut sections = Vec::with_capacity(counts.len());
    sections.push(Section {
        heading: None,
        anchor: None,
        level: 2,
        paragraphs: Vec::with_capacity(counts.next().unwrap_or_default()),
    });
    let mut footnotes = Vec::new();
    // The line of each section's heading (none for the first), to name it in an error.
    let mut heading_lines = vec![0];
    for block in page.blocks {
        match block {
            Block::Heading {
                level,
                text,
                anchor,
                line,
            } => {
                heading_lines.push(line);
                sections.push(Section {
                    heading: Some(text),
                    anchor: Some(anchor),
                    level,
                    paragraphs: Vec::with_capacity(counts.next().unwrap_or_default()),
                });
            }
            Block::Paragraph {
                anchor,
                text,
                themes,
                bullet,
                line,
            } => {
                let number = annotated::number_of_anchor(&anchor);
                if let Some(section) = sections.last_mut() {
                    section.paragraphs.push(Paragraph {
                        anchor,
                        number,
                        plain: crate::markup::is_plain_paragraph(&text),
                        text,
                        themes,
                        bullet,
                        line,
                    });
                }
            }
            Block::Footnote { label, text, .. } => footnotes.push((label, text)),
        }
    }
    // Anchors in page order, borrowed: a page has hundreds, and copying each into a tree was a
    // tenth of loading.
    let mut anchors: HashMap<&str, usize, rustc_hash::FxBuildHasher> = HashMap::default();
    for (section, &heading_line) in sections.iter().zip(&heading_lines) {
        let heading = section.anchor.as_deref().map(|a| (a, heading_line));
        let paragraphs = section
            .paragraphs
            .iter()
            .map(|p| (p.anchor.as_str(), p.line));
        for (anchor, line) in heading.into_iter().chain(paragraphs) {
            note_anchor(&mut anchors, anchor, line, path, &mut errors);
        }
    }
    for rec in &page.front.recommendations {
        if let Some(p) = &rec.paragraph
            && !anchors.contains_key(p.as_str())
        {
            errors.push(Diagnostic::new(
                path,
                0,
                format!(
                    "recommendation {} points at paragraph '{p}', which is not on this page; use the anchor of a paragraph line such as {{: #{p}}}",
                    rec.id
                ),
            ));
        }
    }
    if sections[0].paragraphs.is_empty() {
        sections.remove(0);
    }
    if errors.is_empty() {
        let link_lines = lines_of_links(text, &page.front.links);
        Ok(Report {
            meta: page.front,
            sections,
            footnotes,
            path: path.to_string_lossy().into_owned(),
            link_lines,
        })
    } else {
        Err(errors)
    }
}

/// The line each front-matter link's `to:` is written on, searched in order.
fn lines_of_links(text: &str, links: &[crate::model::ManualLink]) -> Vec<usize> {
    // Most reports state no links; listing every line of every report cost a tenth of loading.
    if links.is_empty() {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    links
        .iter()
        .map(
            |link| match (from..lines.len()).find(|&i| lines[i].contains(link.to.as_str())) {
                Some(i) => {
                    from = i + 1;
                    i + 1
                }
                None => 0,
            },
        )
        .collect()
}

fn note_anchor<'a>(
    anchors: &mut HashMap<&'a str, usize, rustc_hash::FxBuildHasher>,
    anchor: &'a str,
    line: usize,
    path: &Path,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(first) = anchors.insert(anchor, line) {
        errors.push(Diagnostic::new(
            path,
            line,
            format!("the anchor #{anchor} is already used on line {first}; anchors on a page must be unique, so rename one"),
        ));
    }
}

/// The theme tags of `report` that name no theme in `known`.
fn check_themes(report: &Report, known: &BTreeSet<&str>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for p in report.paragraphs() {
        for t in &p.themes {
            if !known.contains(t.as_str()) {
                errors.push(Diagnostic::new(
                    &report.path,
                    p.line.saturating_sub(1),
                    format!(
                        "unknown theme \"{t}\"; themes are defined in themes/*.yaml{}",
                        did_you_mean(t, known)
                    ),
                ));
            }
        }
    }
    for r in &report.meta.recommendations {
        for t in &r.themes {
            if !known.contains(t.as_str()) {
                errors.push(Diagnostic::new(
                    &report.path,
                    0,
                    format!(
                        "recommendation {}: unknown theme \"{t}\"; themes are defined in themes/*.yaml{}",
                        r.id,
                        did_you_mean(t, known)
                    ),
                ));
            }
        }
    }
    errors
}

fn did_you_mean(wrong: &str, known: &BTreeSet<&str>) -> String {
    known
        .iter()
        .map(|k| (edit_distance(wrong, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean \"{k}\"?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn check_duplicate_slugs(reports: &[&Report]) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut errors = Vec::new();
    for r in reports {
        if let Some(other) = seen.insert(r.slug(), &r.path) {
            errors.push(Diagnostic::new(
                &r.path,
                2,
                format!(
                    "slug \"{}\" is also used by {other}; two pages cannot share an address, so change one slug",
                    r.slug()
                ),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The front matter and parsed body kept from a previous build read back as the same report,
    /// are carried forward without being written again, and YAML whose text changed is read
    /// afresh.
    #[test]
    fn front_matter_and_body_are_taken_from_the_previous_build_when_the_text_is_the_same() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-basic");
        let config = Config::load(&root, None).unwrap_or_else(|e| panic!("{e}"));
        let none = cache::Previous::default();
        let (fresh, keys, entries) = load_reusing(&config, &none).unwrap_or_else(|e| panic!("{e}"));
        // Each page's front matter and parsed body.
        assert_eq!(entries.len(), 2 * fresh.reports.len());
        let (_dir, previous) = cache::previous_of(&entries);
        let (again, again_keys, carried) =
            load_reusing(&config, &previous).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{fresh:?}"), format!("{again:?}"));
        assert_eq!(keys, again_keys);
        assert_eq!(carried.len(), entries.len());
        assert!(
            carried
                .iter()
                .all(|(_, bytes)| matches!(bytes, std::borrow::Cow::Borrowed(_)))
        );
        for report in &fresh.reports {
            let text = std::fs::read_to_string(root.join(&report.path)).unwrap_or_default();
            let yaml = annotated::front_matter_text(&text).unwrap_or_default();
            let (_, kept) = front_matter(yaml, &previous).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(kept, report.meta, "{}", report.path);
            let changed = yaml.replacen("title: ", "title: Changed ", 1);
            let (entry, read) = front_matter(&changed, &previous).unwrap_or_else(|e| panic!("{e}"));
            assert!(matches!(entry.1, std::borrow::Cow::Owned(_)));
            assert!(read.title.starts_with("Changed "), "{}", read.title);
        }
    }

    #[test]
    fn a_page_that_is_not_utf8_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("page.md");
        std::fs::write(&path, b"---\ntitle: Caf\xe9\n---\n").unwrap_or_else(|e| panic!("{e}"));
        let Err(Unreadable::NotUtf8 { line, byte }) = read_page(&path) else {
            panic!("read as UTF-8");
        };
        assert_eq!((line, byte), (2, 14));
        let shown = Unreadable::NotUtf8 { line, byte }
            .at(Path::new("content/reports/page.md"))
            .to_string();
        assert!(shown.contains("page.md:2"), "{shown}");
        assert!(shown.contains("save it with the UTF-8 encoding"), "{shown}");
    }

    #[test]
    fn a_reused_anchor_is_named_with_the_line_of_its_first_use() {
        let page = "---\nslug: 2018-02-x-ofsted-focused-visit\ntitle: Visit\nkind: ofsted-focused-visit-letter\nauthority: X\ndate: 2018-02-22\nsource:\n  file: x.txt\n  sha256: ab\n---\n\n## Findings {#findings}\n\n{: #p-1}\nFirst.\n\n## Again {#p-1}\n\n{: #findings}\nSecond.\n";
        let errors = load_report(page, Path::new("x.md"))
            .err()
            .unwrap_or_default();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].contains("x.md:17") && shown[0].contains("#p-1 is already used on line 15"),
            "{shown:?}"
        );
        assert!(
            shown[1].contains("x.md:20")
                && shown[1].contains("#findings is already used on line 12"),
            "{shown:?}"
        );
    }

    /// The model of a large archive is mostly these lists, so each is made at its length: room
    /// to spare is fresh memory that every build pays for, page by page.
    #[test]
    fn paragraph_and_theme_lists_hold_no_spare_room() {
        let mut page = String::from(
            "---\nslug: 2018-02-x-ofsted-focused-visit\ntitle: Visit\nkind: ofsted-focused-visit-letter\nauthority: X\ndate: 2018-02-22\nsource:\n  file: x.txt\n  sha256: ab\n---\n\nOpening words.\n",
        );
        for section in 0..3 {
            page.push_str(&format!("\n## Part {section} {{#part-{section}}}\n"));
            for p in 0..(5 + section * 4) {
                page.push_str(&format!(
                    "\n{{: #p-{section}-{p} themes=\"cse{}\"}}\nParagraph {p} of part {section}.\n",
                    if p % 2 == 0 { " neglect" } else { "" }
                ));
            }
        }
        let report = load_report(&page, Path::new("x.md")).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(report.sections.len(), 4);
        for section in &report.sections {
            assert_eq!(section.paragraphs.capacity(), section.paragraphs.len());
            for p in &section.paragraphs {
                assert_eq!(p.themes.capacity(), p.themes.len(), "{}", p.anchor);
            }
        }
        assert_eq!(report.sections[3].paragraphs.len(), 13);
        assert_eq!(report.sections[3].paragraphs[0].themes, ["cse", "neglect"]);
    }

    #[test]
    fn suggests_near_theme() {
        let known: BTreeSet<&str> = ["cse", "neglect"].into_iter().collect();
        assert_eq!(did_you_mean("cse2", &known), " (did you mean \"cse\"?)");
        assert_eq!(did_you_mean("adoption", &known), "");
    }
}
