//! Single pages that list much of the archive (home, the lists of documents, authorities and
//! themes, the tracker), kept from the previous build when what they show is unchanged. Their
//! fingerprint is taken from the values handed to the template rather than from every document
//! they draw on, so a change a page does not show (a paragraph's wording, on the home page)
//! leaves it as it is.

use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::paths::Location;
use super::{Meta, Renderer, incremental};
use crate::error::Diagnostic;

/// The values a page hands its template, fingerprinted as they are put in.
#[derive(Default)]
pub(super) struct Shown {
    ctx: tera::Context,
    fingerprint: rustc_hash::FxHasher,
}

impl Shown {
    pub fn insert(&mut self, key: &'static str, value: &impl Serialize) {
        (key, incremental::hash_json(value)).hash(&mut self.fingerprint);
        self.ctx.insert(key, value);
    }
}

impl Renderer<'_> {
    /// Render and write the page at `at` unless the previous build wrote it from the same
    /// template, `meta`, values (what `fill` shows) and site-wide inputs; returns its path.
    pub(super) fn page_unless_shown_before(
        &self,
        prints: &incremental::Fingerprints,
        template: &str,
        at: &Location,
        meta: &Meta,
        fill: impl FnOnce(&mut Shown, &str),
    ) -> Result<String, Diagnostic> {
        let mut shown = Shown::default();
        fill(&mut shown, &at.root());
        let values = shown.fingerprint.finish();
        let fingerprint = prints.combine((template, incremental::hash_json(meta), values));
        if self.cache.unchanged(&at.path, fingerprint) {
            self.staging.keep(&at.path);
        } else {
            let html = self.html(template, at, meta, |ctx, _| ctx.extend(shown.ctx))?;
            self.staging.write_bytes(&at.path, &html)?;
        }
        self.cache.record(&at.path, fingerprint);
        Ok(at.path.clone())
    }
}
