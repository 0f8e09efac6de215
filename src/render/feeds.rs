//! Files for machines that find and follow the archive: the Atom feed of documents, `sitemap.xml`
//! and `robots.txt`. Their URLs are absolute (from `base_url`), as the formats require.

use super::markdown::escape;
use super::paths;
use super::words;
use crate::config::Config;
use crate::model::Site;

/// An Atom feed of documents, newest first. `updated` is the newest document's date, so the feed
/// only changes when the archive does.
pub fn atom(site: &Site, config: &Config) -> String {
    let base = &config.base_url;
    let updated = site
        .reports
        .iter()
        .map(|r| r.meta.date.as_str())
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", escape(&config.title)));
    out.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        escape(&config.description)
    ));
    out.push_str(&format!("  <id>{}</id>\n", escape(base)));
    out.push_str(&format!("  <link href=\"{}\"/>\n", escape(base)));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}feed.xml\"/>\n",
        escape(base)
    ));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&config.title)
    ));
    for r in &site.reports {
        let url = paths::report(r.slug()).url(base);
        let summary = format!(
            "{}, {}, {}",
            r.meta.kind.label(),
            r.meta.authority,
            words::date(&r.meta.date)
        );
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", escape(&r.meta.title)));
        out.push_str(&format!("    <id>{}</id>\n", escape(&url)));
        out.push_str(&format!("    <link href=\"{}\"/>\n", escape(&url)));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            timestamp(&r.meta.date)
        ));
        out.push_str(&format!("    <summary>{}</summary>\n", escape(&summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// An ISO date as an RFC 3339 timestamp at midnight UTC.
fn timestamp(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// `sitemap.xml` listing `pages` (output paths), in the order given.
pub fn sitemap(pages: &[String], base_url: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in pages {
        let url = paths::Location::new(page.clone()).url(base_url);
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&url)));
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything may be indexed; the sitemap says where the pages are.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_urls_are_absolute_folders() {
        let xml = sitemap(&["reports/x/index.html".into()], "https://example.org/a/");
        assert!(
            xml.contains("<loc>https://example.org/a/reports/x/</loc>"),
            "{xml}"
        );
    }

    #[test]
    fn robots_names_sitemap() {
        assert!(
            robots("https://example.org/a/").contains("Sitemap: https://example.org/a/sitemap.xml")
        );
    }
}
