//! `warden`: PromptWarden's command-line tool for administrators and rule authors. It runs the same
//! engine as the browser extension: scan files, check and list rules, mask and unmask text, hash
//! exact-data values and benchmark the engine.
//!
//! Exit codes: 0 = nothing found / all checks passed, 1 = findings / a check failed, 2 = error.

mod bench;
mod bundle_cmd;
mod input;
mod load;
mod mask_cmd;
mod output;
mod rules_cmd;
mod scan_cmd;
mod stream;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "warden",
    version,
    about = "Find and mask secrets and personal data with PromptWarden's detection engine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files, directories or standard input for sensitive data.
    Scan(scan_cmd::ScanArgs),
    /// Check, list or inspect rule files.
    #[command(subcommand)]
    Rules(rules_cmd::RulesCommand),
    /// Mask sensitive data in standard input and write the result to standard output.
    Mask(mask_cmd::MaskArgs),
    /// Put masked values back into standard input using a saved mapping.
    Unmask(mask_cmd::UnmaskArgs),
    /// Exact-data-match helpers for administrators.
    #[command(subcommand)]
    Edm(mask_cmd::EdmCommand),
    /// Measure scan throughput, prompt latency and compile time.
    Bench(bench::BenchArgs),
    /// Make signing keys, sign rule bundles and verify them as the extension does.
    #[command(subcommand)]
    Bundle(bundle_cmd::BundleCommand),
}

/// Rule selection shared by the commands that scan.
#[derive(Args, Clone)]
pub struct RuleArgs {
    /// Extra rule file or directory, compiled after the built-in packs (repeatable).
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// Use only the files given with --rules, not the built-in packs.
    #[arg(long)]
    pub no_builtin: bool,
}

/// The lowest confidence tier reported.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum MinConfidence {
    /// Everything.
    Low,
    /// Medium and high.
    Medium,
    /// High only.
    High,
}

impl MinConfidence {
    fn tier(self) -> warden_core::Confidence {
        match self {
            MinConfidence::Low => warden_core::Confidence::Low,
            MinConfidence::Medium => warden_core::Confidence::Medium,
            MinConfidence::High => warden_core::Confidence::High,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan_cmd::run(&args),
        Command::Rules(cmd) => rules_cmd::run(&cmd),
        Command::Mask(args) => mask_cmd::mask(&args),
        Command::Unmask(args) => mask_cmd::unmask(&args),
        Command::Edm(cmd) => mask_cmd::edm(&cmd),
        Command::Bench(args) => bench::run(&args),
        Command::Bundle(cmd) => bundle_cmd::run(&cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("warden: {e:#}");
            ExitCode::from(2)
        }
    }
}
