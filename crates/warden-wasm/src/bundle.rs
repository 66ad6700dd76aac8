//! `verifyBundle`: the extension's rule updater checks a downloaded bundle with the same code as
//! `warden bundle verify` (`warden-bundle`), and gets back what to build a `Detector` from.
//!
//! ```js
//! const bundle = verifyBundle(bytes, { trustedKeys: [{ keyId, publicKey }], now: Date.now() / 1000,
//!                                       minVersion: lastKnownGood?.version ?? 0 });
//! const detector = new Detector({ rules: [...builtin, ...bundle.rules], policy });
//! ```
//!
//! A rejected bundle throws a `WardenError` whose `kind` is the reason (`too-large`, `malformed`,
//! `unsupported-format`, `invalid-key`, `unknown-key`, `bad-signature`, `expired`, `not-yet-valid`,
//! `downgrade`, `invalid-rules`), or `invalid-argument` for options of the wrong shape. A bundle whose
//! version equals `minVersion` is accepted (it is the last-known-good one again); compare `version` to
//! skip a rebuild.

use crate::error::{invalid_argument, js_error};
use crate::{required_from_js, to_js};
use serde::{Deserialize, Serialize};
use warden_bundle::{RuleText, TrustedKey, VerifyOptions};
use wasm_bindgen::prelude::*;

/// `verifyBundle(bytes, options)` options.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VerifyBundleOptions {
    /// The keys the administrator trusts.
    trusted_keys: Vec<TrustedKeyObject>,
    /// Unix seconds; a fraction (`Date.now() / 1000`) is rounded down.
    now: f64,
    /// The last-known-good version (0 when there is none). Required, so that forgetting it cannot
    /// quietly accept old bundles.
    min_version: u64,
    /// The size limit in bytes; `warden_bundle::DEFAULT_MAX_BYTES` when absent.
    max_bytes: Option<u64>,
}

/// `{keyId, publicKey}` as in the managed policy.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TrustedKeyObject {
    key_id: String,
    public_key: String,
}

/// What a valid bundle gives the extension.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifiedBundle {
    version: u64,
    key_id: String,
    issued_at: u64,
    expires_at: Option<u64>,
    /// Straight into `new Detector({ rules })`.
    rules: Vec<RuleText>,
    policy: Option<serde_json::Map<String, serde_json::Value>>,
    disabled_rules: Vec<String>,
}

/// Verifies a bundle's bytes: signature by a trusted key, validity period at `now`, version not below
/// `minVersion`, size, and that its rules compile. Returns
/// `{version, keyId, issuedAt, expiresAt, rules, policy, disabledRules}`.
#[wasm_bindgen(js_name = verifyBundle)]
pub fn verify_bundle(bytes: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    let options: VerifyBundleOptions = required_from_js(options, "options")?;
    if options.trusted_keys.len() > warden_bundle::MAX_TRUSTED_KEYS {
        return Err(js_error(
            warden_bundle::ErrorKind::InvalidKey.as_str(),
            &format!(
                "{} trusted keys; the limit is {} — remove retired keys",
                options.trusted_keys.len(),
                warden_bundle::MAX_TRUSTED_KEYS
            ),
        ));
    }
    let trusted = options
        .trusted_keys
        .iter()
        .map(|k| TrustedKey::new(&k.key_id, &k.public_key))
        .collect::<Result<Vec<_>, _>>()
        .map_err(from_bundle)?;
    if !options.now.is_finite() || options.now < 0.0 {
        return Err(invalid_argument(
            "options.now",
            "must be unix seconds (a number of 0 or more)",
        ));
    }
    // Whole seconds; `as` saturates, and times beyond 2^53 are not real anyway.
    let now = options.now.floor() as u64;
    let max_bytes = options
        .max_bytes
        .map_or(warden_bundle::DEFAULT_MAX_BYTES, |m| {
            usize::try_from(m).unwrap_or(usize::MAX)
        });
    let verify_options = VerifyOptions {
        trusted_keys: &trusted,
        now,
        min_version: options.min_version,
        max_bytes,
    };
    let bundle = warden_bundle::verify(bytes, &verify_options).map_err(from_bundle)?;
    to_js(&VerifiedBundle {
        version: bundle.version,
        key_id: bundle.key_id,
        issued_at: bundle.issued_at,
        expires_at: bundle.expires_at,
        rules: bundle.rules,
        policy: bundle.policy,
        disabled_rules: bundle.disabled_rules,
    })
}

/// A rejected bundle (or trusted key), with its reason as `kind`.
fn from_bundle(error: warden_bundle::Error) -> JsValue {
    js_error(error.kind().as_str(), error.message())
}
