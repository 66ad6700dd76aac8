//! A rule's own regex, built the first time a scan needs it.
//!
//! Why: building regex-automata's meta engine for every rule is most of the cost of compiling a rule
//! set (about 140 ms natively for the built-in packs, over 500 ms in the browser's WebAssembly on a cold
//! start), yet a typical prompt wakes only a handful of rules. Compiling therefore checks each pattern
//! eagerly — it is parsed into a syntax tree, and everything the engine could still refuse is checked on
//! that tree — and the automaton is built on first use, once, behind a [`OnceLock`]. A rule set stays
//! immutable from the outside and can still be shared between threads.

use crate::error::Error;
use regex_automata::meta::{self, Regex};
use regex_automata::util::look::{Look, LookSet};
use regex_automata::util::syntax;
use regex_syntax::hir::Hir;
use std::sync::OnceLock;

/// Patterns and the engine configuration to build them with; the automaton itself comes later.
pub(crate) struct LazyRegex {
    patterns: Vec<String>,
    config: meta::Config,
    syntax: syntax::Config,
    built: OnceLock<Option<Regex>>,
}

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyRegex")
            .field("patterns", &self.patterns)
            .field("built", &self.built.get().is_some())
            .finish()
    }
}

impl LazyRegex {
    /// Patterns already parsed by the caller (see [`check_buildable`]); nothing is built yet.
    pub(crate) fn new(
        patterns: Vec<String>,
        config: meta::Config,
        syntax: syntax::Config,
    ) -> LazyRegex {
        LazyRegex {
            patterns,
            config,
            syntax,
            built: OnceLock::new(),
        }
    }

    /// The automaton, built on the first call. `None` only if the engine refuses patterns that passed
    /// [`check_buildable`], which the tests below rule out for everything the checks accept; the rule
    /// then finds nothing rather than abort the whole scan.
    pub(crate) fn get(&self) -> Option<&Regex> {
        self.built
            .get_or_init(|| {
                Regex::builder()
                    .configure(self.config.clone())
                    .syntax(self.syntax)
                    .build_many(&self.patterns)
                    .ok()
            })
            .as_ref()
    }

    /// Builds the automaton now and reports the engine's own error (used by tests and to prove the
    /// eager checks complete).
    #[cfg(test)]
    pub(crate) fn build_now(&self) -> Result<(), String> {
        Regex::builder()
            .configure(self.config.clone())
            .syntax(self.syntax)
            .build_many(&self.patterns)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// What the engine would refuse in a pattern that parsed: a Unicode word boundary (`(?u:\b)`) when
/// this build carries no Unicode word tables. The message is the one the engine's builder gives
/// ("error building NFA"), so a rule file fails the same way as when every regex was built eagerly.
/// Repetitions cannot overflow the engine's size limit, as every pattern's length is bounded.
pub(crate) fn check_buildable(id: &str, what: &str, hir: &Hir) -> Result<(), Error> {
    if hir.properties().look_set().contains_word_unicode()
        && LookSet::singleton(Look::WordUnicode).available().is_err()
    {
        return Err(Error::rule(
            id,
            format_args!("the {what} cannot be compiled: error building NFA"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{RuleFile, builtin, compile};

    /// Every pattern the eager checks accept builds: the built-in packs, and patterns at the edges of
    /// what a rule file may hold.
    #[test]
    fn accepted_patterns_build() {
        let set = compile(&builtin::rule_files().unwrap()).unwrap();
        for rule in &set.rules {
            rule.regex.build_now().unwrap();
            if let Some(allow) = &rule.allow {
                allow.build_now().unwrap();
            }
        }
        let edge = RuleFile::from_toml(
            "edge.toml",
            r#"schema_version = 1
[[rule]]
id = "edge"
description = "d"
entity = "E"
category = "pii"
patterns = ['(?:[^"\s]{0,63}){64}x', '(?i)(?:a|b|c|d|e|f|g|h){1,512}\b', '(?-u:\xFF)[\x00-\xFF]{1,4000}']
allow = ['(?s).{1,4096}']
"#,
        )
        .unwrap();
        let set = compile(&[edge]).unwrap();
        set.rules[0].regex.build_now().unwrap();
        set.rules[0].allow.as_ref().unwrap().build_now().unwrap();
    }

    /// A Unicode word boundary parses but needs tables this build may not carry: compiling says so
    /// up front, exactly when building the automaton would fail.
    #[test]
    fn unicode_word_boundaries_are_checked_up_front() {
        let file = RuleFile::from_toml(
            "u.toml",
            "schema_version = 1\n[[rule]]\nid = \"uni\"\ndescription = \"d\"\nentity = \"E\"\ncategory = \"pii\"\npatterns = ['(?u:\\b)abc']\n",
        )
        .unwrap();
        let available = regex_automata::util::look::LookSet::singleton(
            regex_automata::util::look::Look::WordUnicode,
        )
        .available()
        .is_ok();
        match compile(&[file]) {
            Ok(set) => {
                assert!(available, "compiled without Unicode word tables");
                set.rules[0].regex.build_now().unwrap();
            }
            Err(e) => {
                assert!(!available, "rejected although the tables are present: {e}");
                assert!(
                    e.to_string().contains(
                        "rule `uni`: the patterns cannot be compiled: error building NFA"
                    ),
                    "{e}"
                );
            }
        }
    }
}
