//! `warden scan`: findings in files, directories or standard input.

use crate::input;
use crate::output::{Format, Printer};
use crate::{MinConfidence, RuleArgs, load};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `warden scan`.
#[derive(Args)]
pub struct ScanArgs {
    #[command(flatten)]
    rules: RuleArgs,
    /// Output format; `jsonl` is a stable contract: one object per finding with UTF-8 byte offsets.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The lowest confidence tier reported.
    #[arg(long, value_enum, default_value_t = MinConfidence::Low)]
    min_confidence: MinConfidence,
    /// Print matched values in full in text output (by default all but the last four characters are hidden).
    #[arg(long)]
    show_values: bool,
    /// Files or directories to scan; standard input when none or `-`.
    paths: Vec<PathBuf>,
}

/// Runs the scan. Exit 0 = nothing found, 1 = findings, 2 = an error (after scanning what could be).
pub fn run(args: &ScanArgs) -> Result<ExitCode> {
    let rules = load::rule_set(&args.rules)?;
    let sources = input::sources(&args.paths)?;
    let min = args.min_confidence.tier();
    let mut printer = Printer::new(args.format, args.show_values);
    let mut found = false;
    let mut failed = false;
    for source in &sources {
        let bytes = match input::read(source) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => continue,
            Err(e) => {
                eprintln!("warden: {e:#}");
                failed = true;
                continue;
            }
        };
        let text = input::to_text(bytes);
        let findings: Vec<_> = rules
            .scan(&text)
            .into_iter()
            .filter(|f| f.confidence >= min)
            .collect();
        found |= !findings.is_empty();
        printer.print(&source.name(), &text, &findings)?;
    }
    printer.finish()?;
    Ok(ExitCode::from(if failed {
        2
    } else if found {
        1
    } else {
        0
    }))
}
