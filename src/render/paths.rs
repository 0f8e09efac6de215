//! Where each page lives and how pages address each other: relative links (so the site works at a
//! sub-path and from disk) that name `index.html` explicitly, and absolute URLs only for feeds,
//! sitemaps and sharing.

/// One output file, by its `/`-separated path inside the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
}

impl Location {
    pub fn new(path: impl Into<String>) -> Self {
        Location { path: path.into() }
    }

    /// The prefix that leads from this page back to the site root (`../../` for `reports/x/index.html`).
    pub fn root(&self) -> String {
        "../".repeat(self.path.matches('/').count())
    }

    /// The page's public address: `base_url` plus its folder, without `index.html`.
    pub fn url(&self, base_url: &str) -> String {
        format!(
            "{base_url}{}",
            self.path.strip_suffix("index.html").unwrap_or(&self.path)
        )
    }
}

pub fn home() -> Location {
    Location::new("index.html")
}

pub fn report(slug: &str) -> Location {
    Location::new(format!("reports/{slug}/index.html"))
}

pub fn theme(slug: &str) -> Location {
    Location::new(format!("themes/{slug}/index.html"))
}

/// Page `number` of a theme: the first at the theme's own address, the rest below it.
pub fn theme_page(slug: &str, number: usize) -> Location {
    if number <= 1 {
        theme(slug)
    } else {
        Location::new(format!("themes/{slug}/page-{number}/index.html"))
    }
}

pub fn recommendation(report: &str, id: &str) -> Location {
    Location::new(format!("recommendations/{report}/{id}/index.html"))
}

pub fn report_recommendations(report: &str) -> Location {
    Location::new(format!("recommendations/{report}/index.html"))
}

/// The slug of an authority's page, from its name ("Leeds City Council" → `leeds-city-council`).
pub fn authority_slug(name: &str) -> String {
    let slug = crate::annotated::slugify(name);
    if slug.is_empty() {
        // A name with no letters or digits still needs an address of its own.
        "unnamed".to_string()
    } else {
        slug
    }
}

/// The page listing every document of one authority.
pub fn authority(slug: &str) -> Location {
    Location::new(format!("authorities/{slug}/index.html"))
}

pub fn page(slug: &str) -> Location {
    Location::new(format!("{slug}/index.html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_climbs_one_level_per_folder() {
        assert_eq!(home().root(), "");
        assert_eq!(report("x").root(), "../../");
        assert_eq!(recommendation("x", "r-1").root(), "../../../");
    }

    #[test]
    fn authority_slug_is_made_from_the_name() {
        assert_eq!(authority_slug("Leeds City Council"), "leeds-city-council");
        assert_eq!(authority_slug("St. Helens"), "st-helens");
        assert_eq!(authority_slug("–"), "unnamed");
        assert_eq!(
            authority(&authority_slug("Leeds City Council")).path,
            "authorities/leeds-city-council/index.html"
        );
    }

    #[test]
    fn url_drops_index_html() {
        assert_eq!(
            report("x").url("https://example.org/archive/"),
            "https://example.org/archive/reports/x/"
        );
        assert_eq!(Location::new("feed.xml").url("/"), "/feed.xml");
    }
}
