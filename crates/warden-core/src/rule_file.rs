//! The serde mirror of a rule file: strings and plain values only, exactly as authored. Nothing here is
//! checked beyond its shape; [`crate::compile`] turns one or more of these into a
//! [`crate::RuleSet`] and reports every problem there, starting with the rule id.
//!
//! Each rule is deserialized on its own so that an unknown or mistyped field is reported with the id of
//! the rule that carries it, not only a line number.

use crate::error::{Error, ErrorKind};
use serde::{Deserialize, Serialize};

/// The largest rule file accepted (built-in packs are a few hundred KiB; admin files with exact-data
/// hashes can be larger).
pub const MAX_RULE_FILE_BYTES: usize = 16 << 20;

/// One rule file, as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleFile {
    /// Where the file came from (a path or URL), used in messages. Not part of the file.
    #[serde(skip)]
    pub source: String,
    /// Format version; this engine reads 1.
    pub schema_version: u32,
    /// The oldest engine version that understands this file, e.g. `"0.1.0"`.
    pub min_engine_version: Option<String>,
    /// Ids of rules from earlier files to turn off.
    pub disabled_rules: Vec<String>,
    /// The rules.
    pub rules: Vec<RawRule>,
}

/// One `[[rule]]` entry, as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawRule {
    /// Stable kebab-case id.
    pub id: String,
    /// One-line description.
    pub description: String,
    /// Entity name (UPPER_SNAKE_CASE).
    pub entity: String,
    /// Category name.
    pub category: String,
    /// Regex patterns.
    pub patterns: Vec<String>,
    /// Literal terms (ASCII case-insensitive, on word boundaries).
    pub terms: Vec<String>,
    /// Capture group reported as the finding (0 = whole match).
    pub secret_group: Option<u32>,
    /// Prefilter keywords: the rule runs only where one occurs in or near the match.
    pub keywords: Vec<String>,
    /// Tier without context.
    pub confidence: Option<String>,
    /// Validator name.
    pub validator: Option<String>,
    /// Minimum Shannon entropy in bits per character.
    pub entropy: Option<f64>,
    /// Regexes: a value matching any is dropped.
    pub allow: Vec<String>,
    /// Substrings: a value containing any (ASCII case-insensitive) is dropped.
    pub stopwords: Vec<String>,
    /// Published sample values, always reported low.
    pub test_values: Vec<String>,
    /// Replace a rule with the same id from an earlier file.
    #[serde(rename = "override")]
    pub override_: bool,
    /// Context words.
    pub context: Option<RawContext>,
    /// Exact-data match on salted hashes.
    pub exact_match: Option<RawExactMatch>,
    /// Examples run by `warden rules check`.
    pub examples: Option<RawExamples>,
}

/// `[rule.context]` as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawContext {
    /// Context words.
    pub words: Vec<String>,
    /// Bytes searched either side of the match.
    pub window: Option<u32>,
    /// `boost` or `require`.
    pub effect: Option<String>,
    /// Tier with a nearby word.
    pub confidence: Option<String>,
}

/// `[rule.exact_match]` as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawExactMatch {
    /// Hex salt.
    pub salt: String,
    /// Hex SHA-256 digests of salt bytes followed by the normalized value.
    pub hashes: Vec<String>,
    /// Normalization name.
    pub normalize: Option<String>,
}

/// `[rule.examples]` as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawExamples {
    /// Texts in which the rule must find something.
    #[serde(rename = "match")]
    pub matches: Vec<String>,
    /// Texts in which the rule must find nothing.
    pub no_match: Vec<String>,
}

const TOP_LEVEL_KEYS: &[&str] = &[
    "schema_version",
    "min_engine_version",
    "disabled_rules",
    "rule",
];

impl RuleFile {
    /// Reads a rule file in TOML.
    pub fn from_toml(source: &str, text: &str) -> Result<RuleFile, Error> {
        check_size(source, text)?;
        let value: toml::Value = toml::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Syntax,
                format!(
                    "{source}: not a valid TOML rule file: {}",
                    e.message().trim()
                ),
            )
            .with_line(text, e.span().map(|s| s.start))
        })?;
        let json = serde_json::to_value(value).map_err(|e| {
            Error::new(
                ErrorKind::Syntax,
                format!("{source}: unsupported TOML value: {e}"),
            )
        })?;
        RuleFile::from_value(source, json)
    }

    /// Reads a rule file in JSON (the same fields as TOML; rules under `"rule"`).
    pub fn from_json(source: &str, text: &str) -> Result<RuleFile, Error> {
        check_size(source, text)?;
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Syntax,
                format!("{source}: not a valid JSON rule file: {e}"),
            )
        })?;
        RuleFile::from_value(source, json)
    }

    /// Reads a rule file, choosing TOML or JSON by its first non-blank character.
    pub fn parse(source: &str, text: &str) -> Result<RuleFile, Error> {
        match text.trim_start().as_bytes().first() {
            Some(b'{') => RuleFile::from_json(source, text),
            _ => RuleFile::from_toml(source, text),
        }
    }

    fn from_value(source: &str, value: serde_json::Value) -> Result<RuleFile, Error> {
        let syntax = |msg: String| Error::new(ErrorKind::Syntax, format!("{source}: {msg}"));
        let serde_json::Value::Object(mut top) = value else {
            return Err(syntax("the top level must be a table".into()));
        };
        if let Some(key) = top.keys().find(|k| !TOP_LEVEL_KEYS.contains(&k.as_str())) {
            return Err(syntax(format!(
                "unknown top-level key `{key}`; expected one of: {}",
                TOP_LEVEL_KEYS.join(", ")
            )));
        }
        let schema_version = match top.remove("schema_version") {
            None => {
                return Err(Error::new(
                    ErrorKind::UnsupportedSchema,
                    format!(
                        "{source}: `schema_version` is missing; add `schema_version = 1` at the top of the file"
                    ),
                ));
            }
            Some(v) => v
                .as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::UnsupportedSchema,
                        format!("{source}: `schema_version` must be a whole number such as 1"),
                    )
                })?,
        };
        let min_engine_version = match top.remove("min_engine_version") {
            None => None,
            Some(serde_json::Value::String(s)) => Some(s),
            Some(_) => {
                return Err(syntax(
                    "`min_engine_version` must be a string such as \"0.1.0\"".into(),
                ));
            }
        };
        let disabled_rules = match top.remove("disabled_rules") {
            None => Vec::new(),
            Some(v) => serde_json::from_value(v)
                .map_err(|_| syntax("`disabled_rules` must be a list of rule ids".into()))?,
        };
        let raw_rules = match top.remove("rule") {
            None => Vec::new(),
            Some(serde_json::Value::Array(items)) => items,
            Some(_) => {
                return Err(syntax(
                    "`rule` must be an array of tables (`[[rule]]`)".into(),
                ));
            }
        };
        let mut rules = Vec::with_capacity(raw_rules.len());
        for (i, item) in raw_rules.into_iter().enumerate() {
            let id = item.get("id").and_then(|v| v.as_str()).map(str::to_owned);
            let name = match &id {
                Some(id) => format!("rule `{id}`"),
                None => format!("rule #{} (no `id`)", i + 1),
            };
            let rule: RawRule = serde_json::from_value(item).map_err(|e| {
                Error::new(ErrorKind::InvalidRule, format!("{source}: {name}: {e}"))
            })?;
            rules.push(rule);
        }
        Ok(RuleFile {
            source: source.to_owned(),
            schema_version,
            min_engine_version,
            disabled_rules,
            rules,
        })
    }
}

fn check_size(source: &str, text: &str) -> Result<(), Error> {
    if text.len() > MAX_RULE_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!(
                "{source}: the rule file is {} bytes; the limit is {} bytes — split it into several files",
                text.len(),
                MAX_RULE_FILE_BYTES
            ),
        ));
    }
    Ok(())
}

impl Error {
    fn with_line(mut self, text: &str, offset: Option<usize>) -> Error {
        if let Some(offset) = offset {
            let line = text
                .get(..offset)
                .map_or(0, |t| t.bytes().filter(|&b| b == b'\n').count())
                + 1;
            self = Error::new(self.kind(), format!("{} (line {line})", self.message()));
        }
        self
    }
}
