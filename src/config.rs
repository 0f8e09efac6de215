//! Settings from `site.toml` and command-line flags, validated once into a `Config` the rest of the
//! program trusts.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Diagnostic;

/// `site.toml` as written; every field optional so a minimal file works.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SiteToml {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    output_dir: Option<String>,
    language: Option<String>,
    authority: Option<String>,
    theme_page_size: Option<usize>,
    tracker_rows: Option<usize>,
}

/// Validated settings for one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder: holds `site.toml`, `seeds/`, `content/`, `themes/`, `templates/`, `static/`.
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub output_dir: PathBuf,
    pub language: String,
    /// Used when a seed does not name its authority.
    pub default_authority: Option<String>,
    /// About how many findings and recommendations a theme page lists before the next page
    /// starts; a document's items are never split across pages.
    pub theme_page_size: usize,
    /// At most how many recommendations the tracker page lists, the newest documents' first;
    /// each authority's page has a tracker of all of its own.
    pub tracker_rows: usize,
}

/// Enough for a small archive's themes to fit on one page, small enough for a phone.
const THEME_PAGE_SIZE: usize = 250;

/// A table of this many rows (about 2.5 MB) still sorts and filters quickly on a phone; every
/// recommendation of a national archive (74,000 at 10,000 reports) made a page of 100 MB.
const TRACKER_ROWS: usize = 2000;

impl Config {
    /// Read `root/site.toml` (defaults where absent); `output` overrides `output_dir`.
    pub fn load(root: &Path, output: Option<&Path>) -> Result<Config, Diagnostic> {
        let path = root.join("site.toml");
        let raw: SiteToml = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                let (line, column) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((0, 0));
                Diagnostic::new(
                    &path,
                    line,
                    format!("{}; fix site.toml and run again", e.message()),
                )
                .at_column(column)
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SiteToml::default(),
            Err(e) => return Err(Diagnostic::new(&path, 0, format!("cannot read: {e}"))),
        };
        let mut base_url = raw.base_url.unwrap_or_else(|| "/".to_string());
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let output_dir = match output {
            Some(o) => o.to_path_buf(),
            None => root.join(raw.output_dir.as_deref().unwrap_or("public")),
        };
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title.unwrap_or_else(|| "Findings archive".to_string()),
            description: raw.description.unwrap_or_else(|| {
                "Findings and recommendations from inspections of children's services.".to_string()
            }),
            base_url,
            output_dir,
            language: raw.language.unwrap_or_else(|| "en-GB".to_string()),
            default_authority: raw.authority,
            theme_page_size: raw.theme_page_size.unwrap_or(THEME_PAGE_SIZE).max(1),
            tracker_rows: raw.tracker_rows.unwrap_or(TRACKER_ROWS).max(1),
        })
    }

    /// The settings that shape what is built, as text for cache keys: everything but where the
    /// site and its output are, so that naming the same folder another way (`--root .` or a
    /// full path) reuses the earlier build's work rather than redoing all of it.
    pub fn settings_text(&self) -> String {
        let shaping = Config {
            root: PathBuf::new(),
            output_dir: PathBuf::new(),
            ..self.clone()
        };
        format!("{shaping:?}")
    }

    pub fn seeds_dir(&self) -> PathBuf {
        self.root.join("seeds")
    }
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
    pub fn reports_dir(&self) -> PathBuf {
        self.root.join("content").join("reports")
    }
    pub fn themes_dir(&self) -> PathBuf {
        self.root.join("themes")
    }
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }
    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_site_toml() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::load(dir.path(), None).unwrap();
        assert_eq!(c.base_url, "/");
        assert_eq!(c.output_dir, dir.path().join("public"));
    }

    #[test]
    fn unknown_key_names_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"x\"\ncolour = 1\n").unwrap();
        let e = Config::load(dir.path(), None).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("site.toml:2"));
    }
}
