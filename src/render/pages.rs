//! Hand-written pages (`content/pages/<slug>.md`: about, accessibility statement): a small YAML
//! front matter (title, description) and a Markdown body, each rendered to `<slug>/index.html`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::markdown;
use crate::error::Diagnostic;

/// What a hand-written page states about itself.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// A hand-written page, ready to render.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HandPage {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub html: String,
}

/// Every `*.md` in `dir`, sorted by slug; a missing folder means no pages.
pub fn load(dir: &Path, root: &Path) -> Result<Vec<HandPage>, Diagnostic> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let shown = path.strip_prefix(root).unwrap_or(path);
            let text = std::fs::read_to_string(path)
                .map_err(|e| Diagnostic::new(shown, 0, format!("cannot read: {e}")))?;
            let slug = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            parse(&slug, &text).map_err(|(line, msg)| Diagnostic::new(shown, line, msg))
        })
        .collect()
}

/// Parse one page; an error is its line and message.
fn parse(slug: &str, text: &str) -> Result<HandPage, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---\n") else {
        return Err((
            1,
            "a page must start with a line '---', then its title and description in YAML, then '---'"
                .into(),
        ));
    };
    let Some((front_end, body_start)) = closing_line(rest) else {
        return Err((
            1,
            "the front matter is not closed: add a line '---' after it".into(),
        ));
    };
    let front_text = &rest[..front_end];
    let body = &rest[body_start..];
    let front: PageFront = crate::yaml::from_str(front_text).map_err(|e| {
        (
            1 + e.line.max(1),
            format!(
                "front matter: {}; a page needs `title:` and may have `description:`",
                e.message
            ),
        )
    })?;
    Ok(HandPage {
        slug: slug.to_string(),
        title: front.title,
        description: front.description,
        html: markdown::to_html(body),
    })
}

/// Where the line `---` that closes the front matter starts and ends.
fn closing_line(rest: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_and_body() {
        let p = parse(
            "about",
            "---\ntitle: About\ndescription: What this is.\n---\n\n## Data\n",
        )
        .unwrap();
        assert_eq!(p.title, "About");
        assert_eq!(p.description.as_deref(), Some("What this is."));
        assert!(p.html.contains("<h2 id=\"data\">Data</h2>"), "{}", p.html);
    }

    #[test]
    fn unknown_key_names_its_line() {
        let (line, msg) =
            parse("about", "---\ntitle: About\ncolour: red\n---\nText\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(msg.contains("colour"), "{msg}");
    }

    #[test]
    fn missing_front_matter_is_explained() {
        let (line, _) = parse("about", "# About\n").unwrap_err();
        assert_eq!(line, 1);
    }
}
