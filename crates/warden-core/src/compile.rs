//! Compile: one or more [`RuleFile`]s → an immutable [`RuleSet`]. Every check of a rule happens here,
//! and every error names the rule and says what to change.
//!
//! The design decision to know: rules are sorted by how they can be *located*, because one automaton
//! over hundreds of different patterns explodes (see [`crate::anchor`]):
//! - rules with keywords, or whose every match contains one of a few literals, are located by one
//!   Aho-Corasick automaton over all those literals;
//! - rules whose every match holds a run of digits go to the numeric group, run only on lines holding
//!   such a run;
//! - the rest share one leftmost-first `finder` automaton.
//!
//! A group's match-kind-all `set` automaton says which of its rules match inside a region, and each
//! rule's own small regex runs only there. Patterns are compiled in ASCII mode and must have a bounded
//! length, so a scan is linear in its input whatever the input is.

use crate::anchor;
use crate::edm::{ExactMatch, Normalize};
use crate::error::{Error, ErrorKind};
use crate::lazy_regex::{LazyRegex, check_buildable};
use crate::rule::{Category, Confidence, RuleInfo};
use crate::rule_file::{RawRule, RuleFile};
use crate::validate::Validator;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind as AcMatchKind};
use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::{MatchKind, nfa::thompson::WhichCaptures};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

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
    /// One Aho-Corasick automaton over every keyword and required literal: the one pass over the
    /// whole text that locates anchored rules.
    pub(crate) anchors: Option<AhoCorasick>,
    /// For each anchor word: the rules it locates and how far around a hit each rule's match may lie.
    pub(crate) anchor_targets: Vec<Vec<(u32, u32)>>,
    /// For each anchor word: whether it must start / end a word.
    pub(crate) anchor_edges: Vec<(bool, bool)>,
    /// Rules without anchors whose every match holds a run of digits, bucketed by the run they need:
    /// each bucket runs only on lines holding a run that long.
    pub(crate) numeric: Vec<Group>,
    /// Every other rule: located by a shared automaton.
    pub(crate) residual: Option<Group>,
    pub(crate) warnings: Vec<String>,
}

/// Rules sharing one multi-pattern automaton.
#[derive(Debug)]
pub(crate) struct Group {
    /// Leftmost-first over every pattern of the group: finds candidate regions (residual group only).
    pub(crate) finder: Option<Regex>,
    /// Match-kind-all over the same patterns: which rules match inside a region.
    pub(crate) set: Regex,
    /// Pattern id → index into `RuleSet::rules`.
    pub(crate) pattern_rule: Vec<u32>,
    /// The shortest digit run any rule of the group needs (numeric group).
    pub(crate) min_run: usize,
}

/// A compiled rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) info: Arc<RuleInfo>,
    /// The rule's own patterns, built on first use.
    pub(crate) regex: LazyRegex,
    pub(crate) group: usize,
    /// Sorted ids into the anchor automaton.
    pub(crate) keywords: Vec<u32>,
    pub(crate) validator: Option<Validator>,
    pub(crate) entropy: Option<f64>,
    pub(crate) allow: Option<LazyRegex>,
    pub(crate) stopwords: Vec<String>,
    /// Test values, normalized with [`normalize_sample`].
    pub(crate) test_values: HashSet<String>,
    pub(crate) context: Option<Context>,
    pub(crate) exact: Option<ExactMatch>,
    pub(crate) window: usize,
    /// The longest match of any of the rule's patterns.
    pub(crate) max_len: usize,
    /// A run of digits every match holds (0 = none certain).
    pub(crate) digit_run: usize,
    pub(crate) examples_match: Vec<String>,
    pub(crate) examples_no_match: Vec<String>,
    pub(crate) source: String,
}

/// A rule's context words. They are searched only around the rule's candidates, with an automaton of
/// the rule's own words: context words such as `id` or `se` are common, and finding every context word
/// of every rule all over the text once cost more than the rest of a scan.
#[derive(Debug)]
pub(crate) struct Context {
    /// The words, lowercased (matched ASCII-case-insensitively).
    pub(crate) words: Vec<Vec<u8>>,
    /// For each word: whether it must start / end a word (it counts only as a whole word).
    pub(crate) edges: Vec<(bool, bool)>,
    /// The longest word, in bytes.
    pub(crate) max_len: usize,
    automaton: OnceLock<Option<AhoCorasick>>,
    pub(crate) require: bool,
    pub(crate) confidence: Confidence,
}

impl Context {
    /// The automaton over the words, built on first use. The words were checked when compiling (few,
    /// non-empty), so building cannot fail in practice; if it did, no context would be seen.
    pub(crate) fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(AcMatchKind::Standard)
                    .build(&self.words)
                    .ok()
            })
            .as_ref()
    }
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
                    format!(
                        "rule `{}`: the id is used twice in {}; give each rule its own id",
                        rule.id, file.source
                    ),
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
    let active: Vec<(RawRule, &str)> = raw
        .into_iter()
        .filter(|(r, _)| !disabled.contains(&r.id))
        .collect();
    if active.len() > MAX_RULES {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!(
                "{} rules are active; the limit is {MAX_RULES} — disable rules you do not need",
                active.len()
            ),
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
                format!(
                    "{}: min_engine_version `{min}` is not a version such as \"0.1.0\"",
                    file.source
                ),
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
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else if id.is_empty() {
        Err(Error::new(
            ErrorKind::InvalidRule,
            "a rule has no `id`; give every rule a kebab-case id such as `aws-access-key-id`",
        ))
    } else {
        Err(Error::rule(
            id,
            "the id must be kebab-case (lowercase letters and digits separated by single dashes, at most 64 characters)",
        ))
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
    max_len: usize,
    required: Option<Vec<Vec<u8>>>,
    digit_run: usize,
}

fn check_pattern(id: &str, what: &str, pattern: &str) -> Result<PatternCheck, Error> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| Error::rule(id, format_args!("invalid {what} `{pattern}`:\n{e}")))?;
    check_buildable(id, "patterns", &hir)?;
    let props = hir.properties();
    let max_len = match props.maximum_len() {
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
                format_args!(
                    "{what} `{pattern}` can match {max} bytes; the limit is {MAX_PATTERN_LEN} — lower its repetition bounds"
                ),
            ));
        }
        Some(max) => max,
    };
    if props.minimum_len() == Some(0) {
        return Err(Error::rule(
            id,
            format_args!(
                "{what} `{pattern}` can match the empty string; make it match at least one character"
            ),
        ));
    }
    Ok(PatternCheck {
        captures: props.explicit_captures_len(),
        max_len,
        required: anchor::required_literals(&hir),
        digit_run: anchor::min_digit_run(&hir),
    })
}

fn term_pattern(term: &str) -> String {
    let escaped = regex_syntax::escape(term);
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let lead = if word(term.chars().next()) { r"\b" } else { "" };
    let tail = if word(term.chars().last()) { r"\b" } else { "" };
    format!("{lead}{escaped}{tail}")
}

fn confidence(
    id: &str,
    field: &str,
    value: Option<&str>,
    default: Confidence,
) -> Result<Confidence, Error> {
    match value {
        None => Ok(default),
        Some(v) => Confidence::from_name(v).ok_or_else(|| {
            Error::rule(
                id,
                format_args!("`{field}` is `{v}`; use one of: low, medium, high"),
            )
        }),
    }
}

/// Collects words into one automaton, deduplicating ASCII-case-insensitively.
#[derive(Default)]
struct WordTable {
    words: Vec<Vec<u8>>,
    ids: HashMap<Vec<u8>, u32>,
}

impl WordTable {
    fn id(&mut self, word: &[u8]) -> u32 {
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
            .kind(Some(AhoCorasickKind::DFA))
            .build(&self.words)
            .or_else(|_| {
                // Very large word lists fall back to the smaller, slower automaton.
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(AcMatchKind::Standard)
                    .build(&self.words)
            })
            .map(Some)
            .map_err(|e| {
                Error::new(
                    ErrorKind::TooLarge,
                    format!("the keyword and context-word lists are too large: {e}"),
                )
            })
    }
}

/// Builds one group's automata over `patterns` (pattern i belongs to rule `pattern_rule[i]`).
fn group(
    patterns: &[String],
    pattern_rule: Vec<u32>,
    min_run: usize,
    with_finder: bool,
) -> Result<Option<Group>, Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let build = |kind, captures| {
        Regex::builder().configure(meta_config(kind, captures)).syntax(syntax_config()).build_many(patterns).map_err(|e| {
            Error::new(
                ErrorKind::TooLarge,
                format!("the rule set's patterns cannot be combined into one automaton: {e}; disable some rules or simplify large patterns"),
            )
        })
    };
    // The finder reports match spans, which needs the implicit whole-match group; the set only reports
    // which patterns matched.
    let finder = if with_finder {
        Some(build(MatchKind::LeftmostFirst, WhichCaptures::Implicit)?)
    } else {
        None
    };
    Ok(Some(Group {
        finder,
        set: build(MatchKind::All, WhichCaptures::None)?,
        pattern_rule,
        min_run,
    }))
}

/// The shortest digit run that sends a line to the numeric group: shorter runs are too common to be
/// a useful condition.
const MIN_NUMERIC_RUN: usize = 2;
/// Numeric buckets by the digit run their rules need: 2–3, 4–5, 6 or more. Lines with only short runs
/// (`x = 10`) are common in code; a line reaches a bucket only with a run as long as it needs.
const NUMERIC_BUCKETS: [usize; 3] = [2, 4, 6];

fn build(active: Vec<(RawRule, &str)>, mut warnings: Vec<String>) -> Result<RuleSet, Error> {
    let mut rules = Vec::with_capacity(active.len());
    let mut word_table = WordTable::default();

    let mut anchor_targets: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut literal_words: HashSet<u32> = HashSet::new();
    let mut buckets: [(Vec<String>, Vec<u32>, usize); NUMERIC_BUCKETS.len()] =
        std::array::from_fn(|_| (Vec::new(), Vec::new(), usize::MAX));
    let (mut residual_patterns, mut residual_rules) = (Vec::new(), Vec::new());

    for (index, (raw, source)) in active.into_iter().enumerate() {
        let index = index as u32;
        let (rule, patterns, required, notes) =
            compile_rule(&raw, source, &mut word_table).map_err(|e| e.with_context(source))?;
        warnings.extend(notes);
        let mut target = |word: u32, reach: usize| {
            let word = word as usize;
            if anchor_targets.len() <= word {
                anchor_targets.resize(word + 1, Vec::new());
            }
            anchor_targets[word].push((index, reach as u32));
        };
        if !rule.keywords.is_empty() {
            // A keyword may stand anywhere within the rule's window of the match.
            for &k in &rule.keywords {
                target(k, rule.window + rule.max_len);
            }
        } else if let Some(literals) = required {
            // A required literal lies inside the match.
            for l in literals {
                let word = word_table.id(&l);
                literal_words.insert(word);
                target(word, rule.max_len);
            }
        } else if rule.digit_run >= MIN_NUMERIC_RUN {
            let b = NUMERIC_BUCKETS
                .iter()
                .rposition(|&m| rule.digit_run >= m)
                .unwrap_or(0);
            let (bucket_patterns, bucket_rules, min_run) = &mut buckets[b];
            *min_run = (*min_run).min(rule.digit_run);
            bucket_rules.extend(std::iter::repeat_n(index, patterns.len()));
            bucket_patterns.extend(patterns);
        } else {
            residual_rules.extend(std::iter::repeat_n(index, patterns.len()));
            residual_patterns.extend(patterns);
        }
        rules.push(rule);
    }
    let n = word_table.words.len();
    anchor_targets.resize(n, Vec::new());
    let alnum = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    // A keyword starting with a letter or digit counts only at the start of a word ("tin" is not in
    // "continue"); required literals lie inside matches and count anywhere.
    let anchor_edges = (0..n)
        .map(|w| {
            (
                !literal_words.contains(&(w as u32)) && alnum(word_table.words[w].first()),
                false,
            )
        })
        .collect();
    // Context words count only as whole words.

    let mut numeric = Vec::new();
    for (patterns, pattern_rule, min_run) in buckets {
        numeric.extend(group(&patterns, pattern_rule, min_run, false)?);
    }
    Ok(RuleSet {
        rules,
        anchors: word_table.build()?,
        anchor_targets,
        anchor_edges,

        numeric,
        residual: group(&residual_patterns, residual_rules, 0, true)?,
        warnings,
    })
}

/// A compiled rule, its patterns, and the literals every match contains (when they can be proven).
type CompiledRule = (Rule, Vec<String>, Option<Vec<Vec<u8>>>, Vec<String>);

fn compile_rule(
    raw: &RawRule,
    source: &str,
    word_table: &mut WordTable,
) -> Result<CompiledRule, Error> {
    let id = raw.id.as_str();
    if raw.description.trim().is_empty() {
        return Err(Error::rule(
            id,
            "`description` is missing; say in one line what the rule finds",
        ));
    }
    let entity_ok = !raw.entity.is_empty()
        && raw
            .entity
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && raw.entity.as_bytes()[0].is_ascii_uppercase();
    if !entity_ok {
        return Err(Error::rule(
            id,
            format_args!(
                "`entity` is `{}`; use an UPPER_SNAKE_CASE name such as `EMAIL_ADDRESS`",
                raw.entity
            ),
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
        return Err(Error::rule(
            id,
            "the rule has neither `patterns` nor `terms`; add at least one",
        ));
    }
    let mut patterns = Vec::new();
    let mut min_captures = usize::MAX;
    let (mut max_len, mut digit_run) = (0, usize::MAX);
    // Every match contains one of the union of each pattern's required literals, if each has some.
    let mut required: Option<Vec<Vec<u8>>> = Some(Vec::new());
    let mut facts = |check: &PatternCheck| {
        max_len = max_len.max(check.max_len);
        digit_run = digit_run.min(check.digit_run);
        required = match (required.take(), &check.required) {
            (Some(mut all), Some(more)) => {
                all.extend(more.iter().cloned());
                Some(all)
            }
            _ => None,
        };
    };
    for (i, p) in raw.patterns.iter().enumerate() {
        let check = check_pattern(id, &format!("pattern {}", i + 1), p)?;
        min_captures = min_captures.min(check.captures);
        facts(&check);
        patterns.push(p.clone());
    }
    let terms: Vec<&String> = raw.terms.iter().filter(|t| !t.trim().is_empty()).collect();
    if raw.terms.len() != terms.len() {
        return Err(Error::rule(id, "`terms` contains an empty term; remove it"));
    }
    if !terms.is_empty() {
        let joined = terms
            .iter()
            .map(|t| term_pattern(t))
            .collect::<Vec<_>>()
            .join("|");
        let p = format!("(?i:{joined})");
        facts(&check_pattern(id, "terms", &p)?);
        min_captures = 0;
        patterns.push(p);
    }
    let group = raw.secret_group.unwrap_or(0) as usize;
    if group > 0 && group > min_captures {
        return Err(Error::rule(
            id,
            format_args!(
                "`secret_group = {group}` but a pattern has only {min_captures} capture group(s); add the group to every pattern or lower the number"
            ),
        ));
    }
    let captures = if group > 0 {
        WhichCaptures::All
    } else {
        WhichCaptures::Implicit
    };
    let regex = LazyRegex::new(
        patterns.clone(),
        meta_config(MatchKind::LeftmostFirst, captures),
        syntax_config(),
    );

    let validator = match raw.validator.as_deref() {
        None => None,
        Some(name) => Some(Validator::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Validator::ALL.iter().map(|v| v.name()).collect();
            Error::rule(
                id,
                format_args!(
                    "unknown validator `{name}`; known validators: {}",
                    known.join(", ")
                ),
            )
        })?),
    };
    if let Some(e) = raw.entropy
        && !(0.0..=8.0).contains(&e)
    {
        return Err(Error::rule(
            id,
            format_args!(
                "`entropy = {e}` is out of range; use bits per character between 0 and 8 (3.5 is typical)"
            ),
        ));
    }
    let allow = if raw.allow.is_empty() {
        None
    } else {
        for (i, p) in raw.allow.iter().enumerate() {
            let hir = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(p)
                .map_err(|e| {
                    Error::rule(
                        id,
                        format_args!("invalid allow pattern {} `{p}`:\n{e}", i + 1),
                    )
                })?;
            check_buildable(id, "allow patterns", &hir)?;
        }
        Some(LazyRegex::new(
            raw.allow.clone(),
            meta_config(MatchKind::LeftmostFirst, WhichCaptures::None),
            syntax_config(),
        ))
    };
    if raw.stopwords.iter().any(|s| s.is_empty()) {
        return Err(Error::rule(
            id,
            "`stopwords` contains an empty string, which would drop every match; remove it",
        ));
    }
    if raw.keywords.iter().any(|s| s.trim().is_empty()) {
        return Err(Error::rule(
            id,
            "`keywords` contains an empty keyword; remove it",
        ));
    }
    let mut notes = Vec::new();
    for k in raw.keywords.iter().filter(|k| k.trim().len() < 3) {
        notes.push(format!(
            "{source}: rule `{id}`: keyword `{k}` is shorter than 3 characters; it occurs almost everywhere and slows every scan — use a longer, more distinctive keyword"
        ));
    }
    let mut keywords: Vec<u32> = raw
        .keywords
        .iter()
        .map(|k| word_table.id(k.as_bytes()))
        .collect();
    keywords.sort_unstable();
    keywords.dedup();

    let mut window = DEFAULT_CONTEXT_WINDOW;
    let context = match &raw.context {
        None => None,
        Some(ctx) => {
            if ctx.words.is_empty() || ctx.words.iter().any(|w| w.trim().is_empty()) {
                return Err(Error::rule(
                    id,
                    "`context.words` must list at least one non-empty word",
                ));
            }
            if let Some(w) = ctx.window {
                if w == 0 || w > MAX_CONTEXT_WINDOW {
                    return Err(Error::rule(
                        id,
                        format_args!(
                            "`context.window = {w}` is out of range; use 1 to {MAX_CONTEXT_WINDOW} bytes"
                        ),
                    ));
                }
                window = w;
            }
            let require = match ctx.effect.as_deref() {
                None | Some("boost") => false,
                Some("require") => true,
                Some(other) => {
                    return Err(Error::rule(
                        id,
                        format_args!("`context.effect` is `{other}`; use `boost` or `require`"),
                    ));
                }
            };
            let confidence = confidence(
                id,
                "context.confidence",
                ctx.confidence.as_deref(),
                base.raised(),
            )?;
            let mut words: Vec<Vec<u8>> = ctx
                .words
                .iter()
                .map(|w| w.as_bytes().to_ascii_lowercase())
                .collect();
            words.sort_unstable();
            words.dedup();
            let alnum = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
            Some(Context {
                edges: words
                    .iter()
                    .map(|w| (alnum(w.first()), alnum(w.last())))
                    .collect(),
                max_len: words.iter().map(Vec::len).max().unwrap_or(0),
                words,
                automaton: OnceLock::new(),
                require,
                confidence,
            })
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
        stopwords: raw
            .stopwords
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect(),
        test_values: raw
            .test_values
            .iter()
            .map(|v| normalize_sample(v))
            .collect(),
        context,
        exact,
        window: window as usize,
        max_len,
        digit_run: if digit_run == usize::MAX {
            0
        } else {
            digit_run
        },
        examples_match: examples.matches,
        examples_no_match: examples.no_match,
        source: source.to_owned(),
    };
    if let Some(r) = &mut required {
        r.sort();
        r.dedup();
    }
    Ok((
        rule,
        patterns,
        required.filter(|r| !r.is_empty() && r.len() <= 64),
        notes,
    ))
}

/// The form in which test values are compared: ASCII letters and digits only, lowercased.
pub(crate) fn normalize_sample(v: &str) -> String {
    v.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
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
        let rule = |extra: &str| {
            format!(
                "schema_version = 1\n[[rule]]\nid = \"bad-rule\"\ndescription = \"d\"\nentity = \"E\"\ncategory = \"pii\"\n{extra}\n"
            )
        };
        let cases: Vec<(String, ErrorKind, &[&str])> = vec![
            (
                "schema_version = 1\n[[rule]\n".into(),
                ErrorKind::Syntax,
                &["not a valid TOML", "line 2"],
            ),
            (
                format!("schema_version = 2\n{GOOD}"),
                ErrorKind::UnsupportedSchema,
                &["schema_version 2", "reads schema_version 1"],
            ),
            (
                GOOD.into(),
                ErrorKind::UnsupportedSchema,
                &["`schema_version` is missing", "schema_version = 1"],
            ),
            (
                format!("schema_version = 1\nmin_engine_version = \"99.0\"\n{GOOD}"),
                ErrorKind::EngineTooOld,
                &["needs engine 99.0", "update PromptWarden"],
            ),
            (
                format!("schema_version = 1\nextra = 1\n{GOOD}"),
                ErrorKind::Syntax,
                &["unknown top-level key `extra`"],
            ),
            (
                rule("patterns = ['a{1,3}']\npatern = 'x'"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "unknown field `patern`"],
            ),
            (
                rule("patterns = ['a(b']"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "invalid pattern 1 `a(b`"],
            ),
            (
                rule("patterns = ['[0-9]+']"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "unbounded", "{8,256}"],
            ),
            (
                rule("patterns = ['a{0,3}']"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "empty string"],
            ),
            (
                rule("patterns = ['a{1,5000}']"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "the limit is 4096"],
            ),
            (
                rule(""),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "neither `patterns` nor `terms`"],
            ),
            (
                rule("patterns = ['a{1,3}']\nvalidator = \"lunh\""),
                ErrorKind::InvalidRule,
                &[
                    "rule `bad-rule`",
                    "unknown validator `lunh`",
                    "known validators:",
                ],
            ),
            (
                rule("patterns = ['a{1,3}']\nconfidence = \"sure\""),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "use one of: low, medium, high"],
            ),
            (
                rule("patterns = ['(a{1,3})']\nsecret_group = 2"),
                ErrorKind::InvalidRule,
                &[
                    "rule `bad-rule`",
                    "secret_group = 2",
                    "only 1 capture group",
                ],
            ),
            (
                rule("patterns = ['a{1,3}']\nentropy = 12.0"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "out of range"],
            ),
            (
                rule("patterns = ['a{1,3}']\nallow = ['(']"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "invalid allow pattern 1"],
            ),
            (
                rule("patterns = ['a{1,3}']\nstopwords = ['']"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "empty string"],
            ),
            (
                rule("patterns = ['a{1,3}']\n[rule.context]\nwords = ['x']\neffect = \"maybe\""),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "`boost` or `require`"],
            ),
            (
                rule("patterns = ['a{1,3}']\n[rule.context]\nwords = ['x']\nwindow = 99999"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "1 to 2048"],
            ),
            (
                rule("patterns = ['a{1,3}']\n[rule.exact_match]\nsalt = 'nothex'\nhashes = []"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "salt"],
            ),
            (
                rule("patterns = ['a{1,3}']\n[rule.examples]\nmatch = 'x'"),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "invalid type"],
            ),
            (
                rule("patterns = ['a{1,3}']").replace("bad-rule", "Bad_Id"),
                ErrorKind::InvalidRule,
                &["rule `Bad_Id`", "kebab-case"],
            ),
            (
                rule("patterns = ['a{1,3}']")
                    .replace("category = \"pii\"", "category = \"personal\""),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "`category` is `personal`", "gov_id"],
            ),
            (
                rule("patterns = ['a{1,3}']").replace("entity = \"E\"", "entity = \"email\""),
                ErrorKind::InvalidRule,
                &["rule `bad-rule`", "UPPER_SNAKE_CASE"],
            ),
            (
                format!(
                    "{}{}",
                    rule("patterns = ['a{1,3}']"),
                    rule("patterns = ['b{1,3}']").replace("schema_version = 1\n", "")
                ),
                ErrorKind::DuplicateRule,
                &["rule `bad-rule`", "used twice"],
            ),
        ];
        for (text, kind, needles) in cases {
            let err = match compile_toml(&text) {
                Ok(_) => panic!("compiled but should fail:\n{text}"),
                Err(e) => e,
            };
            assert_eq!(err.kind(), kind, "{err}\n{text}");
            for needle in needles {
                assert!(
                    err.to_string().contains(needle),
                    "message {:?} lacks {needle:?}",
                    err.to_string()
                );
            }
        }
    }

    #[test]
    fn json_rule_files_read_like_toml() {
        let json = r#"{"schema_version": 1, "rule": [{"id": "ticket-id", "description": "Ticket", "entity": "TICKET_ID",
            "category": "confidential", "patterns": ["\\bTCK-[0-9]{6}\\b"]}]}"#;
        let set = compile(&[RuleFile::parse("t.json", json).unwrap()]).unwrap();
        assert_eq!(set.scan("TCK-123456").len(), 1);
        let err = RuleFile::parse(
            "t.json",
            r#"{"schema_version": 1, "rule": [{"id": "x", "pattern": "a"}]}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("rule `x`")
                && err.to_string().contains("unknown field `pattern`"),
            "{err}"
        );
    }

    #[test]
    fn later_files_disable_and_override() {
        let base =
            RuleFile::from_toml("base.toml", &format!("schema_version = 1\n{GOOD}")).unwrap();
        let dup =
            RuleFile::from_toml("admin.toml", &format!("schema_version = 1\n{GOOD}")).unwrap();
        let err = compile(&[base.clone(), dup]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateRule);
        assert!(
            err.to_string().contains("already defined in base.toml")
                && err.to_string().contains("override = true"),
            "{err}"
        );

        let over = GOOD
            .replace("TCK-[0-9]{6}", "TCK-[0-9]{4}")
            .replace("[[rule]]", "[[rule]]\noverride = true");
        let over =
            RuleFile::from_toml("admin.toml", &format!("schema_version = 1\n{over}")).unwrap();
        let set = compile(&[base.clone(), over]).unwrap();
        assert_eq!(set.len(), 1);
        assert_eq!(set.scan("TCK-1234").len(), 1);
        assert_eq!(set.scan("TCK-123456").len(), 0);

        let off = RuleFile::from_toml(
            "admin.toml",
            "schema_version = 1\ndisabled_rules = [\"ticket-id\", \"tikcet-id\"]",
        )
        .unwrap();
        let set = compile(&[base, off]).unwrap();
        assert!(set.is_empty());
        assert_eq!(set.warnings().len(), 1);
        assert!(
            set.warnings()[0].contains("tikcet-id"),
            "{:?}",
            set.warnings()
        );
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
