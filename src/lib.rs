//! `findings` turns public inspection documents about children's services into a searchable,
//! cross-linked static findings archive.
//!
//! The pipeline, one module a stage, data flowing one way:
//! `ingest` (seeds → annotated Markdown) → `load` (content → model) → `link` (cross-references)
//! → `render` (model → `public/`), orchestrated by `site::build`.

pub mod annotated;
pub mod cli;
pub mod config;
pub mod dev;
pub mod error;
pub mod ingest;
pub mod json;
pub mod link;
pub mod load;
pub mod markup;
pub mod model;
pub mod render;
pub mod search;
pub mod site;
pub mod themes;
pub mod trace;
pub mod yaml;
