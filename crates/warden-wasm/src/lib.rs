//! PromptWarden's WebAssembly adapter: the small, fixed JavaScript API the browser extension uses.
//!
//! ```js
//! const detector = new Detector({ rules, policy });   // rules: [{source, text}], rule files as JSON
//! detector.scan(text);                                // [{start, end, ruleId, entity, category, action, …}]
//! detector.mask(text, { spans, mapping });            // {text, replacements, mapping}
//! detector.review(text, { stage: 'preflight' });      // {verdict: 'pass' | 'mask' | 'refuse', text, …}
//! detector.unmask(answer, mapping);                   // placeholders put back
//! engineVersion();
//! ```
//!
//! The design decision to know: this crate decides nothing. Detection, masking and policy are
//! `warden-core`'s; here objects are converted (serde-wasm-bindgen, plain objects only), positions are
//! converted from UTF-8 bytes to UTF-16 indices (in [`offsets`], the one place that does it), and
//! errors become JavaScript `Error`s with a stable `kind`. The crate is built with `panic = "abort"`:
//! a panic traps, the instance is then broken, and the extension rebuilds it rather than reuse it.

#[cfg(feature = "bundle")]
pub mod bundle;
pub mod error;
#[cfg(feature = "files")]
mod files;
pub mod objects;
pub mod offsets;

use error::{from_core, invalid_argument, js_error};
use objects::{
    DetectorOptions, FindingObject, MAX_OBJECT_BYTES, MAX_REQUEST_ITEMS, MAX_RULE_FILES,
    MAX_TEXT_BYTES, MaskRequest, MaskResult, ReplacementObject, ReviewRequest, ReviewResult,
    ReviewedFinding, Span,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashSet;
use warden_core::mask::{Mapping, Masked, mask, unmask};
use warden_core::policy::{Policy, Treatment};
use warden_core::{Finding, RuleFile, RuleSet};
use wasm_bindgen::prelude::*;

/// The engine version (`warden-core`), compared with rule files' `min_engine_version`.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    warden_core::ENGINE_VERSION.to_owned()
}

/// Panics on purpose. It exists so tests can prove that the extension notices a trapped instance and
/// rebuilds it; nothing else calls it.
#[wasm_bindgen(js_name = crashForTest)]
pub fn crash_for_test() {
    panic!("crashForTest: deliberate panic");
}

/// A compiled rule set and the policy that acts on its findings. Immutable: new rules or a new policy
/// make a new `Detector`.
#[wasm_bindgen(js_name = Detector)]
pub struct Detector {
    rules: RuleSet,
    policy: Policy,
}

#[wasm_bindgen(js_class = Detector)]
impl Detector {
    /// Compiles `{rules: {source, text}[], policy?: Policy}`: rule files in their JSON form, in order
    /// (later ones may disable or override earlier ones).
    ///
    /// JSON only, on purpose: the TOML parser and the built-in packs are left out of the WebAssembly
    /// (about 50 KB gzipped for the parser alone). The extension ships the built-in packs as JSON
    /// files made by the build, passes them first, and a rule update replaces them without a new engine.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Detector, JsValue> {
        let options: DetectorOptions = from_js(options, "options")?;
        if options.rules.len() > MAX_RULE_FILES {
            return Err(js_error(
                "too-large",
                &format!(
                    "{} rule files; the limit is {MAX_RULE_FILES}",
                    options.rules.len()
                ),
            ));
        }
        let mut files = Vec::with_capacity(options.rules.len());
        for source in &options.rules {
            files.push(RuleFile::from_json(&source.source, &source.text).map_err(from_core)?);
        }
        let rules = warden_core::compile(&files).map_err(from_core)?;
        Ok(Detector {
            rules,
            policy: options.policy.unwrap_or_default(),
        })
    }

    /// How many rules are active.
    #[wasm_bindgen(getter, js_name = ruleCount)]
    pub fn rule_count(&self) -> u32 {
        u32::try_from(self.rules.len()).unwrap_or(u32::MAX)
    }

    /// Compile warnings (for example an `extend` of a rule that does not exist).
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.rules.warnings().to_vec()
    }

    /// The policy in effect, as a plain object (defaults filled in).
    #[wasm_bindgen(getter)]
    pub fn policy(&self) -> Result<JsValue, JsValue> {
        to_js(&self.policy)
    }

    /// Every finding in `text`, sorted and not overlapping, with UTF-16 positions and the policy's action.
    pub fn scan(&self, text: &str) -> Result<JsValue, JsValue> {
        check_text(text)?;
        let findings = self.rules.scan(text);
        to_js(&self.finding_objects(text, &findings))
    }

    /// Masks findings of `text` chosen by `{spans?, actions?}` (every finding when neither is given), in
    /// `style` (the policy's by default), continuing `mapping`.
    pub fn mask(&self, text: &str, request: JsValue) -> Result<JsValue, JsValue> {
        check_text(text)?;
        let request: MaskRequest = from_js(request, "request")?;
        let spans = match &request.spans {
            Some(spans) => Some(byte_spans(text, spans)?),
            None => None,
        };
        let actions = request.actions.as_deref();
        if actions.is_some_and(|a| a.len() > MAX_REQUEST_ITEMS) {
            return Err(too_many("actions"));
        }
        let chosen: Vec<Finding> = self
            .rules
            .scan(text)
            .into_iter()
            .filter(|f| {
                spans
                    .as_ref()
                    .is_none_or(|s| s.iter().any(|&(a, b)| f.start < b && a < f.end))
            })
            .filter(|f| actions.is_none_or(|a| a.contains(&self.policy.action(f))))
            .collect();
        let mut mapping = request.mapping.unwrap_or_default();
        let style = request.style.unwrap_or(self.policy.mask_style);
        let masked = mask(text, &chosen, style, &mut mapping).map_err(from_core)?;
        let replacements = replacement_objects(text, &masked);
        to_js(&MaskResult {
            text: masked.text,
            replacements,
            mapping,
        })
    }

    /// Decides what happens to `text` as it leaves at `stage`: the policy's treatment of each finding,
    /// the overall verdict, and the text with the findings to mask masked.
    pub fn review(&self, text: &str, request: JsValue) -> Result<JsValue, JsValue> {
        check_text(text)?;
        let request: ReviewRequest = required_from_js(request, "request")?;
        if request.approved.len() > MAX_REQUEST_ITEMS {
            return Err(too_many("approved"));
        }
        let approved: HashSet<&str> = request.approved.iter().map(String::as_str).collect();
        let findings = self.rules.scan(text);
        let review = self.policy.review(&findings, request.stage, |i| {
            approved.contains(&text[findings[i].span()])
        });
        let to_mask: Vec<Finding> = findings
            .iter()
            .zip(&review.treatments)
            .filter(|(_, t)| **t == Treatment::Mask)
            .map(|(f, _)| f.clone())
            .collect();
        let mut mapping = request.mapping.unwrap_or_default();
        let style = request.style.unwrap_or(self.policy.mask_style);
        let masked = mask(text, &to_mask, style, &mut mapping).map_err(from_core)?;
        let replacements = replacement_objects(text, &masked);
        let findings = self
            .finding_objects(text, &findings)
            .into_iter()
            .zip(review.treatments)
            .map(|(finding, treatment)| ReviewedFinding { finding, treatment })
            .collect();
        to_js(&ReviewResult {
            verdict: review.verdict,
            text: masked.text,
            replacements,
            findings,
            mapping,
        })
    }

    /// Puts the values of `mapping` back where `text` (an AI answer) repeats their placeholders.
    pub fn unmask(&self, text: &str, mapping: JsValue) -> Result<String, JsValue> {
        check_text(text)?;
        let mapping: Mapping = required_from_js(mapping, "mapping")?;
        Ok(unmask(text, &mapping))
    }
}

impl Detector {
    fn finding_objects(&self, text: &str, findings: &[Finding]) -> Vec<FindingObject> {
        let bytes: Vec<usize> = findings.iter().flat_map(|f| [f.start, f.end]).collect();
        let units = offsets::bytes_to_utf16(text, &bytes);
        findings
            .iter()
            .zip(units.chunks_exact(2))
            .map(|(f, u)| FindingObject {
                start: u[0],
                end: u[1],
                rule_id: f.rule.id.clone(),
                description: f.rule.description.clone(),
                entity: f.rule.entity.clone(),
                category: f.rule.category,
                confidence: f.confidence,
                score: f.score,
                action: self.policy.action(f),
            })
            .collect()
    }
}

fn replacement_objects(text: &str, masked: &Masked) -> Vec<ReplacementObject> {
    let bytes: Vec<usize> = masked
        .replacements
        .iter()
        .flat_map(|r| [r.start, r.end])
        .collect();
    let units = offsets::bytes_to_utf16(text, &bytes);
    masked
        .replacements
        .iter()
        .zip(units.chunks_exact(2))
        .map(|(r, u)| ReplacementObject {
            start: u[0],
            end: u[1],
            entity: r.entity.clone(),
            rule_id: r.rule.clone(),
            replacement: r.replacement.clone(),
        })
        .collect()
}

/// UTF-16 spans → byte ranges of `text`.
fn byte_spans(text: &str, spans: &[Span]) -> Result<Vec<(usize, usize)>, JsValue> {
    if spans.len() > MAX_REQUEST_ITEMS {
        return Err(too_many("spans"));
    }
    let units: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    let bytes = offsets::utf16_to_bytes(text, &units);
    Ok(bytes.chunks_exact(2).map(|b| (b[0], b[1])).collect())
}

fn check_text(text: &str) -> Result<(), JsValue> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(js_error(
            "too-large",
            &format!(
                "the text is {} bytes; the limit is {MAX_TEXT_BYTES}",
                text.len()
            ),
        ));
    }
    Ok(())
}

fn too_many(what: &str) -> JsValue {
    js_error(
        "too-large",
        &format!("{what}: more than {MAX_REQUEST_ITEMS} items"),
    )
}

/// A plain object (or `undefined` / `null` for the default) → a Rust value.
fn from_js<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    required_from_js(value, what)
}

/// A plain object → a Rust value. Read through JSON so unknown fields are rejected, as the serde
/// mirrors ask: a misspelt policy field must fail, not be ignored.
fn required_from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    let json = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid_argument(what, "not a plain, JSON-compatible object"))?;
    if json.len() > MAX_OBJECT_BYTES {
        return Err(js_error(
            "too-large",
            &format!(
                "{what}: {} bytes as JSON; the limit is {MAX_OBJECT_BYTES}",
                json.len()
            ),
        ));
    }
    serde_json::from_str(&json).map_err(|e| invalid_argument(what, e))
}

/// A Rust value → a plain object (maps as objects, not `Map`s).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("internal", &format!("cannot convert the result: {e}")))
}
