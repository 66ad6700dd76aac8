//! `warden rules …`: the rule author's tools. `check` is the CI gate for every rule file.

use crate::{RuleArgs, load};
use anyhow::Result;
use clap::Subcommand;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use warden_core::validate::Validator;

/// `warden rules` subcommands.
#[derive(Subcommand)]
pub enum RulesCommand {
    /// Compile rule files and run every rule's examples (the built-in packs when no file is given).
    Check {
        /// Also compile the built-in packs first (for files that override or disable built-in rules).
        #[arg(long)]
        with_builtin: bool,
        /// Accept rules without examples.
        #[arg(long)]
        allow_missing_examples: bool,
        /// Rule files or directories.
        files: Vec<PathBuf>,
    },
    /// List the active rules.
    List {
        #[command(flatten)]
        rules: RuleArgs,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// List the validators rules can name instead.
        #[arg(long)]
        validators: bool,
    },
}

/// Runs a `rules` subcommand.
pub fn run(cmd: &RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::Check {
            with_builtin,
            allow_missing_examples,
            files,
        } => check(
            files,
            *with_builtin || files.is_empty(),
            !allow_missing_examples,
        ),
        RulesCommand::List {
            rules,
            json,
            validators,
        } => {
            if *validators {
                for v in Validator::ALL {
                    println!("{}", v.name());
                }
                return Ok(ExitCode::SUCCESS);
            }
            list(rules, *json)
        }
    }
}

fn check(files: &[PathBuf], with_builtin: bool, require_examples: bool) -> Result<ExitCode> {
    let args = RuleArgs {
        rules: files.to_vec(),
        no_builtin: !with_builtin,
    };
    let set = load::rule_set(&args)?;
    let report = set.check_examples(require_examples);
    for failure in &report.failures {
        println!("FAIL {failure}");
    }
    let mut per_source: BTreeMap<&str, usize> = BTreeMap::new();
    for source in set.rule_sources() {
        *per_source.entry(source).or_default() += 1;
    }
    for (source, n) in &per_source {
        println!("{source}: {n} rules");
    }
    println!(
        "{} rules, {} examples run, {} failed",
        set.len(),
        report.run,
        report.failures.len()
    );
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn list(args: &RuleArgs, json: bool) -> Result<ExitCode> {
    let set = load::rule_set(args)?;
    if json {
        let rules: Vec<_> = set.rules().collect();
        println!("{}", serde_json::to_string_pretty(&rules)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<40} {:<13} {:<28} {:<7} description",
        "id", "category", "entity", "tier"
    );
    for r in set.rules() {
        println!(
            "{:<40} {:<13} {:<28} {:<7} {}",
            r.id,
            r.category.as_str(),
            r.entity,
            r.confidence.as_str(),
            r.description
        );
    }
    println!("{} rules", set.len());
    Ok(ExitCode::SUCCESS)
}
