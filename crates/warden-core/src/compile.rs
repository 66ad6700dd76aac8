//! Compile: one or more [`RuleFile`]s → an immutable [`RuleSet`]. Every check of a rule happens here,
//! and every error names the rule and says what to change.
//!
//! The design decision to know: all patterns of all rules go into **two** multi-pattern automata built
//! once — a leftmost-first `finder` that locates candidate regions in one pass, and a match-kind-all
//! `set` that says which rules match inside a region — plus one small regex per rule that is only ever
//! run inside such a region. Patterns are compiled in ASCII mode and must have a bounded length, so a
//! scan is linear in its input whatever the input is.

use crate::edm::{ExactMatch, Normalize};
use crate::error::{Error, ErrorKind};
use crate::rule::{Category, Confidence, RuleInfo};
use crate::rule_file::{RawRule, RuleFile};
use crate::validate::Validator;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcMatchKind};
use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::{MatchKind, nfa::thompson::WhichCaptures};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The schema version of rule files this engine reads.
pub const SCHEMA_VERSION: u32 = 1;
/// The engine version, compared with a file's `min_engine_version`.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The longest match a pattern may produce, in bytes.
pub const MAX_PATTERN_LEN: usize = 4096;
/// The largest context window a rule may ask for, in bytes either side.
pub const MAX_CONTEXT_WINDOW: u32 = 2048;
/// The context window when a rule names none.
pub const DEFAULT_CONTEXT_WINDOW: u32 = 300;
/// The most rules one rule set may hold.
pub const MAX_RULES: usize = 5000;

/// A compiled, immutable set of rules. Build one with [`compile`]; scan with [`RuleSet::scan`]. An update
/// builds a new `RuleSet`; this one is never changed.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) rules: Vec<Rule>,
    /// Pattern id in `finder` / `set` → index into `rules`.
    pub(crate) pattern_rule: Vec<u32>,
    pub(crate) finder: Option<Regex>,
    pub(crate) set: Option<Regex>,
    pub(crate) keywords: Option<AhoCorasick>,
    pub(crate) context_words: Option<AhoCorasick>,
    /// For each context word: whether it must stand as a whole word at its start and at its end.
    pub(crate) context_word_edges: Vec<(bool, bool)>,
    /// Largest keyword/context window of any rule.
    pub(crate) max_window: usize,
    pub(crate) warnings: Vec<String>,
}

/// A compiled rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) info: Arc<RuleInfo>,
    pub(crate) regex: Regex,
    pub(crate) group: usize,
    /// Sorted ids into the keyword automaton.
    pub(crate) keywords: Vec<u32>,
    pub(crate) validator: Option<Validator>,
    pub(crate) entropy: Option<f64>,
    pub(crate) allow: Option<Regex>,
    pub(crate) stopwords: Vec<String>,
    /// Test values, normalized with [`normalize_sample`].
    pub(crate) test_values: HashSet<String>,
    pub(crate) context: Option<Context>,
    pub(crate) exact: Option<ExactMatch>,
    pub(crate) window: usize,
    pub(crate) examples_match: Vec<String>,
    pub(crate) examples_no_match: Vec<String>,
    pub(crate) source: String,
}

#[derive(Debug)]
pub(crate) struct Context {
    /// Sorted ids into the context-word automaton.
    pub(crate) words: Vec<u32>,
    pub(crate) require: bool,
    pub(crate) confidence: Confidence,
}

/// Compiles rule files, in order, into one rule set. Later files may disable rules of earlier ones
/// (`disabled_rules`) or replace them (`override = true`).
pub fn compile(files: &[RuleFile]) -> Result<RuleSet, Error> {
    let mut raw: Vec<(RawRule, &str)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut disabled: HashSet<String> = HashSet::new();
    let mut warnings = Vec::new();
    for file in files {
        check_header(file)?;
        for id in &file.disabled_rules {
            if !index.contains_key(id) {
                warnings.push(format!(
                    "{}: `disabled_rules` names `{id}`, which no earlier file defines; check the spelling",
                    file.source
                ));
            }
            disabled.insert(id.clone());
        }
        let mut seen_here = HashSet::new();
        for rule in &file.rules {
            check_id(&rule.id)?;
            if !seen_here.insert(rule.id.as_str()) {
                return Err(Error::new(
                    ErrorKind::DuplicateRule,
                    format!("rule `{}`: the id is used twice in {}; give each rule its own id", rule.id, file.source),
                ));
            }
            match index.get(&rule.id) {
                Some(&i) if rule.override_ => {
                    raw[i] = (rule.clone(), file.source.as_str());
                    disabled.remove(&rule.id);
                }
                Some(&i) => {
                    return Err(Error::new(
                        ErrorKind::DuplicateRule,
                        format!(
                            "rule `{}`: the id is already defined in {}; choose a new id, or set `override = true` to replace that rule",
                            rule.id, raw[i].1
                        ),
                    ));
                }
                None => {
                    if rule.override_ {
                        warnings.push(format!(
                            "rule `{}`: `override = true` but no earlier file defines it; the rule is added as new",
                            rule.id
                        ));
                    }
                    index.insert(rule.id.clone(), raw.len());
                    raw.push((rule.clone(), file.source.as_str()));
                }
            }
        }
    }
    let active: Vec<(RawRule, &str)> = raw.into_iter().filter(|(r, _)| !disabled.contains(&r.id)).collect();
    if active.len() > MAX_RULES {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!("{} rules are active; the limit is {MAX_RULES} — disable rules you do not need", active.len()),
        ));
    }
    build(active, warnings)
}

fn check_header(file: &RuleFile) -> Result<(), Error> {
    if file.schema_version != SCHEMA_VERSION {
        return Err(Error::new(
            ErrorKind::UnsupportedSchema,
            format!(
                "{}: schema_version {} is not supported; this engine reads schema_version {SCHEMA_VERSION} — \
                 convert the file or update PromptWarden",
                file.source, file.schema_version
            ),
        ));
    }
    if let Some(min) = &file.min_engine_version {
        let need = parse_version(min).ok_or_else(|| {
            Error::new(
                ErrorKind::Syntax,
                format!("{}: min_engine_version `{min}` is not a version such as \"0.1.0\"", file.source),
            )
        })?;
        let have = parse_version(ENGINE_VERSION).unwrap_or((0, 0, 0));
        if need > have {
            return Err(Error::new(
                ErrorKind::EngineTooOld,
                format!(
                    "{}: the file needs engine {min} or newer; this is {ENGINE_VERSION} — update PromptWarden",
                    file.source
                ),
            ));
        }
    }
    Ok(())
}

fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.trim().split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

fn check_id(id: &str) -> Result<(), Error> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.split('-').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if ok {
        Ok(())
    } else if id.is_empty() {
        Err(Error::new(ErrorKind::InvalidRule, "a rule has no `id`; give every rule a kebab-case id such as `aws-access-key-id`"))
    } else {
        Err(Error::rule(id, "the id must be kebab-case (lowercase letters and digits separated by single dashes, at most 64 characters)"))
    }
}

/// The syntax every pattern is parsed with: ASCII classes and word boundaries, byte-oriented.
fn syntax_config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

fn meta_config(kind: MatchKind, captures: WhichCaptures) -> meta::Config {
    meta::Config::new()
        .match_kind(kind)
        .utf8_empty(false)
        .which_captures(captures)
        .nfa_size_limit(Some(256 << 20))
        .hybrid_cache_capacity(8 << 20)
}

struct PatternCheck {
    captures: usize,
}

fn check_pattern(id: &str, what: &str, pattern: &str) -> Result<PatternCheck, Error> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| Error::rule(id, format_args!("invalid {what} `{pattern}`:\n{e}")))?;
    let props = hir.properties();
    match props.maximum_len() {
        None => {
            return Err(Error::rule(
                id,
                format_args!(
                    "{what} `{pattern}` can match text of unbounded length; give every repetition an upper bound \
                     (for example `{{8,256}}` instead of `+`, `*` or `{{8,}}`)"
                ),
            ));
        }
        Some(max) if max > MAX_PATTERN_LEN => {
            return Err(Error::rule(
                id,
                format_args!("{what} `{pattern}` can match {max} bytes; the limit is {MAX_PATTERN_LEN} — lower its repetition bounds"),
            ));
        }
        Some(_) => {}
    }
    if props.minimum_len() == Some(0) {
        return Err(Error::rule(id, format_args!("{what} `{pattern}` can match the empty string; make it match at least one character")));
    }
    Ok(PatternCheck { captures: props.explicit_captures_len() })
}

fn term_pattern(term: &str) -> String {
    let escaped = regex_syntax::escape(term);
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let lead = if word(term.chars().next()) { r"\b" } else { "" };
    let tail = if word(term.chars().last()) { r"\b" } else { "" };
    format!("{lead}{escaped}{tail}")
}

fn confidence(id: &str, field: &str, value: Option<&str>, default: Confidence) -> Result<Confidence, Error> {
    match value {
        None => Ok(default),
        Some(v) => Confidence::from_name(v)
            .ok_or_else(|| Error::rule(id, format_args!("`{field}` is `{v}`; use one of: low, medium, high"))),
    }
}

/// Collects words into one automaton, deduplicating ASCII-case-insensitively.
#[derive(Default)]
struct WordTable {
    words: Vec<String>,
    ids: HashMap<String, u32>,
}

impl WordTable {
    fn id(&mut self, word: &str) -> u32 {
        let key = word.to_ascii_lowercase();
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(key.clone());
        self.ids.insert(key, id);
        id
    }

    fn build(&self) -> Result<Option<AhoCorasick>, Error> {
        if self.words.is_empty() {
            return Ok(None);
        }
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(AcMatchKind::Standard)
            .build(&self.words)
            .map(Some)
            .map_err(|e| Error::new(ErrorKind::TooLarge, format!("the keyword and context-word lists are too large: {e}")))
    }
}

fn build(active: Vec<(RawRule, &str)>, warnings: Vec<String>) -> Result<RuleSet, Error> {
    let mut rules = Vec::with_capacity(active.len());
    let mut all_patterns: Vec<String> = Vec::new();
    let mut pattern_rule: Vec<u32> = Vec::new();
    let mut keyword_table = WordTable::default();
    let mut context_table = WordTable::default();
    let mut max_window = 0usize;

    for (index, (raw, source)) in active.into_iter().enumerate() {
        let id = raw.id.as_str();
        let (rule, patterns) =
            compile_rule(&raw, source, &mut keyword_table, &mut context_table).map_err(|e| e.with_context(source))?;
        max_window = max_window.max(rule.window);
        for p in patterns {
            all_patterns.push(p);
            pattern_rule.push(index as u32);
        }
        debug_assert_eq!(rule.info.id, id);
        rules.push(rule);
    }

    let (finder, set) = if all_patterns.is_empty() {
        (None, None)
    } else {
        let build = |kind, captures| {
            Regex::builder()
                .configure(meta_config(kind, captures))
                .syntax(syntax_config())
                .build_many(&all_patterns)
                .map_err(|e| {
                    Error::new(ErrorKind::TooLarge, format!("the rule set's patterns cannot be combined into one automaton: {e}; disable some rules or simplify large patterns"))
                })
        };
        (
            // The finder reports match spans, which needs the implicit whole-match group; the set only
            // reports which patterns matched.
            Some(build(MatchKind::LeftmostFirst, WhichCaptures::Implicit)?),
            Some(build(MatchKind::All, WhichCaptures::None)?),
        )
    };
    let context_word_edges = context_table
        .words
        .iter()
        .map(|w| {
            let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            (word(w.chars().next()), word(w.chars().last()))
        })
        .collect();
    Ok(RuleSet {
        rules,
        pattern_rule,
        finder,
        set,
        keywords: keyword_table.build()?,
        context_words: context_table.build()?,
        context_word_edges,
        max_window,
        warnings,
    })
}

fn compile_rule(
    raw: &RawRule,
    source: &str,
    keyword_table: &mut WordTable,
    context_table: &mut WordTable,
) -> Result<(Rule, Vec<String>), Error> {
    let id = raw.id.as_str();
    if raw.description.trim().is_empty() {
        return Err(Error::rule(id, "`description` is missing; say in one line what the rule finds"));
    }
    let entity_ok = !raw.entity.is_empty()
        && raw.entity.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && raw.entity.as_bytes()[0].is_ascii_uppercase();
    if !entity_ok {
        return Err(Error::rule(
            id,
            format_args!("`entity` is `{}`; use an UPPER_SNAKE_CASE name such as `EMAIL_ADDRESS`", raw.entity),
        ));
    }
    let category = Category::from_name(&raw.category).ok_or_else(|| {
        Error::rule(
            id,
            format_args!(
                "`category` is `{}`; use one of: pii, secret, financial, gov_id, health, confidential",
                raw.category
            ),
        )
    })?;
    let base = confidence(id, "confidence", raw.confidence.as_deref(), Confidence::Low)?;

    if raw.patterns.is_empty() && raw.terms.is_empty() {
        return Err(Error::rule(id, "the rule has neither `patterns` nor `terms`; add at least one"));
    }
    let mut patterns = Vec::new();
    let mut min_captures = usize::MAX;
    for (i, p) in raw.patterns.iter().enumerate() {
        let check = check_pattern(id, &format!("pattern {}", i + 1), p)?;
        min_captures = min_captures.min(check.captures);
        patterns.push(p.clone());
    }
    let terms: Vec<&String> = raw.terms.iter().filter(|t| !t.trim().is_empty()).collect();
    if raw.terms.len() != terms.len() {
        return Err(Error::rule(id, "`terms` contains an empty term; remove it"));
    }
    if !terms.is_empty() {
        let joined = terms.iter().map(|t| term_pattern(t)).collect::<Vec<_>>().join("|");
        let p = format!("(?i:{joined})");
        check_pattern(id, "terms", &p)?;
        min_captures = 0;
        patterns.push(p);
    }
    let group = raw.secret_group.unwrap_or(0) as usize;
    if group > 0 && group > min_captures {
        return Err(Error::rule(
            id,
            format_args!("`secret_group = {group}` but a pattern has only {min_captures} capture group(s); add the group to every pattern or lower the number"),
        ));
    }
    let captures = if group > 0 { WhichCaptures::All } else { WhichCaptures::Implicit };
    let regex = Regex::builder()
        .configure(meta_config(MatchKind::LeftmostFirst, captures))
        .syntax(syntax_config())
        .build_many(&patterns)
        .map_err(|e| Error::rule(id, format_args!("the patterns cannot be compiled: {e}")))?;

    let validator = match raw.validator.as_deref() {
        None => None,
        Some(name) => Some(Validator::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Validator::ALL.iter().map(|v| v.name()).collect();
            Error::rule(id, format_args!("unknown validator `{name}`; known validators: {}", known.join(", ")))
        })?),
    };
    if let Some(e) = raw.entropy
        && !(0.0..=8.0).contains(&e)
    {
        return Err(Error::rule(id, format_args!("`entropy = {e}` is out of range; use bits per character between 0 and 8 (3.5 is typical)")));
    }
    let allow = if raw.allow.is_empty() {
        None
    } else {
        for (i, p) in raw.allow.iter().enumerate() {
            regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(p)
                .map_err(|e| Error::rule(id, format_args!("invalid allow pattern {} `{p}`:\n{e}", i + 1)))?;
        }
        Some(
            Regex::builder()
                .configure(meta_config(MatchKind::LeftmostFirst, WhichCaptures::None))
                .syntax(syntax_config())
                .build_many(&raw.allow)
                .map_err(|e| Error::rule(id, format_args!("the allow patterns cannot be compiled: {e}")))?,
        )
    };
    if raw.stopwords.iter().any(|s| s.is_empty()) {
        return Err(Error::rule(id, "`stopwords` contains an empty string, which would drop every match; remove it"));
    }
    if raw.keywords.iter().any(|s| s.trim().is_empty()) {
        return Err(Error::rule(id, "`keywords` contains an empty keyword; remove it"));
    }
    let mut keywords: Vec<u32> = raw.keywords.iter().map(|k| keyword_table.id(k)).collect();
    keywords.sort_unstable();
    keywords.dedup();

    let mut window = DEFAULT_CONTEXT_WINDOW;
    let context = match &raw.context {
        None => None,
        Some(ctx) => {
            if ctx.words.is_empty() || ctx.words.iter().any(|w| w.trim().is_empty()) {
                return Err(Error::rule(id, "`context.words` must list at least one non-empty word"));
            }
            if let Some(w) = ctx.window {
                if w == 0 || w > MAX_CONTEXT_WINDOW {
                    return Err(Error::rule(id, format_args!("`context.window = {w}` is out of range; use 1 to {MAX_CONTEXT_WINDOW} bytes")));
                }
                window = w;
            }
            let require = match ctx.effect.as_deref() {
                None | Some("boost") => false,
                Some("require") => true,
                Some(other) => return Err(Error::rule(id, format_args!("`context.effect` is `{other}`; use `boost` or `require`"))),
            };
            let confidence = confidence(id, "context.confidence", ctx.confidence.as_deref(), base.raised())?;
            let mut words: Vec<u32> = ctx.words.iter().map(|w| context_table.id(w)).collect();
            words.sort_unstable();
            words.dedup();
            Some(Context { words, require, confidence })
        }
    };
    let exact = match &raw.exact_match {
        None => None,
        Some(em) => {
            let normalize = match em.normalize.as_deref() {
                None => Normalize::None,
                Some(n) => Normalize::from_name(n).ok_or_else(|| {
                    Error::rule(id, format_args!("`exact_match.normalize` is `{n}`; use one of: none, lowercase, uppercase, digits, alnum-upper"))
                })?,
            };
            Some(ExactMatch::new(&em.salt, &em.hashes, normalize).map_err(|m| Error::rule(id, m))?)
        }
    };
    let examples = raw.examples.clone().unwrap_or_default();
    let info = Arc::new(RuleInfo {
        id: raw.id.clone(),
        description: raw.description.trim().to_owned(),
        entity: raw.entity.clone(),
        category,
        confidence: base,
        validator: validator.map(Validator::name),
    });
    let rule = Rule {
        info,
        regex,
        group,
        keywords,
        validator,
        entropy: raw.entropy,
        allow,
        stopwords: raw.stopwords.iter().map(|s| s.to_ascii_lowercase()).collect(),
        test_values: raw.test_values.iter().map(|v| normalize_sample(v)).collect(),
        context,
        exact,
        window: window as usize,
        examples_match: examples.matches,
        examples_no_match: examples.no_match,
        source: source.to_owned(),
    };
    Ok((rule, patterns))
}

/// The form in which test values are compared: ASCII letters and digits only, lowercased.
pub(crate) fn normalize_sample(v: &str) -> String {
    v.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

impl RuleSet {
    /// The number of active rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether no rule is active.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The active rules, in file order.
    pub fn rules(&self) -> impl Iterator<Item = &RuleInfo> {
        self.rules.iter().map(|r| r.info.as_ref())
    }

    /// Where each active rule was defined (the source name of its file), in the same order as [`RuleSet::rules`].
    pub fn rule_sources(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.source.as_str())
    }

    /// Non-fatal remarks from compiling (for example a disabled id that no file defines).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[rule]]
id = "ticket-id"
description = "Ticket"
entity = "TICKET_ID"
category = "confidential"
patterns = ['\bTCK-[0-9]{6}\b']
"#;

    fn compile_toml(text: &str) -> Result<RuleSet, Error> {
        compile(&[RuleFile::from_toml("test.toml", text)?])
    }

    /// Every bad input fails with its kind and a message naming the rule (where there is one) and
    /// saying what to change.
    #[test]
    fn bad_rule_files_are_explained() {
        let rule = |extra: &str| format!("schema_version = 1\n[[rule]]\nid = \"bad-rule\"\ndescription = \"d\"\nentity = \"E\"\ncategory = \"pii\"\n{extra}\n");
        let cases: Vec<(String, ErrorKind, &[&str])> = vec![
            ("schema_version = 1\n[[rule]\n".into(), ErrorKind::Syntax, &["not a valid TOML", "line 2"]),
            (format!("schema_version = 2\n{GOOD}"), ErrorKind::UnsupportedSchema, &["schema_version 2", "reads schema_version 1"]),
            (GOOD.into(), ErrorKind::UnsupportedSchema, &["`schema_version` is missing", "schema_version = 1"]),
            (format!("schema_version = 1\nmin_engine_version = \"99.0\"\n{GOOD}"), ErrorKind::EngineTooOld, &["needs engine 99.0", "update PromptWarden"]),
            (format!("schema_version = 1\nextra = 1\n{GOOD}"), ErrorKind::Syntax, &["unknown top-level key `extra`"]),
            (rule("patterns = ['a{1,3}']\npatern = 'x'"), ErrorKind::InvalidRule, &["rule `bad-rule`", "unknown field `patern`"]),
            (rule("patterns = ['a(b']"), ErrorKind::InvalidRule, &["rule `bad-rule`", "invalid pattern 1 `a(b`"]),
            (rule("patterns = ['[0-9]+']"), ErrorKind::InvalidRule, &["rule `bad-rule`", "unbounded", "{8,256}"]),
            (rule("patterns = ['a{0,3}']"), ErrorKind::InvalidRule, &["rule `bad-rule`", "empty string"]),
            (rule("patterns = ['a{1,5000}']"), ErrorKind::InvalidRule, &["rule `bad-rule`", "the limit is 4096"]),
            (rule(""), ErrorKind::InvalidRule, &["rule `bad-rule`", "neither `patterns` nor `terms`"]),
            (rule("patterns = ['a{1,3}']\nvalidator = \"lunh\""), ErrorKind::InvalidRule, &["rule `bad-rule`", "unknown validator `lunh`", "known validators:"]),
            (rule("patterns = ['a{1,3}']\nconfidence = \"sure\""), ErrorKind::InvalidRule, &["rule `bad-rule`", "use one of: low, medium, high"]),
            (rule("patterns = ['(a{1,3})']\nsecret_group = 2"), ErrorKind::InvalidRule, &["rule `bad-rule`", "secret_group = 2", "only 1 capture group"]),
            (rule("patterns = ['a{1,3}']\nentropy = 12.0"), ErrorKind::InvalidRule, &["rule `bad-rule`", "out of range"]),
            (rule("patterns = ['a{1,3}']\nallow = ['(']"), ErrorKind::InvalidRule, &["rule `bad-rule`", "invalid allow pattern 1"]),
            (rule("patterns = ['a{1,3}']\nstopwords = ['']"), ErrorKind::InvalidRule, &["rule `bad-rule`", "empty string"]),
            (rule("patterns = ['a{1,3}']\n[rule.context]\nwords = ['x']\neffect = \"maybe\""), ErrorKind::InvalidRule, &["rule `bad-rule`", "`boost` or `require`"]),
            (rule("patterns = ['a{1,3}']\n[rule.context]\nwords = ['x']\nwindow = 99999"), ErrorKind::InvalidRule, &["rule `bad-rule`", "1 to 2048"]),
            (rule("patterns = ['a{1,3}']\n[rule.exact_match]\nsalt = 'nothex'\nhashes = []"), ErrorKind::InvalidRule, &["rule `bad-rule`", "salt"]),
            (rule("patterns = ['a{1,3}']\n[rule.examples]\nmatch = 'x'"), ErrorKind::InvalidRule, &["rule `bad-rule`", "invalid type"]),
            (format!("schema_version = 1\n[[rule]]\nid = \"Bad_Id\"\ndescription = \"d\"\nentity = \"E\"\ncategory = \"pii\"\npatterns = ['a{{1,3}}']"), ErrorKind::InvalidRule, &["rule `Bad_Id`", "kebab-case"]),
            (rule("patterns = ['a{1,3}']").replace("category = \"pii\"", "category = \"personal\""), ErrorKind::InvalidRule, &["rule `bad-rule`", "`category` is `personal`", "gov_id"]),
            (rule("patterns = ['a{1,3}']").replace("entity = \"E\"", "entity = \"email\""), ErrorKind::InvalidRule, &["rule `bad-rule`", "UPPER_SNAKE_CASE"]),
            (format!("{}{}", rule("patterns = ['a{1,3}']"), rule("patterns = ['b{1,3}']").replace("schema_version = 1\n", "")), ErrorKind::DuplicateRule, &["rule `bad-rule`", "used twice"]),
        ];
        for (text, kind, needles) in cases {
            let err = match compile_toml(&text) {
                Ok(_) => panic!("compiled but should fail:\n{text}"),
                Err(e) => e,
            };
            assert_eq!(err.kind(), kind, "{err}\n{text}");
            for needle in needles {
                assert!(err.to_string().contains(needle), "message {:?} lacks {needle:?}", err.to_string());
            }
        }
    }

    #[test]
    fn json_rule_files_read_like_toml() {
        let json = r#"{"schema_version": 1, "rule": [{"id": "ticket-id", "description": "Ticket", "entity": "TICKET_ID",
            "category": "confidential", "patterns": ["\\bTCK-[0-9]{6}\\b"]}]}"#;
        let set = compile(&[RuleFile::parse("t.json", json).unwrap()]).unwrap();
        assert_eq!(set.scan("TCK-123456").len(), 1);
        let err = RuleFile::parse("t.json", r#"{"schema_version": 1, "rule": [{"id": "x", "pattern": "a"}]}"#).unwrap_err();
        assert!(err.to_string().contains("rule `x`") && err.to_string().contains("unknown field `pattern`"), "{err}");
    }

    #[test]
    fn later_files_disable_and_override() {
        let base = RuleFile::from_toml("base.toml", &format!("schema_version = 1\n{GOOD}")).unwrap();
        let dup = RuleFile::from_toml("admin.toml", &format!("schema_version = 1\n{GOOD}")).unwrap();
        let err = compile(&[base.clone(), dup]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateRule);
        assert!(err.to_string().contains("already defined in base.toml") && err.to_string().contains("override = true"), "{err}");

        let over = GOOD.replace("TCK-[0-9]{6}", "TCK-[0-9]{4}").replace("[[rule]]", "[[rule]]\noverride = true");
        let over = RuleFile::from_toml("admin.toml", &format!("schema_version = 1\n{over}")).unwrap();
        let set = compile(&[base.clone(), over]).unwrap();
        assert_eq!(set.len(), 1);
        assert_eq!(set.scan("TCK-1234").len(), 1);
        assert_eq!(set.scan("TCK-123456").len(), 0);

        let off = RuleFile::from_toml("admin.toml", "schema_version = 1\ndisabled_rules = [\"ticket-id\", \"tikcet-id\"]").unwrap();
        let set = compile(&[base, off]).unwrap();
        assert!(set.is_empty());
        assert_eq!(set.warnings().len(), 1);
        assert!(set.warnings()[0].contains("tikcet-id"), "{:?}", set.warnings());
    }

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(parse_version("0.10.2"), Some((0, 10, 2)));
        assert_eq!(parse_version("1"), Some((1, 0, 0)));
        assert!(parse_version("0.10") > parse_version("0.9.9"));
        assert_eq!(parse_version("1.x"), None);
        assert_eq!(parse_version("1.2.3.4"), None);
    }
}
