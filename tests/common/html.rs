//! Reading a built site as HTML: pages, ids, references, and links that do not resolve.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

pub fn html_files(public: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    files.sort();
    files
}

pub fn parse(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).expect("read page"))
}

pub fn ids(doc: &Html) -> Vec<String> {
    doc.select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect()
}

/// Every relative reference on a page: links, stylesheets, scripts and form targets.
pub fn references(doc: &Html) -> Vec<String> {
    let mut refs = Vec::new();
    for (selector, attr) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("script[src]", "src"),
        ("form[action]", "action"),
    ] {
        for e in doc.select(&sel(selector)) {
            if let Some(v) = e.value().attr(attr) {
                refs.push(v.to_string());
            }
        }
    }
    refs
}

pub fn is_external(href: &str) -> bool {
    href.contains("://") || href.starts_with("mailto:")
}

/// Every internal link, stylesheet, script or form target that does not resolve, or whose
/// `#fragment` is not an id on the target page; links must be relative and name files. The 404
/// page is left out: it is served from any missing address, so its links start from `base_url`.
pub fn broken_links(public: &Path) -> Vec<String> {
    let mut id_cache: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for page in html_files(public) {
        if page.file_name().is_some_and(|n| n == "404.html") {
            continue;
        }
        let doc = parse(&page);
        for href in references(&doc) {
            if is_external(&href) {
                continue;
            }
            if href.starts_with('/') {
                problems.push(format!("{}: root-relative link {href}", page.display()));
                continue;
            }
            let (path, fragment) = href
                .split_once('#')
                .map_or((href.as_str(), None), |(p, f)| (p, Some(f)));
            let path = path.split('?').next().unwrap_or(path);
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().expect("page folder").join(path)
            };
            let Ok(target) = target.canonicalize() else {
                problems.push(format!("{}: {href} does not exist", page.display()));
                continue;
            };
            if !target.is_file() {
                problems.push(format!(
                    "{}: {href} is a folder; links name index.html so they work from disk",
                    page.display()
                ));
                continue;
            }
            if let Some(f) = fragment {
                let known = id_cache
                    .entry(target.clone())
                    .or_insert_with(|| ids(&parse(&target)));
                if !known.iter().any(|i| i == f) {
                    problems.push(format!("{}: {href} has no #{f}", page.display()));
                }
            }
        }
    }
    problems
}
