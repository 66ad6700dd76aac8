//! `warden bundle …`: the administrator's side of signed rule bundles — make a signing key, sign rule
//! files and policy overrides into a bundle, and verify a bundle exactly as the extension will.
//!
//! Keys and files are this module's job; everything about the bundle itself (checks, canonical bytes,
//! signatures) is `warden-bundle`'s, the same code the extension runs as WebAssembly. The private key
//! is a PKCS#8 PEM file (what `openssl pkey` reads); the public key is written beside it as the
//! `{keyId, publicKey}` object an administrator pastes into the managed policy.
//!
//! Exit codes: 0 = done / the bundle is valid, 1 = refused (the bundle is rejected, or the rules or
//! version given to `sign` are not acceptable), 2 = usage or file error.

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use warden_bundle::{Draft, RuleText, SigningKey, TrustedKey, VerifyOptions};

/// `warden bundle` subcommands.
#[derive(Subcommand)]
pub enum BundleCommand {
    /// Make a new Ed25519 signing key: KEYFILE (private, mode 0600) and KEYFILE.pub (the trusted key
    /// for the policy). Refuses to overwrite.
    Keygen {
        /// Where to write the private key (PKCS#8 PEM).
        #[arg(long, value_name = "KEYFILE")]
        out: PathBuf,
    },
    /// Sign rule files and policy overrides into a bundle.
    Sign {
        /// The private key file from `warden bundle keygen`.
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
        /// Rule files or directories (.toml or .json), carried in this order.
        #[arg(long, value_name = "FILE_OR_DIR", num_args = 1.., required = true)]
        rules: Vec<PathBuf>,
        /// Policy overrides: a JSON object the extension merges into the administrator's policy.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// The bundle version: a whole number greater than every version published before.
        #[arg(long)]
        version: u64,
        /// When the extension stops accepting the bundle: a duration after issue (`30d`, `12h`,
        /// `2w`) or a date (`2026-12-31`, `2026-12-31T18:00:00Z`, unix seconds). Default: never.
        #[arg(long, value_name = "DURATION|DATE")]
        expires: Option<String>,
        /// The issue time, instead of now (a date as for --expires). For reproducible test bundles.
        #[arg(long, value_name = "DATE")]
        issued_at: Option<String>,
        /// A rule id to turn off in the extension (repeatable).
        #[arg(long = "disabled-rule", value_name = "ID")]
        disabled_rules: Vec<String>,
        /// The bundle published before: refuse a version that is not greater than its version.
        #[arg(long, value_name = "BUNDLE")]
        previous: Option<PathBuf>,
        /// Where to write the bundle (replaced atomically).
        #[arg(long, value_name = "BUNDLE")]
        out: PathBuf,
    },
    /// Verify a bundle as the extension does: signature, trusted key, validity period, version, rules.
    Verify {
        /// A trusted public key: a KEYFILE.pub from keygen, a PEM public key file, a JSON list of
        /// `{keyId, publicKey}`, or the base64 key itself (repeatable: several keys during a rotation).
        #[arg(long, value_name = "PUBKEYFILE_OR_BASE64", required = true)]
        trusted: Vec<String>,
        /// The last-known-good version: an older bundle is rejected as a downgrade.
        #[arg(long, default_value_t = 0)]
        min_version: u64,
        /// Check as if it were this time (a date as for `sign --expires`), instead of now.
        #[arg(long, value_name = "DATE")]
        now: Option<String>,
        /// The size limit, in bytes.
        #[arg(long, default_value_t = warden_bundle::DEFAULT_MAX_BYTES)]
        max_bytes: usize,
        /// Print one JSON object (`{"valid": true, …}` or `{"valid": false, "kind", "message"}`).
        #[arg(long)]
        json: bool,
        /// The bundle file.
        bundle: PathBuf,
    },
}

/// Runs a `bundle` subcommand.
pub fn run(cmd: &BundleCommand) -> Result<ExitCode> {
    match cmd {
        BundleCommand::Keygen { out } => keygen(out),
        BundleCommand::Sign {
            key,
            rules,
            policy,
            version,
            expires,
            issued_at,
            disabled_rules,
            previous,
            out,
        } => {
            let now = unix_now()?;
            let issued_at = match issued_at {
                Some(s) => parse_date(s).context("--issued-at")?,
                None => now,
            };
            let expires_at = match expires {
                Some(s) => Some(parse_expiry(s, issued_at).context("--expires")?),
                None => None,
            };
            if *version == 0 || *version > warden_bundle::MAX_NUMBER {
                return refuse(&format!(
                    "--version must be between 1 and {}",
                    warden_bundle::MAX_NUMBER
                ));
            }
            if expires_at.is_some_and(|e| e <= issued_at) {
                return refuse(&format!(
                    "--expires is not after the issue time ({}); give a later date or a duration such as 30d",
                    show_time(issued_at)
                ));
            }
            let draft = Draft {
                version: *version,
                issued_at,
                expires_at,
                rules: Vec::new(),
                policy: None,
                disabled_rules: disabled_rules.clone(),
            };
            sign(SignRequest {
                key,
                rules,
                policy: policy.as_deref(),
                previous: previous.as_deref(),
                out,
                now,
                draft,
            })
        }
        BundleCommand::Verify {
            trusted,
            min_version,
            now,
            max_bytes,
            json,
            bundle,
        } => {
            let now = match now {
                Some(s) => parse_date(s).context("--now")?,
                None => unix_now()?,
            };
            verify(trusted, *min_version, now, *max_bytes, *json, bundle)
        }
    }
}

/// The trusted-key object of the managed policy (and of KEYFILE.pub).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TrustedKeyEntry {
    key_id: String,
    public_key: String,
}

fn keygen(out: &Path) -> Result<ExitCode> {
    let public_path = pub_path(out);
    for path in [out, public_path.as_path()] {
        if path.exists() {
            bail!(
                "{} already exists; choose another --out (a key is never overwritten)",
                path.display()
            );
        }
    }
    let key = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
    // PKCS#8 v1 (the seed only), the form OpenSSL 3.0 reads; dalek's default v2 adds the public key,
    // which `openssl pkey` on Debian 12 refuses.
    let pem = ed25519_dalek::pkcs8::KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    }
    .to_pkcs8_pem(LineEnding::LF)
    .map_err(|e| anyhow!("cannot encode the private key: {e}"))?;
    write_new(out, pem.as_bytes(), true)?;
    let public = SigningKey::from_seed(&key.to_bytes()).public_key();
    let entry = TrustedKeyEntry {
        key_id: public.key_id().to_owned(),
        public_key: public.public_key(),
    };
    let mut json = serde_json::to_string(&entry)?;
    json.push('\n');
    write_new(&public_path, json.as_bytes(), false)?;
    print_out(&format!(
        "key id:     {}\npublic key: {}\nwrote {} (private: keep it secret, mode 0600) and {} (the trusted key for the policy)\n",
        entry.key_id,
        entry.public_key,
        out.display(),
        public_path.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn pub_path(key: &Path) -> PathBuf {
    let mut name = key.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// Creates `path`, failing if it exists; `private` files are readable by their owner only.
fn write_new(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

struct SignRequest<'a> {
    key: &'a Path,
    rules: &'a [PathBuf],
    policy: Option<&'a Path>,
    previous: Option<&'a Path>,
    out: &'a Path,
    now: u64,
    draft: Draft,
}

fn sign(mut req: SignRequest<'_>) -> Result<ExitCode> {
    let key = read_signing_key(req.key)?;
    if let Some(previous) = req.previous {
        let bytes = read_limited(previous, warden_bundle::MAX_BUNDLE_BYTES)?;
        let before = warden_bundle::peek_version(&bytes)
            .with_context(|| format!("--previous {}", previous.display()))?;
        if req.draft.version <= before {
            return refuse(&format!(
                "--version {} is not greater than version {before} of {}; the extension refuses older or equal versions — use --version {}",
                req.draft.version,
                previous.display(),
                before + 1
            ));
        }
    }
    let mut sources = Vec::new();
    for path in crate::load::expand(req.rules)? {
        match rule_text(&path) {
            Ok(text) => sources.push(text),
            // A broken rule file is refused like a failing rule; a file that cannot be read is an error.
            Err(e) if e.downcast_ref::<warden_core::Error>().is_some() => {
                return refuse(&format!("{e:#}"));
            }
            Err(e) => return Err(e),
        }
    }
    if let Err(message) = check_rules(req.rules, &sources) {
        return refuse(&message);
    }
    req.draft.rules = sources;
    if let Some(path) = req.policy {
        req.draft.policy = Some(read_policy(path)?);
    }
    let signed = match warden_bundle::sign(&req.draft, &key) {
        Ok(signed) => signed,
        Err(e) => return refuse(&format!("({}) {e}", e.kind())),
    };
    for w in &signed.warnings {
        eprintln!("warden: warning: {w}");
    }
    write_atomically(req.out, &signed.bytes)?;
    let d = &req.draft;
    print_out(&format!(
        "signed {}: version {}, key {}, {} rule file(s) with {} rule(s), issued {}, expires {}, {} bytes\n",
        req.out.display(),
        d.version,
        key.public_key().key_id(),
        d.rules.len(),
        signed.rule_count,
        show_time(d.issued_at),
        d.expires_at.map_or("never".to_owned(), show_time),
        signed.bytes.len()
    ));
    if d.expires_at.is_some_and(|e| e <= req.now) {
        eprintln!("warden: warning: the bundle has already expired; the extension will reject it");
    }
    if d.issued_at > req.now + warden_bundle::MAX_CLOCK_SKEW_SECS {
        eprintln!(
            "warden: warning: the bundle is issued in the future; the extension rejects it until then"
        );
    }
    if signed.bytes.len() > warden_bundle::DEFAULT_MAX_BYTES {
        eprintln!(
            "warden: warning: the bundle is larger than the extension's default limit of {} bytes",
            warden_bundle::DEFAULT_MAX_BYTES
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn refuse(message: &str) -> Result<ExitCode> {
    eprintln!("warden: not signed: {message}");
    Ok(ExitCode::from(1))
}

fn read_signing_key(path: &Path) -> Result<SigningKey> {
    let text = String::from_utf8(read_limited(path, 64 << 10)?)
        .ok()
        .with_context(|| format!("{} is not a PEM key file", path.display()))?;
    let key = ed25519_dalek::SigningKey::from_pkcs8_pem(&text).map_err(|e| {
        anyhow!(
            "{} is not an Ed25519 private key in PKCS#8 PEM ({e}); make one with `warden bundle keygen`",
            path.display()
        )
    })?;
    Ok(SigningKey::from_seed(&key.to_bytes()))
}

/// A rule file as the bundle carries it: JSON, examples left out (they may hold real values, such as
/// the customer ids an exact-data list hashes, and the extension never runs them).
fn rule_text(path: &Path) -> Result<RuleText> {
    crate::load::read(path)?; // The engine's own messages, with line numbers, for a broken file.
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the rule file {}", path.display()))?;
    let mut value: serde_json::Value = if path.extension().and_then(|e| e.to_str()) == Some("json")
    {
        serde_json::from_str(&text)?
    } else {
        serde_json::to_value(toml::from_str::<toml::Value>(&text)?)?
    };
    if let Some(rules) = value.get_mut("rule").and_then(|r| r.as_array_mut()) {
        for rule in rules {
            if let Some(rule) = rule.as_object_mut() {
                rule.remove("examples");
            }
        }
    }
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    Ok(RuleText {
        source,
        text: serde_json::to_string(&value)?,
    })
}

/// The checks the extension cannot make for the author: the rules' examples pass, and the rules
/// compile on top of the built-in packs (no id clashes), as the extension uses them.
fn check_rules(paths: &[PathBuf], sources: &[RuleText]) -> Result<(), String> {
    let args = crate::RuleArgs {
        rules: paths.to_vec(),
        no_builtin: true,
    };
    let set = crate::load::rule_set(&args).map_err(|e| format!("{e:#}"))?;
    let report = set.check_examples(false);
    if !report.failures.is_empty() {
        let list: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
        return Err(format!(
            "rule examples fail (run `warden rules check` on the files):\n  {}",
            list.join("\n  ")
        ));
    }
    let mut files = warden_core::builtin::rule_files().map_err(|e| e.to_string())?;
    for s in sources {
        files
            .push(warden_core::RuleFile::from_json(&s.source, &s.text).map_err(|e| e.to_string())?);
    }
    warden_core::compile(&files)
        .map(drop)
        .map_err(|e| format!("the rules do not combine with the built-in packs: {e}"))
}

fn read_policy(path: &Path) -> Result<serde_json::Map<String, serde_json::Value>> {
    let bytes = read_limited(path, warden_core::policy::MAX_POLICY_BYTES)?;
    match serde_json::from_slice(&bytes) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => bail!(
            "{} must hold a JSON object of policy settings",
            path.display()
        ),
        Err(e) => bail!("{} is not valid JSON: {e}", path.display()),
    }
}

/// Writes through a temporary file and a rename, so a web server never serves half a bundle.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().context("--out must name a file")?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(|| format!("cannot write {}", path.display()))
}

fn verify(
    trusted: &[String],
    min_version: u64,
    now: u64,
    max_bytes: usize,
    json: bool,
    path: &Path,
) -> Result<ExitCode> {
    let mut keys = Vec::new();
    for arg in trusted {
        keys.extend(trusted_keys(arg)?);
    }
    // One byte over the limit is enough for the verifier to report the bundle as too large.
    let limit = max_bytes
        .min(warden_bundle::MAX_BUNDLE_BYTES)
        .saturating_add(1);
    let bytes = read_limited_to(path, limit)?;
    let options = VerifyOptions {
        trusted_keys: &keys,
        now,
        min_version,
        max_bytes,
    };
    match warden_bundle::verify(&bytes, &options) {
        Ok(b) => {
            if json {
                let summary = serde_json::json!({
                    "valid": true,
                    "version": b.version,
                    "keyId": b.key_id,
                    "issuedAt": b.issued_at,
                    "expiresAt": b.expires_at,
                    "ruleFiles": b.rules.len(),
                    "rules": b.rule_count,
                    "policy": b.policy.is_some(),
                    "disabledRules": b.disabled_rules,
                });
                print_out(&format!("{summary}\n"));
            } else {
                let mut text = format!(
                    "valid bundle {}\nversion:    {}\nkey id:     {}\nissued at:  {}\nexpires at: {}\nrules:      {} file(s), {} rule(s)\npolicy:     {}\ndisabled:   {} rule id(s)\n",
                    path.display(),
                    b.version,
                    b.key_id,
                    show_time(b.issued_at),
                    b.expires_at.map_or("never".to_owned(), show_time),
                    b.rules.len(),
                    b.rule_count,
                    if b.policy.is_some() { "yes" } else { "none" },
                    b.disabled_rules.len()
                );
                if b.version == min_version {
                    text.push_str(
                        "note: the same version as --min-version: nothing new to apply\n",
                    );
                }
                print_out(&text);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if json {
                let out = serde_json::json!({
                    "valid": false, "kind": e.kind().as_str(), "message": e.message(),
                });
                print_out(&format!("{out}\n"));
            }
            eprintln!("warden: bundle rejected ({}): {e}", e.kind());
            Ok(ExitCode::from(1))
        }
    }
}

/// The keys named by one `--trusted` argument: a file (KEYFILE.pub, a JSON list, a PEM public key, or
/// base64) or the base64 key itself.
fn trusted_keys(arg: &str) -> Result<Vec<TrustedKey>> {
    let path = Path::new(arg);
    if !path.is_file() {
        let key = TrustedKey::from_base64(arg).map_err(|e| {
            anyhow!("--trusted {arg}: no such file, and not a base64 public key either ({e})")
        })?;
        return Ok(vec![key]);
    }
    let text = String::from_utf8(read_limited(path, 1 << 20)?)
        .ok()
        .with_context(|| format!("{arg} is not a text file"))?;
    let text = text.trim();
    let from = |e: warden_bundle::Error| anyhow!("--trusted {arg}: {e}");
    if text.starts_with("-----BEGIN PUBLIC KEY-----") {
        let key = ed25519_dalek::VerifyingKey::from_public_key_pem(text)
            .map_err(|e| anyhow!("--trusted {arg}: not an Ed25519 public key in PEM ({e})"))?;
        return Ok(vec![TrustedKey::from_bytes(key.as_bytes()).map_err(from)?]);
    }
    if text.starts_with("-----BEGIN") {
        bail!("--trusted {arg}: this is not a public key; pass the .pub file written by keygen");
    }
    if text.starts_with('{') || text.starts_with('[') {
        let entries: Vec<TrustedKeyEntry> = if text.starts_with('{') {
            vec![serde_json::from_str(text)?]
        } else {
            serde_json::from_str(text)?
        };
        return entries
            .iter()
            .map(|e| TrustedKey::new(&e.key_id, &e.public_key).map_err(from))
            .collect();
    }
    Ok(vec![TrustedKey::from_base64(text).map_err(from)?])
}

fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>> {
    let bytes = read_limited_to(path, limit.saturating_add(1))?;
    if bytes.len() > limit {
        bail!("{} is larger than {limit} bytes", path.display());
    }
    Ok(bytes)
}

/// At most `limit` bytes of `path`.
fn read_limited_to(path: &Path, limit: usize) -> Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(bytes)
}

/// Writes to standard output; a closed pipe (`warden … | head`) is not an error.
fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn unix_now() -> Result<u64> {
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs())
}

/// A point in time: unix seconds, an RFC 3339 timestamp, or a date (midnight UTC).
fn parse_date(s: &str) -> Result<u64> {
    let s = s.trim();
    let ts = if let Ok(secs) = s.parse::<i64>() {
        jiff::Timestamp::from_second(secs).ok()
    } else if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        Some(ts)
    } else if let Ok(date) = s.parse::<jiff::civil::Date>() {
        date.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    } else {
        None
    };
    ts.and_then(|t| u64::try_from(t.as_second()).ok())
        .with_context(|| {
            format!(
                "`{s}` is not a date: use 2026-12-31, 2026-12-31T18:00:00Z or unix seconds (after 1970)"
            )
        })
}

/// An expiry: a duration after `issued_at` (`30d`, `12h`, `2w`) or a date.
fn parse_expiry(s: &str, issued_at: u64) -> Result<u64> {
    if let Ok(span) = s.trim().parse::<jiff::Span>() {
        let start = jiff::Timestamp::from_second(i64::try_from(issued_at)?)?;
        let end = start
            .to_zoned(jiff::tz::TimeZone::UTC)
            .checked_add(span)
            .with_context(|| format!("`{s}` is too long a duration"))?;
        return u64::try_from(end.timestamp().as_second())
            .with_context(|| format!("`{s}` ends before 1970"));
    }
    parse_date(s).with_context(|| format!("`{s}` is neither a duration (30d, 12h, 2w) nor a date"))
}

/// Unix seconds as RFC 3339 (UTC).
fn show_time(secs: u64) -> String {
    warden_bundle::format_time(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations() {
        assert_eq!(parse_date("2026-01-01").unwrap(), 1_767_225_600);
        assert_eq!(parse_date("2026-01-01T01:00:00Z").unwrap(), 1_767_229_200);
        assert_eq!(parse_date("1767225600").unwrap(), 1_767_225_600);
        assert!(parse_date("tomorrow").is_err());
        assert!(parse_date("-5").is_err());
        assert_eq!(parse_expiry("30d", 0).unwrap(), 30 * 86_400);
        assert_eq!(parse_expiry("12h", 100).unwrap(), 100 + 12 * 3600);
        assert_eq!(parse_expiry("2w", 0).unwrap(), 14 * 86_400);
        assert_eq!(parse_expiry("2026-01-01", 0).unwrap(), 1_767_225_600);
        assert!(parse_expiry("soon", 0).is_err());
        assert_eq!(show_time(1_767_225_600), "2026-01-01T00:00:00Z");
    }
}
