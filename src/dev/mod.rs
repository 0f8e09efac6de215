//! Developer tools that are not part of publishing a site: a synthetic corpus for benchmarks.

pub mod authorities;
pub mod corpus;
pub mod rng;
mod synth;
