//! The built-in rule packs from `rules/`, embedded at build time so the CLI and the extension carry
//! the same rules without reading files.

use crate::compile::{RuleSet, compile};
use crate::error::Error;
use crate::rule_file::RuleFile;

macro_rules! packs {
    ($($name:literal),* $(,)?) => {
        /// Every built-in pack as `(path, TOML text)`, in the order they are compiled.
        pub const PACKS: &[(&str, &str)] = &[$((concat!("rules/", $name), include_str!(concat!("../../../rules/", $name)))),*];
    };
}

packs!(
    "secrets-cloud.toml",
    "secrets-dev.toml",
    "secrets-ai.toml",
    "secrets-saas.toml",
    "secrets-generic.toml",
    "pii.toml",
    "financial.toml",
    "gov-id.toml",
    "health.toml",
    "confidential.toml",
);

/// The built-in packs, parsed.
pub fn rule_files() -> Result<Vec<RuleFile>, Error> {
    PACKS
        .iter()
        .map(|(path, text)| RuleFile::from_toml(path, text))
        .collect()
}

/// The built-in packs, compiled.
pub fn rule_set() -> Result<RuleSet, Error> {
    compile(&rule_files()?)
}

#[cfg(test)]
mod tests {
    use super::PACKS;

    #[test]
    fn every_pack_in_rules_dir_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .map(|n| format!("rules/{n}"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = PACKS.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(
            on_disk, embedded,
            "add new rule packs to the list in builtin.rs"
        );
    }
}
