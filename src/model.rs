//! The archive's data model, shared by every stage: what ingest writes as front matter and what
//! load, link and render pass along.

use serde::{Deserialize, Serialize};

/// English month names, for reading dates in documents and writing them on pages.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What sort of document a report is; decides its slug, its labels and how its recommendations read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    OfstedInspectionReport,
    OfstedFocusedVisitLetter,
    CouncilCommitteeReport,
    SafeguardingPartnershipAnnualReport,
    Other,
}

impl ReportKind {
    /// The kebab-case name used in front matter, slugs and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::OfstedInspectionReport => "ofsted-inspection-report",
            ReportKind::OfstedFocusedVisitLetter => "ofsted-focused-visit-letter",
            ReportKind::CouncilCommitteeReport => "council-committee-report",
            ReportKind::SafeguardingPartnershipAnnualReport => {
                "safeguarding-partnership-annual-report"
            }
            ReportKind::Other => "other",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::OfstedInspectionReport => "Ofsted inspection report",
            ReportKind::OfstedFocusedVisitLetter => "Ofsted focused visit letter",
            ReportKind::CouncilCommitteeReport => "Council committee report",
            ReportKind::SafeguardingPartnershipAnnualReport => {
                "Safeguarding partnership annual report"
            }
            ReportKind::Other => "Document",
        }
    }

    /// The short word used in slugs (`2015-03-leeds-ofsted-inspection`).
    pub fn slug_part(self) -> &'static str {
        match self {
            ReportKind::OfstedInspectionReport => "ofsted-inspection",
            ReportKind::OfstedFocusedVisitLetter => "ofsted-focused-visit",
            ReportKind::CouncilCommitteeReport => "council-report",
            ReportKind::SafeguardingPartnershipAnnualReport => "safeguarding-annual-report",
            ReportKind::Other => "document",
        }
    }
}

/// A graded judgement exactly as the document states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgement {
    pub area: String,
    pub grade: String,
}

/// First and last day of an inspection or visit (ISO dates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub start: String,
    pub end: String,
}

/// Where a report came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    /// The seed file name, relative to `seeds/`.
    pub file: String,
    pub sha256: String,
    /// The address of the original PDF, where a sidecar gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For a document split out of another: which embedded document it is (1 for the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<usize>,
    /// For a document split out of another: the slug of the covering document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
}

/// Who made a recommendation and in what voice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RecommendationKind {
    /// An inspectorate's own recommendation or area for improvement.
    #[default]
    Inspection,
    /// What a council committee is asked to do.
    Committee,
    /// Another document's recommendation restated here.
    Quoted,
}

/// The document a quoted recommendation came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedFrom {
    /// How the quoting document names its source ("Ofsted focused visit letter").
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The slug of that document when it is in the archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
}

/// A formal recommendation, area for improvement or "what needs to improve" item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// `r-1`, `r-2`, … in document order; never reused.
    pub id: String,
    #[serde(default)]
    pub kind: RecommendationKind,
    /// The heading the document groups it under, e.g. "Adoption" or "Local Safeguarding Children Board".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub text: String,
    /// The anchor of the paragraph it sits in (`p-11`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_from: Option<QuotedFrom>,
}

/// How two documents, paragraphs or recommendations relate. Every link is stored both ways, each
/// end with the relation read from its own side (`RaisedAgain` one way, `RaisedBefore` back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// The same concern is raised again in the later `to`.
    RaisedAgain,
    /// The inverse: `to` raised this concern earlier.
    RaisedBefore,
    /// `to` quotes this.
    QuotedIn,
    /// This quotes `to`.
    Quotes,
    /// `to` (a council document) answers this recommendation.
    AnsweredIn,
    /// This answers the recommendation `to`.
    Answers,
    /// This document carries `to` as an appendix.
    Embeds,
    /// This document is an appendix of `to`.
    EmbeddedIn,
}

impl Relation {
    /// The same link read from the other end.
    pub fn inverse(self) -> Relation {
        match self {
            Relation::RaisedAgain => Relation::RaisedBefore,
            Relation::RaisedBefore => Relation::RaisedAgain,
            Relation::QuotedIn => Relation::Quotes,
            Relation::Quotes => Relation::QuotedIn,
            Relation::AnsweredIn => Relation::Answers,
            Relation::Answers => Relation::AnsweredIn,
            Relation::Embeds => Relation::EmbeddedIn,
            Relation::EmbeddedIn => Relation::Embeds,
        }
    }

    /// How the link reads on the page of its `from` end, followed by the `to` end's name.
    pub fn label(self) -> &'static str {
        match self {
            Relation::RaisedAgain => "Raised again in",
            Relation::RaisedBefore => "Raised before in",
            Relation::QuotedIn => "Quoted in",
            Relation::Quotes => "Quotes",
            Relation::AnsweredIn => "Answered in",
            Relation::Answers => "Answers",
            Relation::Embeds => "Includes as an appendix",
            Relation::EmbeddedIn => "Appendix of",
        }
    }
}

/// A link a person states in front matter; it wins over what the program finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualLink {
    /// `r-3` or `p-25` in this report (optional: the whole report when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `<slug>`, `<slug>#r-3` or `<slug>#p-25`.
    pub to: String,
    pub relation: Relation,
    /// `true` removes a link the program found.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remove: bool,
}

/// The YAML front matter of an annotated report page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontMatter {
    /// Fixed the first time a seed is ingested so the address never moves.
    pub slug: String,
    pub title: String,
    pub kind: ReportKind,
    pub authority: String,
    /// ISO date: a letter's date, a report's publication or meeting date.
    pub date: String,
    /// Set when the text does not state the date and it was inferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_inferred: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection_dates: Option<DateRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judgements: Vec<Judgement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspectors: Vec<String>,
    pub source: Source,
    /// Slugs of documents split out of this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<Recommendation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<ManualLink>,
}

/// A findings theme (a topic such as child sexual exploitation), from `themes/<slug>.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub slug: String,
    pub title: String,
    /// Short name for tags ("CSE").
    pub short: String,
    /// One paragraph in plain English for residents.
    pub description: String,
    pub terms: ThemeTerms,
    #[serde(default)]
    pub related: Vec<String>,
}

/// What marks a theme in text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ThemeTerms {
    /// Words and phrases matched case-insensitively, whole words, with plural and inflected forms.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Acronyms matched case-sensitively as whole words (plural `s` allowed: `PEPs`).
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// Phrases that look like a match but are not (`pep talk`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// General words that suggest the theme but are too common to mark it alone ("audit"): they tag
    /// a paragraph that uses them twice, or a short one that uses them once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
}

/// One paragraph (or list item) of a report, the unit staff link to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// `p-25`, `p-3-4`, or a stable content-derived anchor.
    pub anchor: String,
    /// The document's own number ("25", "3.4") where it has one.
    pub number: Option<String>,
    /// Markdown text.
    pub text: String,
    pub themes: Vec<String>,
    /// Rendered as a list item rather than a paragraph.
    pub bullet: bool,
    /// Line in the content file, for error messages.
    pub line: usize,
    /// Whether `text` is plain prose that renders as written (`markup::is_plain_paragraph`),
    /// found once as the page is loaded. `false` is always safe, only slower.
    #[serde(skip)]
    pub plain: bool,
}

/// A heading and the paragraphs under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// `None` for the text before the first heading.
    pub heading: Option<String>,
    pub anchor: Option<String>,
    /// 2 for `##`, 3 for `###`, …
    pub level: u8,
    pub paragraphs: Vec<Paragraph>,
}

/// A loaded report page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub meta: FrontMatter,
    pub sections: Vec<Section>,
    /// Footnote label → Markdown text.
    pub footnotes: Vec<(String, String)>,
    /// The content file it was loaded from, relative to the site root.
    pub path: String,
    /// For each of `meta.links`, the line of the page it is written on (for error messages).
    #[serde(skip)]
    pub link_lines: Vec<usize>,
}

impl Report {
    pub fn slug(&self) -> &str {
        &self.meta.slug
    }

    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.sections.iter().flat_map(|s| s.paragraphs.iter())
    }
}

/// One end of a cross-link: a report, or a paragraph or recommendation in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Target {
    pub report: String,
    /// `p-25` or `r-3`; `None` for the whole report.
    pub anchor: Option<String>,
}

/// A cross-link found by the link stage or stated by a person.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Link {
    pub from: Target,
    pub to: Target,
    pub relation: Relation,
}

/// Everything the renderer needs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Site {
    /// Newest first.
    pub reports: Vec<Report>,
    pub themes: Vec<Theme>,
    pub links: Vec<Link>,
}
