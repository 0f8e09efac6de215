//! The `findings` command line: parses arguments and calls the library.

use std::process::ExitCode;

use clap::Parser;

use findings::cli::{Cli, Command, DevCommand};
use findings::config::Config;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Ingest(args) => {
            let config = Config::load(&cli.root, None)?;
            let options = findings::ingest::IngestOptions { force: args.force };
            let summary = findings::ingest::run(&config, &options)?;
            for w in &summary.warnings {
                eprintln!("warning: {w}");
            }
            for f in &summary.failed {
                eprintln!("error: {f}");
            }
            if !cli.quiet {
                eprintln!(
                    "ingest: {} written, {} unchanged, {} kept (edited by a person), {} failed",
                    summary.written.len(),
                    summary.unchanged.len(),
                    summary.kept_edited.len(),
                    summary.failed.len()
                );
                for b in &summary.backups {
                    eprintln!("  backup saved: {}", b.display());
                }
            }
            Ok(if summary.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Build(args) => {
            let config = Config::load(&cli.root, args.output.as_deref())?;
            let summary = match findings::site::build(&config) {
                Ok(s) => s,
                Err(diags) => {
                    for d in &diags.0 {
                        eprintln!("error: {d}");
                    }
                    eprintln!(
                        "build failed with {} error(s); {} was left as it was",
                        diags.0.len(),
                        config.output_dir.display()
                    );
                    return Ok(ExitCode::FAILURE);
                }
            };
            if cli.verbose {
                for (stage, took) in &summary.timings.0 {
                    eprintln!("  {stage:<8} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                }
            }
            if !cli.quiet {
                eprintln!(
                    "build: {} documents, {} themes, {} links → {}",
                    summary.reports,
                    summary.themes,
                    summary.links,
                    config.output_dir.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Dev(DevCommand::Corpus(args)) => {
            let options = findings::dev::corpus::CorpusOptions {
                root: cli.root.clone(),
                out: args.out.clone(),
                reports: args.reports,
                seed: args.seed,
            };
            let summary = findings::dev::corpus::generate(&options)?;
            if !cli.quiet {
                eprintln!(
                    "corpus: {} reports ({} MB) recombined from {} real ones → {}",
                    summary.reports,
                    summary.bytes / 1_000_000,
                    summary.sources,
                    args.out.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
