//! Masking: replace findings in a text, and put placeholders back in a later text (an AI answer).
//!
//! Four styles: `placeholder` (`[EMAIL_ADDRESS_1]`; the same value always gets the same placeholder
//! within one [`Mapping`]), `redact` (a fixed block), `partial` (keeps the last four letters or digits)
//! and `surrogate` (a fake value of the same shape that passes the entity's validator, so downstream
//! tools keep working). A [`Mapping`] belongs to one conversation; [`unmask`] uses it to restore
//! values, tolerating the changes an AI makes when it repeats a placeholder (case, spaces instead of
//! underscores, markdown escapes and emphasis around it).
//!
//! Surrogates are derived from the mapping's seed and the value, never from a clock or a global
//! random source, so the same inputs give the same output everywhere.

use crate::error::{Error, ErrorKind};
use crate::scan::Finding;
use crate::validate::Validator;
use regex_automata::meta::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The most values one mapping remembers.
pub const MAX_MAPPING_ENTRIES: usize = 10_000;
/// What `redact` writes in place of a value.
pub const REDACTED: &str = "[REDACTED]";

/// How a finding is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MaskStyle {
    /// `[ENTITY_N]`, reversible with [`unmask`].
    Placeholder,
    /// A fixed block, [`REDACTED`].
    Redact,
    /// Letters and digits become `*` except the last four.
    Partial,
    /// A fake value of the same shape that passes the entity's validator.
    Surrogate,
}

impl MaskStyle {
    /// Every style.
    pub const ALL: [MaskStyle; 4] = [
        MaskStyle::Placeholder,
        MaskStyle::Redact,
        MaskStyle::Partial,
        MaskStyle::Surrogate,
    ];

    /// The style's name.
    pub fn as_str(self) -> &'static str {
        match self {
            MaskStyle::Placeholder => "placeholder",
            MaskStyle::Redact => "redact",
            MaskStyle::Partial => "partial",
            MaskStyle::Surrogate => "surrogate",
        }
    }

    /// The style with this name.
    pub fn from_name(name: &str) -> Option<MaskStyle> {
        MaskStyle::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// One remembered replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingEntry {
    /// The entity of the value.
    pub entity: String,
    /// The original value.
    pub value: String,
    /// What replaced it.
    pub replacement: String,
    /// The style that made the replacement.
    pub style: MaskStyle,
}

/// The replacements of one conversation, so a value is always replaced the same way and placeholders
/// can be restored later. Serializable, so callers can keep it between messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// Seed for surrogate values.
    #[serde(default)]
    pub seed: String,
    /// Entries in the order they were made.
    #[serde(default)]
    pub entries: Vec<MappingEntry>,
}

/// One replacement made in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    /// Byte offset in the original text.
    pub start: usize,
    /// Byte offset one past the end in the original text.
    pub end: usize,
    /// The entity.
    pub entity: String,
    /// The rule id.
    pub rule: String,
    /// The text written in its place.
    pub replacement: String,
}

/// A masked text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Masked {
    /// The text with every finding replaced.
    pub text: String,
    /// The replacements, in order.
    pub replacements: Vec<Replacement>,
}

impl Mapping {
    /// An empty mapping whose surrogates derive from `seed` (use a random per-conversation seed).
    pub fn with_seed(seed: impl Into<String>) -> Mapping {
        Mapping {
            seed: seed.into(),
            entries: Vec::new(),
        }
    }

    fn find(&self, entity: &str, value: &str, style: MaskStyle) -> Option<&MappingEntry> {
        self.entries
            .iter()
            .find(|e| e.style == style && e.entity == entity && e.value == value)
    }

    fn replacement_for(
        &mut self,
        entity: &str,
        value: &str,
        style: MaskStyle,
        validator: Option<&str>,
    ) -> Result<String, Error> {
        if let Some(e) = self.find(entity, value, style) {
            return Ok(e.replacement.clone());
        }
        let replacement = match style {
            MaskStyle::Redact => return Ok(REDACTED.to_owned()),
            MaskStyle::Partial => return Ok(partial(value)),
            MaskStyle::Placeholder => {
                let n = self
                    .entries
                    .iter()
                    .filter(|e| e.style == style && e.entity == entity)
                    .count()
                    + 1;
                format!("[{entity}_{n}]")
            }
            MaskStyle::Surrogate => {
                let taken: Vec<&str> = self
                    .entries
                    .iter()
                    .map(|e| e.replacement.as_str())
                    .collect();
                surrogate(&self.seed, entity, value, validator, &taken)
            }
        };
        if self.entries.len() >= MAX_MAPPING_ENTRIES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "the mapping already holds {MAX_MAPPING_ENTRIES} values; start a new conversation mapping"
                ),
            ));
        }
        self.entries.push(MappingEntry {
            entity: entity.to_owned(),
            value: value.to_owned(),
            replacement: replacement.clone(),
            style,
        });
        Ok(replacement)
    }
}

/// Replaces every finding in `text` in the given style, remembering replacements in `mapping`.
/// Findings must come from scanning this very text: sorted, not overlapping, on character boundaries.
pub fn mask(
    text: &str,
    findings: &[Finding],
    style: MaskStyle,
    mapping: &mut Mapping,
) -> Result<Masked, Error> {
    let mut out = String::with_capacity(text.len());
    let mut replacements = Vec::with_capacity(findings.len());
    let mut at = 0;
    for f in findings {
        let fits = f.start >= at
            && f.start < f.end
            && text.is_char_boundary(f.start)
            && text.is_char_boundary(f.end);
        if !fits || f.end > text.len() {
            return Err(Error::new(
                ErrorKind::Mask,
                format!(
                    "finding {}..{} ({}) does not fit this text; mask with the findings of a scan of the same text",
                    f.start, f.end, f.rule.id
                ),
            ));
        }
        let value = &text[f.start..f.end];
        let replacement =
            mapping.replacement_for(&f.rule.entity, value, style, f.rule.validator)?;
        out.push_str(&text[at..f.start]);
        out.push_str(&replacement);
        replacements.push(Replacement {
            start: f.start,
            end: f.end,
            entity: f.rule.entity.clone(),
            rule: f.rule.id.clone(),
            replacement,
        });
        at = f.end;
    }
    out.push_str(&text[at..]);
    Ok(Masked {
        text: out,
        replacements,
    })
}

/// `value` with letters and digits replaced by `*`, except the last four when there are more than four.
pub fn partial(value: &str) -> String {
    let alnum = value.chars().filter(|c| c.is_alphanumeric()).count();
    let keep = if alnum > 4 { 4 } else { 0 };
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen > alnum - keep { c } else { '*' }
        })
        .collect()
}

/// A deterministic byte stream from the seed, the entity and the value.
struct Stream {
    block: [u8; 32],
    used: usize,
    counter: u64,
    key: Vec<u8>,
}

impl Stream {
    fn new(seed: &str, entity: &str, value: &str) -> Stream {
        let mut key = Vec::new();
        for part in [seed, entity, value] {
            key.extend_from_slice(&(part.len() as u64).to_le_bytes());
            key.extend_from_slice(part.as_bytes());
        }
        Stream {
            block: [0; 32],
            used: 32,
            counter: 0,
            key,
        }
    }

    fn byte(&mut self) -> u8 {
        if self.used == 32 {
            let mut h = Sha256::new();
            h.update(&self.key);
            h.update(self.counter.to_le_bytes());
            self.block = h.finalize().into();
            self.counter += 1;
            self.used = 0;
        }
        self.used += 1;
        self.block[self.used - 1]
    }

    fn below(&mut self, n: u8) -> u8 {
        // Rejection sampling keeps the choice uniform.
        let limit = 256 - (256 % n as u16);
        loop {
            let b = self.byte();
            if (b as u16) < limit {
                return b % n;
            }
        }
    }

    fn digit(&mut self) -> char {
        (b'0' + self.below(10)) as char
    }
}

/// How many characters at the start of a value stay as they are in a surrogate: a provider prefix up to
/// its last separator in the first 16 characters (`sk-ant-api03-`, `ghp_`, `xoxb-`), or the first
/// four characters of an all-caps prefix such as `AKIA`.
fn kept_prefix(entity: &str, value: &str) -> usize {
    match entity {
        "EMAIL_ADDRESS" | "PHONE_NUMBER" | "CREDIT_CARD" | "IBAN_CODE" => return 0,
        _ => {}
    }
    let head: Vec<(usize, char)> = value.char_indices().take(16).collect();
    let separator = head
        .iter()
        .rev()
        .find(|(_, c)| matches!(c, '_' | '-' | '.' | '$'));
    match separator {
        Some(&(i, c))
            if head
                .iter()
                .take_while(|(j, _)| *j < i)
                .any(|(_, c)| c.is_ascii_alphabetic()) =>
        {
            i + c.len_utf8()
        }
        _ => 0,
    }
}

/// Replaces every letter and digit after `keep` bytes with a random one of the same class.
fn same_shape(value: &str, keep: usize, stream: &mut Stream) -> String {
    value
        .char_indices()
        .map(|(i, c)| match c {
            _ if i < keep => c,
            '0'..='9' => stream.digit(),
            'a'..='z' => (b'a' + stream.below(26)) as char,
            'A'..='Z' => (b'A' + stream.below(26)) as char,
            _ => c,
        })
        .collect()
}

fn surrogate(
    seed: &str,
    entity: &str,
    value: &str,
    validator: Option<&str>,
    taken: &[&str],
) -> String {
    let mut stream = Stream::new(seed, entity, value);
    let validator = validator.and_then(Validator::from_name);
    let fresh = |s: &str| s != value && !taken.contains(&s);
    for _ in 0..2000 {
        let candidate = match entity {
            "EMAIL_ADDRESS" => surrogate_email(value, &mut stream),
            "CREDIT_CARD" => {
                fix_check_digit(&same_shape_keep_first(value, &mut stream), luhn_check_digit)
            }
            "IBAN_CODE" => surrogate_iban(value, &mut stream),
            _ => same_shape(value, kept_prefix(entity, value), &mut stream),
        };
        let passes = match validator {
            Some(v) if v.name() != "pem-block" => v.check(&candidate),
            _ => true,
        };
        if passes && fresh(&candidate) {
            return candidate;
        }
    }
    // No valid fake value of this shape was found: a same-shape value is still no real data.
    same_shape(value, kept_prefix(entity, value), &mut stream)
}

fn same_shape_keep_first(value: &str, stream: &mut Stream) -> String {
    let first = value
        .find(|c: char| c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    same_shape(value, first, stream)
}

fn surrogate_email(value: &str, stream: &mut Stream) -> String {
    let local = value.rsplit_once('@').map_or(value, |(l, _)| l);
    let mut fake = same_shape(local, 0, stream);
    if fake.is_empty() {
        fake.push('x');
    }
    format!("{fake}@example.com")
}

/// Luhn check digit for the digits before it: the one that makes the whole number's Luhn sum a
/// multiple of ten.
fn luhn_check_digit(body: &[u8]) -> u8 {
    let mut with_zero = body.to_vec();
    with_zero.push(b'0');
    let sum = crate::validate::luhn_sum(&with_zero);
    b'0' + ((10 - sum % 10) % 10) as u8
}

/// Rewrites the last digit of `value` so the digits pass the check computed by `check`.
fn fix_check_digit(value: &str, check: fn(&[u8]) -> u8) -> String {
    let digits: Vec<u8> = value.bytes().filter(u8::is_ascii_digit).collect();
    let Some((_, body)) = digits.split_last() else {
        return value.to_owned();
    };
    let digit = char::from(check(body));
    let last = value.rfind(|c: char| c.is_ascii_digit());
    value
        .char_indices()
        .map(|(i, c)| if Some(i) == last { digit } else { c })
        .collect()
}

fn surrogate_iban(value: &str, stream: &mut Stream) -> String {
    let compact: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if compact.len() < 5 || !compact.is_char_boundary(4) {
        return same_shape(value, 0, stream);
    }
    let country = compact[..2].to_ascii_uppercase();
    let bban = same_shape(&compact[4..], 0, stream).to_ascii_uppercase();
    let Some(rest) = crate::validate::mod97(format!("{bban}{country}00").as_bytes()) else {
        return same_shape(value, 0, stream);
    };
    let check = 98 - rest;
    let fake = format!("{country}{check:02}{bban}");
    // Put the original spacing back.
    let mut chars = fake.chars();
    value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                chars.next().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Puts original values back where `text` (for example an AI answer) repeats a replacement from
/// `mapping`. Placeholders are recognised with changed case, spaces or hyphens for underscores,
/// markdown escapes (`\[`, `\_`) and without their brackets.
pub fn unmask(text: &str, mapping: &Mapping) -> String {
    let mut patterns = Vec::new();
    let mut values = Vec::new();
    for e in &mapping.entries {
        let pattern = match e.style {
            MaskStyle::Placeholder => placeholder_pattern(&e.replacement),
            MaskStyle::Surrogate => Some(regex_syntax::escape(&e.replacement)),
            MaskStyle::Redact | MaskStyle::Partial => None,
        };
        if let Some(p) = pattern {
            patterns.push(p);
            values.push(e.value.as_str());
        }
    }
    if patterns.is_empty() {
        return text.to_owned();
    }
    // Same syntax as rule patterns (ASCII classes, byte-oriented): the engine is built without Unicode
    // tables to keep the WebAssembly small, and a Unicode-mode pattern would not compile.
    let built = Regex::builder()
        .syntax(
            regex_automata::util::syntax::Config::new()
                .unicode(false)
                .utf8(false),
        )
        .build_many(&patterns);
    let Ok(re) = built else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in re.find_iter(text) {
        out.push_str(&text[at..m.start()]);
        out.push_str(values[m.pattern().as_usize()]);
        at = m.end();
    }
    out.push_str(&text[at..]);
    out
}

/// A tolerant regex for a placeholder such as `[EMAIL_ADDRESS_1]`.
fn placeholder_pattern(placeholder: &str) -> Option<String> {
    let core = placeholder.strip_prefix('[')?.strip_suffix(']')?;
    let parts: Vec<String> = core
        .split('_')
        .filter(|p| !p.is_empty())
        .map(regex_syntax::escape)
        .collect();
    if parts.is_empty() {
        return None;
    }
    // Underscore, space, hyphen, or a Unicode hyphen or dash (U+2010–U+2015, U+2212), as literals.
    const SEP: &str =
        "(?:\\\\?(?:[_ \\-]|\u{2010}|\u{2011}|\u{2012}|\u{2013}|\u{2014}|\u{2015}|\u{2212})){1,3}";
    let body = parts.join(SEP);
    Some(format!(
        r"(?i)(?:\\?\[\s{{0,2}}{body}\s{{0,2}}\\?\]|(?-u:\b){body}(?-u:\b))"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RuleFile, RuleSet, compile};

    fn rules() -> RuleSet {
        let text = r#"schema_version = 1
[[rule]]
id = "email"
description = "Email"
entity = "EMAIL_ADDRESS"
category = "pii"
patterns = ['\b[a-z0-9._]{1,64}@[a-z0-9.-]{1,64}\.[a-z]{2,10}\b']
confidence = "high"
[[rule]]
id = "card"
description = "Card"
entity = "CREDIT_CARD"
category = "financial"
patterns = ['\b[0-9]{4}(?:[ -]?[0-9]{4}){3}\b']
validator = "luhn"
confidence = "high"
[[rule]]
id = "iban"
description = "IBAN"
entity = "IBAN_CODE"
category = "financial"
patterns = ['\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b']
confidence = "high"
[[rule]]
id = "github"
description = "GitHub"
entity = "GITHUB_TOKEN"
category = "secret"
patterns = ['\bghp_[A-Za-z0-9]{36}\b']
confidence = "high"
"#;
        compile(&[RuleFile::from_toml("mask.toml", text).unwrap()]).unwrap()
    }

    fn masked(text: &str, style: MaskStyle, mapping: &mut Mapping) -> Masked {
        mask(text, &rules().scan(text), style, mapping).unwrap()
    }

    #[test]
    fn placeholders_are_stable_within_a_mapping() {
        let mut m = Mapping::default();
        let a = masked(
            "mail bob@corp.com and ann@corp.com, again bob@corp.com",
            MaskStyle::Placeholder,
            &mut m,
        );
        assert_eq!(
            a.text,
            "mail [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2], again [EMAIL_ADDRESS_1]"
        );
        let b = masked("later: ann@corp.com", MaskStyle::Placeholder, &mut m);
        assert_eq!(b.text, "later: [EMAIL_ADDRESS_2]");
        assert_eq!(a.replacements.len(), 3);
        assert_eq!((a.replacements[0].start, a.replacements[0].end), (5, 17));
    }

    #[test]
    fn unmask_tolerates_what_an_answer_does_to_placeholders() {
        let mut m = Mapping::default();
        masked("bob@corp.com ann@corp.com", MaskStyle::Placeholder, &mut m);
        let answer = "Write to **[EMAIL_ADDRESS_1]**, cc \\[EMAIL\\_ADDRESS\\_2\\], or [email address 1]; \
                      EMAIL-ADDRESS-2 too; not [EMAIL_ADDRESS_12] nor EMAIL_ADDRESS_3.";
        assert_eq!(
            unmask(answer, &m),
            "Write to **bob@corp.com**, cc ann@corp.com, or bob@corp.com; ann@corp.com too; not [EMAIL_ADDRESS_12] nor EMAIL_ADDRESS_3."
        );
        assert_eq!(unmask("EMAIL\u{2010}ADDRESS\u{2010}1", &m), "bob@corp.com");
        assert_eq!(unmask("nothing here", &Mapping::default()), "nothing here");
    }

    #[test]
    fn redact_and_partial() {
        let text = "card 4539 1488 0343 6467";
        assert_eq!(
            masked(text, MaskStyle::Redact, &mut Mapping::default()).text,
            "card [REDACTED]"
        );
        assert_eq!(
            masked(text, MaskStyle::Partial, &mut Mapping::default()).text,
            "card **** **** **** 6467"
        );
        assert_eq!(partial("abc"), "***");
    }

    #[test]
    fn surrogates_keep_shape_pass_validators_and_reverse() {
        let text = "card 4539 1488 0343 6467, iban DE89 3704 0044 0532 0130 00, mail bob@corp.com, \
                    token ghp_8x3JqLmN5vB2cD7eF9gH1iK4lM6nO0pQ2rS4";
        let mut m = Mapping::with_seed("conversation-1");
        let out = masked(text, MaskStyle::Surrogate, &mut m);
        let r = &out.replacements;
        assert_eq!(r.len(), 4, "{}", out.text);
        let card = &r[0].replacement;
        assert_ne!(card, "4539 1488 0343 6467");
        assert!(
            crate::validate::Validator::from_name("luhn")
                .unwrap()
                .check(card),
            "{card}"
        );
        assert_eq!(card.len(), 19);
        assert_eq!(card.as_bytes()[4], b' ');
        let iban = &r[1].replacement;
        assert!(
            iban.starts_with("DE") && iban.len() == "DE89 3704 0044 0532 0130 00".len(),
            "{iban}"
        );
        let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(
            crate::validate::mod97(format!("{}{}", &compact[4..], &compact[..4]).as_bytes()),
            Some(1),
            "{iban}"
        );
        assert!(
            r[2].replacement.ends_with("@example.com")
                && r[2].replacement.len() == "bob@example.com".len()
        );
        assert!(r[3].replacement.starts_with("ghp_") && r[3].replacement.len() == 40);
        // Same seed and value, same surrogate; and unmask reverses it.
        let again = masked(
            text,
            MaskStyle::Surrogate,
            &mut Mapping::with_seed("conversation-1"),
        );
        assert_eq!(again.text, out.text);
        assert_eq!(unmask(&out.text, &m), text);
        // Another seed, another surrogate.
        assert_ne!(
            masked(text, MaskStyle::Surrogate, &mut Mapping::with_seed("other")).text,
            out.text
        );
    }

    #[test]
    fn findings_from_another_text_are_refused() {
        let findings = rules().scan("a long text with bob@corp.com in it");
        let err = mask(
            "short",
            &findings,
            MaskStyle::Redact,
            &mut Mapping::default(),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Mask);
        assert!(err.to_string().contains("does not fit this text"), "{err}");
    }

    #[test]
    fn mapping_is_bounded_and_round_trips_as_json() {
        let mut m = Mapping::default();
        for i in 0..MAX_MAPPING_ENTRIES {
            m.entries.push(MappingEntry {
                entity: "X".into(),
                value: format!("v{i}"),
                replacement: format!("[X_{i}]"),
                style: MaskStyle::Placeholder,
            });
        }
        let err = mask(
            "bob@corp.com",
            &rules().scan("bob@corp.com"),
            MaskStyle::Placeholder,
            &mut m,
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        let small = {
            let mut m = Mapping::with_seed("s");
            masked("bob@corp.com", MaskStyle::Placeholder, &mut m);
            m
        };
        let json = serde_json::to_string(&small).unwrap();
        assert_eq!(serde_json::from_str::<Mapping>(&json).unwrap(), small);
    }
}
