//! The plain objects that cross the boundary, as serde mirrors. Field names are camelCase on the JS side,
//! except inside a [`Policy`] and a [`Mapping`], which keep the core's JSON form so the same document
//! works in managed storage, in the CLI and here. Every list from JavaScript is bounded.

use serde::{Deserialize, Serialize};
use warden_core::mask::{Mapping, MaskStyle};
use warden_core::policy::{Action, Policy, Stage, Treatment};
use warden_core::{Category, Confidence};

/// The longest text `scan`, `mask`, `review` and `unmask` accept, in UTF-8 bytes.
pub const MAX_TEXT_BYTES: usize = 8 << 20;
/// The largest object (options, request, mapping) accepted, measured as JSON.
pub const MAX_OBJECT_BYTES: usize = 64 << 20;
/// The most rule files one detector is built from.
pub const MAX_RULE_FILES: usize = 64;
/// The most spans or approved values one request may carry.
pub const MAX_REQUEST_ITEMS: usize = 4096;

/// `new Detector(options)`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct DetectorOptions {
    /// Rule files in their JSON form, compiled in order.
    pub rules: Vec<RuleSource>,
    /// The policy; the built-in default when absent.
    pub policy: Option<Policy>,
}

/// One rule file: where it came from (for error messages) and its JSON text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSource {
    /// A name for messages, e.g. a URL or `managed:rules`.
    pub source: String,
    /// The file's text.
    pub text: String,
}

/// A range of a JavaScript string, in UTF-16 code units.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// First code unit.
    pub start: usize,
    /// One past the last code unit.
    pub end: usize,
}

/// A finding as JavaScript sees it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingObject {
    /// UTF-16 index of the first code unit.
    pub start: usize,
    /// UTF-16 index one past the last code unit.
    pub end: usize,
    /// The rule id.
    pub rule_id: String,
    /// The rule's one-line description.
    pub description: String,
    /// The entity, e.g. `EMAIL_ADDRESS`.
    pub entity: String,
    /// The category.
    pub category: Category,
    /// The tier of this finding.
    pub confidence: Confidence,
    /// Score within the tier.
    pub score: f32,
    /// What the policy does with it on send.
    pub action: Action,
}

/// `detector.mask(text, request)`: which findings to mask and how. With neither `spans` nor `actions`,
/// every finding is masked.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct MaskRequest {
    /// Mask only findings overlapping one of these ranges.
    pub spans: Option<Vec<Span>>,
    /// Mask only findings whose policy action is one of these.
    pub actions: Option<Vec<Action>>,
    /// The style; the policy's when absent.
    pub style: Option<MaskStyle>,
    /// The conversation's mapping, so a value keeps its placeholder; a new one when absent.
    pub mapping: Option<Mapping>,
}

/// One replacement, positioned in the original text.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplacementObject {
    /// UTF-16 index in the original text.
    pub start: usize,
    /// UTF-16 index one past the end in the original text.
    pub end: usize,
    /// The entity.
    pub entity: String,
    /// The rule id.
    pub rule_id: String,
    /// What was written instead.
    pub replacement: String,
}

/// The answer to `mask`.
#[derive(Debug, Serialize)]
pub struct MaskResult {
    /// The masked text.
    pub text: String,
    /// The replacements made, in order.
    pub replacements: Vec<ReplacementObject>,
    /// The mapping to pass to the next call and to `unmask`.
    pub mapping: Mapping,
}

/// `detector.review(text, request)`: a text that is leaving the browser.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReviewRequest {
    /// `preflight` or `send`.
    pub stage: Stage,
    /// Values the user explicitly let through (answered a warning with "send anyway").
    #[serde(default)]
    pub approved: Vec<String>,
    /// The style; the policy's when absent.
    #[serde(default)]
    pub style: Option<MaskStyle>,
    /// The conversation's mapping.
    #[serde(default)]
    pub mapping: Option<Mapping>,
}

/// A finding with its treatment in a review.
#[derive(Debug, Serialize)]
pub struct ReviewedFinding {
    /// The finding.
    #[serde(flatten)]
    pub finding: FindingObject,
    /// What happens to it in this text.
    pub treatment: Treatment,
}

/// The answer to `review`.
#[derive(Debug, Serialize)]
pub struct ReviewResult {
    /// `pass` (send as is), `mask` (send `text`) or `refuse` (do not send).
    pub verdict: Treatment,
    /// The text with every finding treated `mask` replaced (the original when nothing was).
    pub text: String,
    /// The replacements made.
    pub replacements: Vec<ReplacementObject>,
    /// Every finding and its treatment.
    pub findings: Vec<ReviewedFinding>,
    /// The mapping to keep.
    pub mapping: Mapping,
}
