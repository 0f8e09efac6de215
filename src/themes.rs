//! Findings themes: loading `themes/*.yaml` and tagging text with the themes it concerns.

use std::path::Path;

use crate::error::Diagnostic;
use crate::model::Theme;

/// Read every `*.yaml` file in `dir` as a theme, sorted by slug.
pub fn load_themes(dir: &Path) -> Result<Vec<Theme>, Vec<Diagnostic>> {
    let mut themes = Vec::new();
    let mut errors = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(themes);
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => match crate::yaml::from_str::<Theme>(&text) {
                Ok(t) => themes.push(t),
                Err(e) => errors.push(
                    Diagnostic::new(&path, e.line, format!("{}; fix this theme file", e.message))
                        .at_column(e.column),
                ),
            },
            Err(e) => errors.push(Diagnostic::new(&path, 0, format!("cannot read: {e}"))),
        }
    }
    themes.sort_by(|a, b| a.slug.cmp(&b.slug));
    if errors.is_empty() {
        Ok(themes)
    } else {
        Err(errors)
    }
}

/// Tags text with the themes whose terms it contains.
pub struct ThemeMatcher {
    themes: Vec<(String, Vec<String>)>,
}

impl ThemeMatcher {
    pub fn new(themes: &[Theme]) -> Self {
        ThemeMatcher {
            themes: themes
                .iter()
                .map(|t| {
                    let mut terms: Vec<String> =
                        t.terms.phrases.iter().map(|p| p.to_lowercase()).collect();
                    terms.extend(t.terms.acronyms.iter().cloned());
                    (t.slug.clone(), terms)
                })
                .collect(),
        }
    }

    /// The slugs of the themes `text` concerns, sorted.
    pub fn tag(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        self.themes
            .iter()
            .filter(|(_, terms)| {
                terms
                    .iter()
                    .any(|t| lower.contains(t.as_str()) || text.contains(t.as_str()))
            })
            .map(|(slug, _)| slug.clone())
            .collect()
    }
}
