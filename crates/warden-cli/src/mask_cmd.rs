//! `warden mask`, `warden unmask` and `warden edm`: text transformations for people and scripts.

use crate::{MinConfidence, RuleArgs, load};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use warden_core::edm::{Normalize, hash_value};
use warden_core::mask::{Mapping, MaskStyle};

/// Masking style names for the command line.
#[derive(Clone, Copy, ValueEnum, Debug, PartialEq, Eq)]
enum Style {
    /// `[EMAIL_ADDRESS_1]`; reversible with `warden unmask`.
    Placeholder,
    /// `[REDACTED]`.
    Redact,
    /// All but the last four letters or digits become `*`.
    Partial,
    /// Fake values of the same shape that pass the entity's validator.
    Surrogate,
}

/// Arguments of `warden mask`.
#[derive(Args)]
pub struct MaskArgs {
    #[command(flatten)]
    rules: RuleArgs,
    /// How findings are replaced.
    #[arg(long, value_enum, default_value_t = Style::Placeholder)]
    style: Style,
    /// The lowest confidence tier masked.
    #[arg(long, value_enum, default_value_t = MinConfidence::Low)]
    min_confidence: MinConfidence,
    /// Mapping file: read if it exists (so values keep their placeholders), written back afterwards.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Seed for surrogate values of a new mapping.
    #[arg(long, default_value = "")]
    seed: String,
}

/// Arguments of `warden unmask`.
#[derive(Args)]
pub struct UnmaskArgs {
    /// Mapping file written by `warden mask --mapping`.
    #[arg(long, value_name = "FILE")]
    mapping: PathBuf,
}

/// `warden edm` subcommands.
#[derive(Subcommand)]
pub enum EdmCommand {
    /// Print the salted SHA-256 of each value (arguments, or one per line on standard input), for
    /// `exact_match.hashes` in a rule file.
    Hash {
        /// The salt as hex (at least 16 hex digits), e.g. from `openssl rand -hex 16`.
        #[arg(long)]
        salt: String,
        /// Normalization, the same as the rule's `exact_match.normalize`.
        #[arg(long, default_value = "none")]
        normalize: String,
        /// Values; standard input when none.
        values: Vec<String>,
    },
}

fn style(s: Style) -> MaskStyle {
    match s {
        Style::Placeholder => MaskStyle::Placeholder,
        Style::Redact => MaskStyle::Redact,
        Style::Partial => MaskStyle::Partial,
        Style::Surrogate => MaskStyle::Surrogate,
    }
}

fn stdin_text() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(crate::input::MAX_INPUT_BYTES)
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    Ok(crate::input::to_text(bytes))
}

fn read_mapping(path: &PathBuf) -> Result<Option<Mapping>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a mapping written by `warden mask --mapping`",
                path.display()
            )
        })?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Masks standard input. Exit 0 = nothing masked, 1 = something was masked.
pub fn mask(args: &MaskArgs) -> Result<ExitCode> {
    let rules = load::rule_set(&args.rules)?;
    let text = stdin_text()?;
    let min = args.min_confidence.tier();
    let findings: Vec<_> = rules
        .scan(&text)
        .into_iter()
        .filter(|f| f.confidence >= min)
        .collect();
    let mut mapping = match &args.mapping {
        Some(path) => read_mapping(path)?.unwrap_or_else(|| Mapping::with_seed(args.seed.clone())),
        None => Mapping::with_seed(args.seed.clone()),
    };
    let masked = warden_core::mask::mask(&text, &findings, style(args.style), &mut mapping)?;
    std::io::stdout().write_all(masked.text.as_bytes())?;
    if let Some(path) = &args.mapping {
        std::fs::write(path, serde_json::to_vec_pretty(&mapping)?)
            .with_context(|| format!("cannot write the mapping to {}", path.display()))?;
    }
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Restores masked values in standard input.
pub fn unmask(args: &UnmaskArgs) -> Result<ExitCode> {
    let Some(mapping) = read_mapping(&args.mapping)? else {
        bail!(
            "{}: no such mapping file; write one with `warden mask --mapping FILE`",
            args.mapping.display()
        );
    };
    let text = stdin_text()?;
    std::io::stdout().write_all(warden_core::mask::unmask(&text, &mapping).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Runs an `edm` subcommand.
pub fn edm(cmd: &EdmCommand) -> Result<ExitCode> {
    let EdmCommand::Hash {
        salt,
        normalize,
        values,
    } = cmd;
    let salt_bytes = warden_core::edm::decode_hex(salt)
        .filter(|s| s.len() >= 8)
        .context("--salt must be at least 8 bytes of hex (16 hex digits), e.g. from `openssl rand -hex 16`")?;
    let normalize = Normalize::from_name(normalize)
        .context("--normalize must be one of: none, lowercase, uppercase, digits, alnum-upper")?;
    let values: Vec<String> = if values.is_empty() {
        stdin_text()?
            .lines()
            .map(str::to_owned)
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        values.clone()
    };
    let mut out = std::io::stdout().lock();
    for v in values {
        writeln!(out, "{}", hash_value(&salt_bytes, &v, normalize))?;
    }
    Ok(ExitCode::SUCCESS)
}
