//! Command-line arguments; each command is a thin call into the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turn inspection documents about children's services into a searchable findings archive.
#[derive(Debug, Parser)]
#[command(name = "findings", version, about, long_about = None)]
pub struct Cli {
    /// The site folder (holds site.toml, seeds/, content/, themes/, templates/, static/).
    #[arg(
        long,
        short = 'r',
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    pub root: PathBuf,

    /// Print each stage and how long it took.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,

    /// Print only errors.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert every seed in seeds/ into an annotated Markdown page in content/reports/.
    Ingest(IngestArgs),
    /// Render content/ and themes/ into a static website (public/ by default).
    Build(BuildArgs),
    /// Tools for developing findings itself (benchmarks).
    #[command(subcommand)]
    Dev(DevCommand),
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Write a synthetic site of N reports recombined from the seeds' text, for benchmarks.
    Corpus(CorpusArgs),
    /// Build only the search index (load and index, no pages), to time it on its own.
    SearchIndex(SearchIndexArgs),
}

#[derive(Debug, Args)]
pub struct SearchIndexArgs {
    /// A new or empty folder to write the index files into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// How many reports to write.
    #[arg(long, value_name = "N")]
    pub reports: usize,
    /// The same seed always gives the same corpus.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// A new or empty folder to write the site into (site.toml, themes/, content/).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Overwrite pages people have edited, saving a backup of each first (<page>.md.bak).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Write the site here instead of the output_dir in site.toml.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
}
