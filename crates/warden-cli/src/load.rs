//! Loading rule files from disk (files or directories of `.toml` / `.json`) into a compiled rule set.

use crate::RuleArgs;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use warden_core::{RuleFile, RuleSet};

/// Expands directories into their rule files, sorted by name.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read the rule directory {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("toml" | "json")
                    )
                })
                .collect();
            files.sort();
            if files.is_empty() {
                bail!("{} holds no .toml or .json rule files", path.display());
            }
            out.extend(files);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// Reads and parses one rule file.
pub fn read(path: &Path) -> Result<RuleFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the rule file {}", path.display()))?;
    let name = path.display().to_string();
    Ok(
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            RuleFile::from_json(&name, &text)?
        } else {
            RuleFile::from_toml(&name, &text)?
        },
    )
}

/// The built-in packs (unless disabled) followed by the user's files.
pub fn rule_files(args: &RuleArgs) -> Result<Vec<RuleFile>> {
    let mut files = if args.no_builtin {
        Vec::new()
    } else {
        warden_core::builtin::rule_files()?
    };
    for path in expand(&args.rules)? {
        files.push(read(&path)?);
    }
    if files.is_empty() {
        bail!("no rules: --no-builtin was given without any --rules FILE");
    }
    Ok(files)
}

/// Compiles the selected rules, printing compiler warnings to standard error.
pub fn rule_set(args: &RuleArgs) -> Result<RuleSet> {
    let set = warden_core::compile(&rule_files(args)?)?;
    for w in set.warnings() {
        eprintln!("warden: warning: {w}");
    }
    Ok(set)
}
