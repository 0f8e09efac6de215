//! The optional `seeds/<name>.yaml` beside a seed: a person's corrections to what ingest read from
//! the text, and what the text cannot tell (the PDF's address).

use std::path::Path;

use serde::Deserialize;

use crate::error::Diagnostic;
use crate::ingest::classify::Metadata;
use crate::model::{DateRange, Judgement, ReportKind};

/// Corrections for one document; every field optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    pub title: Option<String>,
    pub kind: Option<ReportKind>,
    pub authority: Option<String>,
    pub date: Option<String>,
    pub inspection_dates: Option<DateRange>,
    pub period: Option<String>,
    pub framework: Option<String>,
    pub judgements: Option<Vec<Judgement>>,
    pub inspectors: Option<Vec<String>>,
    pub source_url: Option<String>,
    /// The address to use the first time the seed is ingested.
    pub slug: Option<String>,
    /// Corrections for the documents this one embeds, in order.
    #[serde(default)]
    pub embedded: Vec<Sidecar>,
}

impl Sidecar {
    /// The corrections for part `index` (0 is the host document).
    pub fn for_part(&self, index: usize) -> Option<&Sidecar> {
        if index == 0 {
            Some(self)
        } else {
            self.embedded.get(index - 1)
        }
    }

    /// Override what the text said with what the person said.
    pub fn apply(&self, meta: &mut Metadata) {
        if let Some(v) = &self.title {
            meta.title = v.clone();
        }
        if let Some(v) = self.kind {
            meta.kind = v;
        }
        if let Some(v) = &self.authority {
            meta.authority = Some(v.clone());
        }
        if let Some(v) = &self.date {
            meta.date = Some(v.clone());
            meta.date_inferred = None;
        }
        if let Some(v) = &self.inspection_dates {
            meta.inspection_dates = Some(v.clone());
        }
        if let Some(v) = &self.period {
            meta.period = Some(v.clone());
        }
        if let Some(v) = &self.framework {
            meta.framework = Some(v.clone());
        }
        if let Some(v) = &self.judgements {
            meta.judgements = v.clone();
        }
        if let Some(v) = &self.inspectors {
            meta.inspectors = v.clone();
        }
    }
}

/// Read the sidecar beside `seed`, if there is one.
pub fn read_for(seed: &Path) -> Result<Option<Sidecar>, Diagnostic> {
    for ext in ["yaml", "yml"] {
        let path = seed.with_extension(ext);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Diagnostic::new(&path, 0, format!("cannot read: {e}"))),
        };
        return crate::yaml::from_str(&text).map(Some).map_err(|e| {
            Diagnostic::new(
                &path,
                e.line,
                format!(
                    "{}; the sidecar may set title, kind, authority, date, inspection_dates, period, framework, judgements, inspectors, source_url, slug and embedded",
                    e.message
                ),
            )
            .at_column(e.column)
        });
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_is_named_with_line() {
        let dir = tempfile::tempdir().unwrap();
        let seed = dir.path().join("a.txt");
        std::fs::write(dir.path().join("a.yaml"), "date: 2015-03-12\ncolour: red\n").unwrap();
        let err = read_for(&seed).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("colour"), "{}", err.message);
    }

    #[test]
    fn date_correction_clears_inference() {
        let s: Sidecar = crate::yaml::from_str("date: 2015-03-12\n").unwrap();
        let mut meta = Metadata {
            title: "t".into(),
            kind: ReportKind::Other,
            authority: None,
            date: Some("2015-01-01".into()),
            date_inferred: Some("guessed".into()),
            inspection_dates: None,
            period: None,
            framework: None,
            judgements: vec![],
            inspectors: vec![],
        };
        s.apply(&mut meta);
        assert_eq!(meta.date.as_deref(), Some("2015-03-12"));
        assert!(meta.date_inferred.is_none());
    }
}
