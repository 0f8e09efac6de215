//! The tera templates: defaults built into the binary, overridden by a site's own `templates/`.

use std::path::Path;

use crate::error::Diagnostic;

/// The default templates, shipped in the repository's `templates/`.
const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("report.html", include_str!("../../templates/report.html")),
    ("reports.html", include_str!("../../templates/reports.html")),
    (
        "authority.html",
        include_str!("../../templates/authority.html"),
    ),
    (
        "authorities.html",
        include_str!("../../templates/authorities.html"),
    ),
    ("theme.html", include_str!("../../templates/theme.html")),
    ("themes.html", include_str!("../../templates/themes.html")),
    (
        "recommendations.html",
        include_str!("../../templates/recommendations.html"),
    ),
    (
        "report-recommendations.html",
        include_str!("../../templates/report-recommendations.html"),
    ),
    (
        "recommendation.html",
        include_str!("../../templates/recommendation.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "partials/tags.html",
        include_str!("../../templates/partials/tags.html"),
    ),
    (
        "partials/theme-pages.html",
        include_str!("../../templates/partials/theme-pages.html"),
    ),
    (
        "partials/related.html",
        include_str!("../../templates/partials/related.html"),
    ),
    (
        "partials/recommendation.html",
        include_str!("../../templates/partials/recommendation.html"),
    ),
    (
        "partials/search-form.html",
        include_str!("../../templates/partials/search-form.html"),
    ),
    (
        "partials/tracker-table.html",
        include_str!("../../templates/partials/tracker-table.html"),
    ),
    (
        "partials/documents.html",
        include_str!("../../templates/partials/documents.html"),
    ),
    (
        "partials/permalink.html",
        include_str!("../../templates/partials/permalink.html"),
    ),
];

/// Load the defaults, then any same-named file from the site's `templates/` folder.
pub fn load(dir: &Path) -> Result<tera::Tera, Diagnostic> {
    let mut tera = tera::Tera::new();
    let mut sources: Vec<(String, String, String)> = Vec::new();
    for (name, default) in DEFAULTS {
        let path = dir.join(name);
        let (text, shown) = match std::fs::read_to_string(&path) {
            Ok(t) => (t, path.display().to_string()),
            Err(_) => (default.to_string(), format!("(built-in) {name}")),
        };
        sources.push((name.to_string(), text, shown));
    }
    let all: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, t, _)| (n.as_str(), t.as_str()))
        .collect();
    tera.add_raw_templates(all).map_err(|e| {
        Diagnostic::new(
            dir,
            0,
            format!(
                "a template does not parse: {e}; fix the template or delete it to use the default"
            ),
        )
    })?;
    Ok(tera)
}

/// A fingerprint of every template in use (defaults and the site's own), so a rebuild knows
/// when pages made from them must be made again.
pub fn fingerprint(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for (name, default) in DEFAULTS {
        name.hash(&mut h);
        match std::fs::read_to_string(dir.join(name)) {
            Ok(own) => own.hash(&mut h),
            Err(_) => default.hash(&mut h),
        }
    }
    h.finish()
}

/// Render one template, naming it in the error. The page comes as bytes, to be written as they
/// are: a `String` would check the whole page is UTF-8 again, and tera's own buffer starts at
/// twice the template's size, far below most pages, and is copied each time it doubles.
pub fn render(tera: &tera::Tera, name: &str, ctx: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
    let mut page = Vec::with_capacity(PAGE_CAPACITY);
    tera.render_to(name, ctx, &mut page).map_err(|e| {
        let mut msg = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            msg.push_str(&format!(": {s}"));
            source = s.source();
        }
        Diagnostic::new(
            format!("templates/{name}"),
            0,
            format!("cannot render: {msg}"),
        )
    })?;
    Ok(page)
}

/// Room made for a page before it is rendered: most pages fit.
const PAGE_CAPACITY: usize = 64 << 10;
