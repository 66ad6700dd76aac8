//! PromptWarden's detection engine: rule files → a compiled [`RuleSet`] → [`RuleSet::scan`] → findings,
//! with validators, context scoring and masking.
//!
//! Everything that decides what is sensitive lives here and nowhere else; the command-line tool and the
//! browser extension (through WebAssembly) only adapt it. The crate does no I/O, reads no clock and
//! holds no global state, so the same text gives the same findings everywhere.
//!
//! ```
//! let file = warden_core::RuleFile::from_toml("example.toml", r#"
//! schema_version = 1
//! [[rule]]
//! id = "ticket-id"
//! description = "Internal ticket id"
//! entity = "TICKET_ID"
//! category = "confidential"
//! patterns = ['\bTCK-[0-9]{6}\b']
//! confidence = "medium"
//! "#).unwrap();
//! let rules = warden_core::compile(&[file]).unwrap();
//! let findings = rules.scan("see TCK-004211 for details");
//! assert_eq!(findings[0].rule_id(), "ticket-id");
//! assert_eq!((findings[0].start, findings[0].end), (4, 14));
//! ```

mod anchor;
pub mod builtin;
mod compile;
pub mod edm;
pub mod entropy;
mod error;
mod examples;
mod lazy_regex;
pub mod mask;
pub mod policy;
mod rule;
mod rule_file;
mod scan;
pub mod validate;

pub use compile::{
    DEFAULT_CONTEXT_WINDOW, ENGINE_VERSION, MAX_CONTEXT_WINDOW, MAX_PATTERN_LEN, MAX_RULES,
    RuleSet, SCHEMA_VERSION, compile,
};
pub use error::{Error, ErrorKind};
pub use examples::{ExampleFailure, ExampleFailureKind, ExampleReport};
pub use rule::{Category, Confidence, RuleInfo};
pub use rule_file::{
    MAX_RULE_FILE_BYTES, RawContext, RawExactMatch, RawExamples, RawRule, RuleFile,
};
pub use scan::Finding;
