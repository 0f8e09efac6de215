//! Render: the linked model → a static site in `public/`, written to a temporary folder and swapped
//! in only when the whole build succeeded.

pub mod markdown;
pub mod output;
pub mod templates;

use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::error::Diagnostic;
use crate::model::{Report, Site};

/// Site-wide values every template sees.
#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
}

/// Render every page of `site` into `config.output_dir`, atomically.
pub fn render(site: &Site, config: &Config) -> Result<(), Diagnostic> {
    let tera = templates::load(&config.templates_dir())?;
    let staging = output::Staging::new(&config.output_dir)?;
    let ctx_site = SiteContext {
        title: &config.title,
        description: &config.description,
        language: &config.language,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("site", &ctx_site);
    ctx.insert("reports", &site.reports);
    ctx.insert("root", "");
    staging.write("index.html", &templates::render(&tera, "index.html", &ctx)?)?;
    for report in &site.reports {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &ctx_site);
        ctx.insert("root", "../../");
        ctx.insert("report", report);
        ctx.insert("body", &report_body(report));
        let path = format!("reports/{}/index.html", report.slug());
        staging.write(&path, &templates::render(&tera, "report.html", &ctx)?)?;
    }
    output::copy_static(&config.static_dir(), &staging)?;
    staging.commit()
}

/// A report's sections as HTML, each paragraph with its anchor.
fn report_body(report: &Report) -> String {
    let mut html = String::new();
    for section in &report.sections {
        if let (Some(h), Some(a)) = (&section.heading, &section.anchor) {
            let level = section.level.clamp(2, 6);
            html.push_str(&format!(
                "<h{level} id=\"{}\">{}</h{level}>\n",
                markdown::escape(a),
                markdown::escape(h)
            ));
        }
        for p in &section.paragraphs {
            html.push_str(&format!(
                "<div class=\"para\" id=\"{}\">{}{}</div>\n",
                markdown::escape(&p.anchor),
                p.number
                    .as_deref()
                    .map(|n| format!("<span class=\"num\">{}</span> ", markdown::escape(n)))
                    .unwrap_or_default(),
                markdown::to_html(&p.text)
            ));
        }
    }
    html
}

/// Whether `path` looks like a build output folder we may replace.
pub fn is_output_dir(path: &Path) -> bool {
    path.join("index.html").is_file()
}
