//! The bundle file, as serde mirrors: the envelope (`format`, base64 `payload`, `signature`) and the
//! payload it signs. Field checks that do not need a key or a clock live here, shared by signing and
//! verifying so that nothing can be signed that a verifier would refuse as malformed.

use crate::error::{Error, ErrorKind};
use crate::key::KEY_ID_LEN;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The bundle format this version writes and reads.
pub const FORMAT: u32 = 1;
/// The signature algorithm of format 1.
pub const ALGORITHM: &str = "ed25519";
/// The largest number a bundle carries (versions, times): JavaScript's `Number.MAX_SAFE_INTEGER`, so a
/// number means the same in Rust and in the extension.
pub const MAX_NUMBER: u64 = (1 << 53) - 1;
/// The most rule files one bundle carries. The extension's engine takes 64 files in all, and the
/// built-in packs come first.
pub const MAX_RULE_FILES: usize = 32;
/// The most entries of `disabled_rules`.
pub const MAX_DISABLED_RULES: usize = 10_000;
/// The longest rule file name (`source`) and disabled rule id, in bytes.
pub const MAX_NAME_BYTES: usize = 256;

/// The file: `{"format": 1, "payload": "<base64>", "signature": {…}}`.
#[derive(Debug, Serialize)]
pub(crate) struct Envelope {
    pub format: u32,
    /// Standard base64 of the payload's exact bytes (JSON).
    pub payload: String,
    pub signature: SignatureBlock,
}

/// Who signed and the signature.
#[derive(Debug, Serialize)]
pub(crate) struct SignatureBlock {
    /// Always [`ALGORITHM`] in format 1.
    pub algorithm: String,
    /// The key id, to pick the trusted key without reading unsigned data further.
    pub key_id: String,
    /// Standard base64 of the 64-byte Ed25519 signature.
    pub value: String,
}

/// What is signed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Payload {
    pub format: u32,
    pub version: u64,
    pub issued_at: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    pub key_id: String,
    pub rules: Vec<RuleText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disabled_rules: Vec<String>,
}

impl Envelope {
    /// Reads the bundle file (unsigned: only the signature block is interpreted).
    pub(crate) fn parse(bytes: &[u8]) -> Result<Envelope, Error> {
        let mut f = Fields::parse(bytes, "bundle file")?;
        f.check_format()?;
        let payload = f.take("payload")?;
        let mut s = Fields::from_value(f.take("signature")?, "bundle file's `signature`")?;
        let signature = SignatureBlock {
            algorithm: s.take("algorithm")?,
            key_id: s.take("key_id")?,
            value: s.take("value")?,
        };
        s.finish()?;
        f.finish()?;
        Ok(Envelope {
            format: FORMAT,
            payload,
            signature,
        })
    }
}

impl Payload {
    /// Reads the signed payload.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Payload, Error> {
        let mut f = Fields::parse(bytes, "bundle payload")?;
        f.check_format()?;
        let payload = Payload {
            format: FORMAT,
            version: f.take("version")?,
            issued_at: f.take("issued_at")?,
            expires_at: f.take_optional("expires_at")?,
            key_id: f.take("key_id")?,
            rules: f.take("rules")?,
            policy: f.take_optional("policy")?,
            disabled_rules: f.take_optional("disabled_rules")?.unwrap_or_default(),
        };
        f.finish()?;
        Ok(payload)
    }
}

/// A JSON object read field by field, so that a message names the field at fault. Reading through
/// `serde_json::Value` reuses the parser the engine already carries in the WebAssembly build, where
/// derived strict deserializers would each add their own copy.
struct Fields {
    map: serde_json::Map<String, serde_json::Value>,
    what: &'static str,
}

impl Fields {
    fn parse(bytes: &[u8], what: &'static str) -> Result<Fields, Error> {
        let text = std::str::from_utf8(bytes).map_err(|e| malformed(what, e))?;
        let value = serde_json::from_str(text).map_err(|e| malformed(what, e))?;
        Fields::from_value(value, what)
    }

    fn from_value(value: serde_json::Value, what: &'static str) -> Result<Fields, Error> {
        match value {
            serde_json::Value::Object(map) => Ok(Fields { map, what }),
            _ => Err(malformed(what, "not a JSON object")),
        }
    }

    /// `format` must be [`FORMAT`]; any other number is a format this version does not read.
    fn check_format(&mut self) -> Result<(), Error> {
        match self.map.remove("format") {
            None => Err(malformed(self.what, "missing field `format`")),
            Some(v) if v.as_u64() == Some(u64::from(FORMAT)) => Ok(()),
            Some(v) => Err(Error::new(
                ErrorKind::UnsupportedFormat,
                format!(
                    "the {} has format {v}; this version of PromptWarden reads format {FORMAT} — update the extension, or sign the bundle with a matching `warden`",
                    self.what
                ),
            )),
        }
    }

    fn take<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, Error> {
        match self.take_optional(name)? {
            Some(value) => Ok(value),
            None => Err(malformed(self.what, format_args!("missing field `{name}`"))),
        }
    }

    /// An optional field; `null` counts as absent.
    fn take_optional<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, Error> {
        match self.map.remove(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| malformed(self.what, format_args!("`{name}`: {e}"))),
        }
    }

    /// Every field must have been read: an unknown one is refused, not ignored.
    fn finish(self) -> Result<(), Error> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(key) => Err(malformed(
                self.what,
                format_args!("unknown field `{}`", crate::key::shorten(key)),
            )),
        }
    }
}

/// One rule file in a bundle: a name for messages and the file's text in its JSON form, exactly what
/// the extension's `new Detector({ rules })` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleText {
    /// A name for messages, e.g. `acme.toml`.
    pub source: String,
    /// The rule file as JSON (the same fields as TOML; rules under `"rule"`).
    pub text: String,
}

/// A malformed-bundle error.
pub(crate) fn malformed(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Malformed,
        format!(
            "the {what} is malformed ({detail}); make the bundle again with `warden bundle sign` and publish the file unchanged"
        ),
    )
}

/// The checks on the payload's fields that need neither a key nor a clock.
pub(crate) fn check_fields(p: &Payload) -> Result<(), Error> {
    let bad = |detail: String| Err(malformed("bundle payload", detail));
    if p.version == 0 || p.version > MAX_NUMBER {
        return bad(format!(
            "`version` is {}; it must be between 1 and {MAX_NUMBER}",
            p.version
        ));
    }
    if p.issued_at > MAX_NUMBER {
        return bad(format!("`issued_at` {} is out of range", p.issued_at));
    }
    if let Some(expires) = p.expires_at
        && (expires <= p.issued_at || expires > MAX_NUMBER)
    {
        return bad(format!(
            "`expires_at` {expires} must be after `issued_at` {}",
            p.issued_at
        ));
    }
    if p.key_id.len() != KEY_ID_LEN {
        return bad(format!(
            "`key_id` must be {KEY_ID_LEN} hex digits, not `{}`",
            crate::key::shorten(&p.key_id)
        ));
    }
    if p.rules.len() > MAX_RULE_FILES {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!(
                "the bundle carries {} rule files; the limit is {MAX_RULE_FILES} — merge some files",
                p.rules.len()
            ),
        ));
    }
    for (i, rule) in p.rules.iter().enumerate() {
        if rule.source.trim().is_empty() || rule.source.len() > MAX_NAME_BYTES {
            return bad(format!(
                "rule file {} needs a `source` name of 1 to {MAX_NAME_BYTES} bytes",
                i + 1
            ));
        }
    }
    if let Some(policy) = &p.policy {
        // Serializing a map of JSON values cannot fail.
        let len = serde_json::to_vec(policy).map_or(0, |v| v.len());
        if len > warden_core::policy::MAX_POLICY_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "the bundle's policy is {len} bytes as JSON; the limit is {} — keep long lists in rule files",
                    warden_core::policy::MAX_POLICY_BYTES
                ),
            ));
        }
    }
    if p.disabled_rules.len() > MAX_DISABLED_RULES {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!(
                "`disabled_rules` lists {} ids; the limit is {MAX_DISABLED_RULES}",
                p.disabled_rules.len()
            ),
        ));
    }
    if let Some(id) = p
        .disabled_rules
        .iter()
        .find(|id| id.trim().is_empty() || id.len() > MAX_NAME_BYTES)
    {
        return bad(format!(
            "`disabled_rules` holds `{}`, which is not a rule id",
            crate::key::shorten(id)
        ));
    }
    Ok(())
}

/// Compiles the bundle's rule files on their own, as JSON. Returns the number of rules and the
/// compiler's warnings.
pub(crate) fn compile_rules(rules: &[RuleText]) -> Result<(usize, Vec<String>), Error> {
    let invalid = |message: String| {
        Error::new(
            ErrorKind::InvalidRules,
            format!(
                "the bundle's rules do not compile: {message}; fix the rule, check it with `warden rules check`, and sign a new version"
            ),
        )
    };
    let mut files = Vec::with_capacity(rules.len());
    for rule in rules {
        if !rule.text.trim_start().starts_with('{') {
            return Err(invalid(format!(
                "{}: the text is not a JSON rule file (bundles carry rule files as JSON; `warden bundle sign` converts TOML files)",
                rule.source
            )));
        }
        let file = warden_core::RuleFile::from_json(&rule.source, &rule.text)
            .map_err(|e| invalid(e.message().to_owned()))?;
        files.push(file);
    }
    let set = warden_core::compile(&files).map_err(|e| invalid(e.message().to_owned()))?;
    Ok((set.len(), set.warnings().to_vec()))
}
