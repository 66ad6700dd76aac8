//! Files for the upload guard: `detector.scanFile(bytes, name, options?)` and
//! `detector.sanitizeFile(bytes, name, request?)`, over `warden-extract`.
//!
//! ```js
//! const report = detector.scanFile(bytes, file.name, { maxBytes: 50e6 });
//! // {format: 'docx', inspectable: true, reason: null, sanitizable: true, textBytes: 5120,
//! //  findings: [{ruleId, description, entity, category, confidence, score, action,
//! //              location: 'word/document.xml, paragraph 2', preview: '****************ZAM2'}]}
//! const { bytes: copy, replaced } = detector.sanitizeFile(bytes, file.name, { style: 'redact' });
//! ```
//!
//! The design decision to know: a file that cannot be read — encrypted, an image, damaged, a zip bomb,
//! over the size limit, or with a part that cannot be read — comes back with `inspectable: false` and
//! the reason, never as a clean report and never as an exception; the policy decides what happens to
//! it. Matched values never cross the boundary: `preview` is masked (`partial` style).

use crate::error::{INVALID_ARGUMENT, js_error};
use crate::{Detector, from_js, to_js};
use serde::{Deserialize, Serialize};
use warden_core::mask::{MaskStyle, partial};
use warden_core::policy::Action;
use warden_core::{Category, Confidence};
use warden_extract::{Format, Limits, SENSITIVITY_LABEL_RULE, sanitize_file, scan_file};
use wasm_bindgen::prelude::*;

/// The most findings one report lists. Beyond it, the most severe actions are kept.
pub const MAX_FILE_FINDINGS: usize = 1000;
/// The largest `maxBytes` accepted (the browser holds the file and its text in memory).
pub const MAX_FILE_BYTES: u64 = 200_000_000;

/// `scanFile` options.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct ScanFileOptions {
    /// The largest file inspected, in bytes (50 MB when absent).
    max_bytes: Option<f64>,
}

/// `sanitizeFile` request.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct SanitizeRequest {
    /// How values are replaced; the policy's mask style when absent.
    style: Option<MaskStyle>,
    /// The largest file accepted, in bytes (50 MB when absent).
    max_bytes: Option<f64>,
}

/// What `scanFile` returns.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FileReport {
    format: &'static str,
    inspectable: bool,
    reason: Option<String>,
    findings: Vec<FileFindingObject>,
    sanitizable: bool,
    text_bytes: usize,
}

/// A finding inside a file, as JavaScript sees it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FileFindingObject {
    rule_id: String,
    description: String,
    entity: String,
    category: Category,
    confidence: Confidence,
    score: f32,
    action: Action,
    location: String,
    preview: String,
}

fn limits(max_bytes: Option<f64>) -> Result<Limits, JsValue> {
    let mut limits = Limits::default();
    if let Some(max) = max_bytes {
        if !(max.is_finite() && max >= 1.0 && max <= MAX_FILE_BYTES as f64) {
            return Err(js_error(
                INVALID_ARGUMENT,
                &format!("maxBytes: expected a number of bytes from 1 to {MAX_FILE_BYTES}"),
            ));
        }
        limits.max_file_bytes = max as usize;
    }
    Ok(limits)
}

/// Formats a sanitized copy can be made of.
fn sanitizable(format: Format) -> bool {
    format.is_text()
        || matches!(
            format,
            Format::Docx | Format::Xlsx | Format::Pptx | Format::Odt | Format::Ods | Format::Odp
        )
}

/// A value shown to the user: one line, at most 80 characters, all but the last four letters or
/// digits hidden.
fn preview(value: &str) -> String {
    let one_line: String = value
        .chars()
        .take(80)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    partial(&one_line)
}

#[wasm_bindgen(js_class = Detector)]
impl Detector {
    /// Extracts the text of a file (any format `warden-extract` reads, recognised from its bytes) and
    /// scans it. Returns `{format, inspectable, reason, findings, sanitizable, textBytes}`.
    #[wasm_bindgen(js_name = scanFile)]
    pub fn scan_file(
        &self,
        bytes: &[u8],
        name: &str,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options: ScanFileOptions = from_js(options, "options")?;
        let limits = limits(options.max_bytes)?;
        let report = match scan_file(&self.rules, bytes, name, &limits) {
            Ok(scan) => {
                let mut findings: Vec<(usize, Action, FileFindingObject)> = scan
                    .findings
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let action = self.policy.action_for(&f.rule, f.confidence);
                        let label = f.piece.is_none()
                            && (f.rule.id == SENSITIVITY_LABEL_RULE
                                || f.rule.entity == "SENSITIVITY_LABEL");
                        let object = FileFindingObject {
                            rule_id: f.rule.id.clone(),
                            description: f.rule.description.clone(),
                            entity: f.rule.entity.clone(),
                            category: f.rule.category,
                            confidence: f.confidence,
                            score: f.score,
                            action,
                            location: f.location.clone(),
                            // A label's name is a classification, not a sensitive value.
                            preview: if label {
                                f.value.clone()
                            } else {
                                preview(&f.value)
                            },
                        };
                        (i, action, object)
                    })
                    .collect();
                if findings.len() > MAX_FILE_FINDINGS {
                    findings.sort_by_key(|(i, action, _)| (std::cmp::Reverse(*action), *i));
                    findings.truncate(MAX_FILE_FINDINGS);
                    findings.sort_by_key(|(i, _, _)| *i);
                }
                let uninspected = scan.extraction.uninspected.first();
                FileReport {
                    format: scan.extraction.format.as_str(),
                    inspectable: uninspected.is_none(),
                    reason: uninspected.map(|u| format!("{}: {}", u.location, u.error.message())),
                    sanitizable: uninspected.is_none() && sanitizable(scan.extraction.format),
                    text_bytes: scan.extraction.text_bytes(),
                    findings: findings.into_iter().map(|(_, _, f)| f).collect(),
                }
            }
            Err(e) => FileReport {
                format: e.format().as_str(),
                inspectable: false,
                reason: Some(e.message().to_owned()),
                findings: Vec::new(),
                sanitizable: false,
                text_bytes: 0,
            },
        };
        to_js(&report)
    }

    /// A copy of the file with every finding whose policy action is not `allow` replaced, in `style`
    /// (the policy's mask style by default). Returns `{bytes: Uint8Array, replaced: number}`; throws an
    /// `Error` whose `kind` is `unsupported` for formats that cannot be sanitized, or the reason's kind
    /// (`encrypted`, `corrupt`, `zip-bomb`, `too-large`) for files that cannot be read.
    #[wasm_bindgen(js_name = sanitizeFile)]
    pub fn sanitize_file(
        &self,
        bytes: &[u8],
        name: &str,
        request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request: SanitizeRequest = from_js(request, "request")?;
        let limits = limits(request.max_bytes)?;
        let style = request.style.unwrap_or(self.policy.mask_style);
        let copy = sanitize_file(&self.rules, &self.policy, bytes, name, &limits, style)
            .map_err(|e| js_error(e.kind().as_str(), e.message()))?;
        let out = js_sys::Object::new();
        let set =
            |key: &str, value: &JsValue| js_sys::Reflect::set(&out, &JsValue::from_str(key), value);
        set(
            "bytes",
            &js_sys::Uint8Array::from(copy.bytes.as_slice()).into(),
        )?;
        set("replaced", &JsValue::from_f64(copy.replaced as f64))?;
        Ok(out.into())
    }
}
