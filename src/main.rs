//! The `findings` command line: parses arguments and calls the library.

use std::process::ExitCode;

use clap::Parser;

use findings::cli::{Cli, Command, DevCommand};
use findings::config::Config;
use findings::ingest::Progress;

/// The build allocates and frees many small strings from several threads at once; mimalloc does
/// that with far less contention and bookkeeping than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc.h; the sys crate
/// names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build is one short run that frees and reallocates hundreds of megabytes stage after stage.
/// mimalloc hands freed pages back to the system soon after (10 ms in its version 2, which
/// `Cargo.toml` picks), and taking them again costs the kernel a fault and zeroing each (a sixth
/// of a 1,000-report build's CPU time went to that).
/// Keeping them costs a little more peak memory; `MIMALLOC_PURGE_DELAY` still overrides this.
fn keep_freed_memory() {
    // SAFETY: sets one integer option before any other thread exists; mimalloc reads options
    // with atomics and takes this default only if the environment has not set one.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, -1) };
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A spinner naming the build stage, shown only on a terminal (indicatif draws nothing when
/// stderr is not one) and never with `--quiet`; it appears after a second, so short builds stay
/// silent.
fn stage_spinner(quiet: bool) -> indicatif::ProgressBar {
    shown_after_a_second(indicatif::ProgressBar::new_spinner(), quiet)
}

/// A bar counting seeds for ingest (`[00:00:03] ████░░░░ 120/1000 seeds ingested`), shown on
/// the same terms as the build's spinner.
fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    let style =
        indicatif::ProgressStyle::with_template("[{elapsed_precise}] {wide_bar} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    shown_after_a_second(indicatif::ProgressBar::new(0).with_style(style), quiet)
}

/// `bar`, hidden with `--quiet`, else drawn once it has run for a second.
fn shown_after_a_second(bar: indicatif::ProgressBar, quiet: bool) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    let shown = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(1));
        if !shown.is_finished() {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown.enable_steady_tick(std::time::Duration::from_millis(120));
        }
    });
    bar
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Ingest(args) => {
            let config = Config::load(&cli.root, None)?;
            let options = findings::ingest::IngestOptions { force: args.force };
            let bar = progress_bar(cli.quiet);
            let summary = findings::ingest::run_reporting(&config, &options, &|step| match step {
                Progress::Learning => bar.set_message("learning the seeds' words"),
                Progress::Seeds(n) => {
                    bar.set_length(n as u64);
                    bar.set_message("seeds ingested");
                }
                Progress::SeedDone => bar.inc(1),
                Progress::Writing => bar.set_message("writing pages"),
            });
            bar.finish_and_clear();
            let summary = summary?;
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
            let progress = stage_spinner(cli.quiet);
            let built = findings::site::build_with_progress(&config, &mut |stage| {
                progress.set_message(stage);
            });
            progress.finish_and_clear();
            let summary = match built {
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
                let w = summary.written;
                eprintln!(
                    "build: {} documents, {} themes, {} links → {} ({} files written, {} unchanged of which {} not remade, {} removed)",
                    summary.reports,
                    summary.themes,
                    summary.links,
                    config.output_dir.display(),
                    w.changed,
                    w.unchanged,
                    w.kept,
                    w.removed
                );
            }
            // The process ends here, and the system takes its memory back at once.
            std::mem::forget(summary);
            Ok(ExitCode::SUCCESS)
        }
        Command::Dev(DevCommand::SearchIndex(args)) => {
            let config = Config::load(&cli.root, None)?;
            match findings::site::build_search_index(&config, &args.out) {
                Ok((files, timings)) => {
                    if cli.verbose {
                        for (stage, took) in &timings.0 {
                            eprintln!("  {stage:<8} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                        }
                    }
                    if !cli.quiet {
                        eprintln!("search index: {files} files → {}", args.out.display());
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(diags) => {
                    for d in &diags.0 {
                        eprintln!("error: {d}");
                    }
                    Ok(ExitCode::FAILURE)
                }
            }
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
