//! The glue between extraction and the engine: scan every piece of a file with a `warden-core`
//! [`RuleSet`], turn sensitivity labels into `confidential` findings, and make verified sanitized
//! copies.
//!
//! It lives here, not in the adapters, so the CLI and the WebAssembly build cannot disagree about
//! what a file holds; `warden-core` stays free of file formats. Decisions are still the core's: the
//! [`Policy`] says which findings a sanitized copy replaces, and `mask` writes the replacements.

use crate::error::{Error, ErrorKind};
use crate::{Extraction, Limits, Sanitized, extract, sanitize};
use std::collections::HashSet;
use std::sync::Arc;
use warden_core::mask::{Mapping, MaskStyle, mask};
use warden_core::policy::{Action, Policy};
use warden_core::{Category, Confidence, RuleInfo, RuleSet};

/// The rule id of the finding a Microsoft sensitivity label raises when the rule set has no
/// `purview-msip-label` rule (the built-in packs have one, and it is used). Policies can override it like any
/// rule (`"rules": {"document-sensitivity-label": "block"}`); its category is `confidential`.
pub const SENSITIVITY_LABEL_RULE: &str = "document-sensitivity-label";
/// The built-in pack's rule for label metadata written out as text.
const PACK_LABEL_RULE: &str = "purview-msip-label";

/// A finding inside a file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileFinding {
    /// Where, for a person: `Sheet1!B2`, `word/document.xml, paragraph 4`, `page 2`, `line 7`.
    pub location: String,
    /// The index of the piece of [`Extraction::pieces`] it was found in (`None` for a label).
    pub piece: Option<usize>,
    /// UTF-8 byte offset of the value in the piece's text.
    pub start: usize,
    /// UTF-8 byte offset one past the value in the piece's text.
    pub end: usize,
    /// The rule that found it.
    pub rule: Arc<RuleInfo>,
    /// Confidence tier.
    pub confidence: Confidence,
    /// Score within the tier.
    pub score: f32,
    /// The matched value (the label's name for a label). Show it only masked.
    pub value: String,
}

/// A scanned file: what was read, and what was found in it.
#[derive(Debug, Clone)]
pub struct FileScan {
    /// The extracted text and what could not be read.
    pub extraction: Extraction,
    /// Every finding, in piece order.
    pub findings: Vec<FileFinding>,
}

impl FileScan {
    /// Whether everything in the file was read. When false the file must not be treated as clean,
    /// even without findings.
    pub fn inspected(&self) -> bool {
        self.extraction.uninspected.is_empty()
    }
}

/// The rule a label finding is reported under: the rule set's `purview-msip-label` rule when it has
/// one (so the built-in pack's id, description and any policy override apply), else
/// [`SENSITIVITY_LABEL_RULE`].
fn label_rule(rules: &RuleSet) -> Arc<RuleInfo> {
    if let Some(rule) = rules.rules().find(|r| r.id == PACK_LABEL_RULE) {
        return Arc::new(rule.clone());
    }
    Arc::new(RuleInfo {
        id: SENSITIVITY_LABEL_RULE.to_owned(),
        description: "Document carries a Microsoft sensitivity label".to_owned(),
        entity: "SENSITIVITY_LABEL".to_owned(),
        category: Category::Confidential,
        confidence: Confidence::High,
        validator: None,
    })
}

/// Extracts `bytes` and scans every piece. An `Err` means the file was not inspected.
pub fn scan_file(
    rules: &RuleSet,
    bytes: &[u8],
    name: &str,
    limits: &Limits,
) -> Result<FileScan, Error> {
    let extraction = extract(bytes, name, limits)?;
    let findings = scan_extraction(rules, &extraction);
    Ok(FileScan {
        extraction,
        findings,
    })
}

fn scan_extraction(rules: &RuleSet, extraction: &Extraction) -> Vec<FileFinding> {
    let mut findings = Vec::new();
    if !extraction.labels.is_empty() {
        let rule = label_rule(rules);
        for label in &extraction.labels {
            findings.push(FileFinding {
                location: label.location.clone(),
                piece: None,
                start: 0,
                end: 0,
                rule: rule.clone(),
                confidence: Confidence::High,
                score: 1.0,
                value: label.name.clone().unwrap_or_else(|| label.id.clone()),
            });
        }
    }
    for (i, piece) in extraction.pieces.iter().enumerate() {
        let found = rules.scan(&piece.text);
        if found.is_empty() {
            continue;
        }
        let locator = piece.locator();
        for f in found {
            findings.push(FileFinding {
                location: locator.locate(f.start),
                piece: Some(i),
                start: f.start,
                end: f.end,
                value: piece.text[f.span()].to_owned(),
                rule: f.rule,
                confidence: f.confidence,
                score: f.score,
            });
        }
    }
    findings
}

/// A copy of the file with every finding whose policy action is not `allow` replaced in `style`,
/// checked by scanning the copy again: if a value the policy does not allow is still there (in an
/// XLSX number cell, say), the copy is refused rather than returned. Sensitivity labels stay on the
/// copy (removing one is a downgrade that compliance tools audit), so they still raise a finding.
pub fn sanitize_file(
    rules: &RuleSet,
    policy: &Policy,
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    style: MaskStyle,
) -> Result<Sanitized, Error> {
    let extraction = extract(bytes, name, limits)?;
    if let Some(part) = extraction.uninspected.first() {
        return Err(Error::new(
            ErrorKind::Unsupported,
            extraction.format,
            format!(
                "{} could not be read ({}), so a sanitized copy would not be known to be clean",
                part.location,
                part.error.message()
            ),
        ));
    }
    let mut mapping = Mapping::with_seed(name);
    let mut values: Vec<(String, String)> = Vec::new();
    add_values(rules, policy, &extraction, style, &mut mapping, &mut values)?;
    let mut attempt = 0;
    loop {
        let copy = sanitize(bytes, name, limits, &values)?;
        let replacements: HashSet<&str> = values.iter().map(|(_, r)| r.as_str()).collect();
        let check = extract(&copy.bytes, name, limits)?;
        let left: Vec<FileFinding> = scan_extraction(rules, &check)
            .into_iter()
            .filter(|f| {
                f.piece.is_some()
                    && policy.action_for(&f.rule, f.confidence) != Action::Allow
                    && !replacements.contains(f.value.as_str())
            })
            .collect();
        if left.is_empty() {
            return Ok(copy);
        }
        attempt += 1;
        if attempt > 1 {
            return Err(Error::new(
                ErrorKind::Unsupported,
                copy.format,
                format!(
                    "{} sensitive value(s) could not be replaced in this {} file (the first at {}); values in number cells, charts and embedded objects cannot be sanitized, so block the file or remove them first",
                    left.len(),
                    copy.format.name(),
                    left[0].location
                ),
            ));
        }
        // Context can differ between the original and the copy; replace what the check found too.
        add_values(rules, policy, &check, style, &mut mapping, &mut values)?;
    }
}

/// Adds `(value, replacement)` for every finding of `extraction` whose action is not `allow`.
fn add_values(
    rules: &RuleSet,
    policy: &Policy,
    extraction: &Extraction,
    style: MaskStyle,
    mapping: &mut Mapping,
    values: &mut Vec<(String, String)>,
) -> Result<(), Error> {
    for piece in &extraction.pieces {
        let chosen: Vec<_> = rules
            .scan(&piece.text)
            .into_iter()
            .filter(|f| policy.action(f) != Action::Allow)
            .collect();
        if chosen.is_empty() {
            continue;
        }
        let masked = mask(&piece.text, &chosen, style, mapping).map_err(|e| {
            Error::new(
                ErrorKind::TooLarge,
                extraction.format,
                e.message().to_owned(),
            )
        })?;
        for r in masked.replacements {
            let value = &piece.text[r.start..r.end];
            if !values.iter().any(|(v, _)| v == value) {
                values.push((value.to_owned(), r.replacement));
            }
        }
    }
    Ok(())
}
