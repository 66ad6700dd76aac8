//! The adapter as JavaScript sees it, run under Node by `wasm-bindgen-test-runner`
//! (`cargo test --target wasm32-unknown-unknown -p warden-wasm`): the shared corpus through the wasm
//! build, UTF-16 positions with emoji, CJK and combining marks, errors with a `kind`, masking, review
//! and unmasking.
#![cfg(target_arch = "wasm32")]

use serde::Deserialize;
use warden_wasm::{Detector, engine_version};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(module = "fs")]
extern "C" {
    #[wasm_bindgen(js_name = readFileSync)]
    fn read_file_sync(path: &str, encoding: &str) -> String;
    #[wasm_bindgen(js_name = readdirSync)]
    fn read_dir_sync(path: &str) -> Vec<String>;
}

const CORPUS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus");

/// A small rule file, so position tests do not depend on the built-in packs.
const TEST_RULES: &str = r#"
schema_version = 1
[[rule]]
id = "test-email"
description = "Email address"
entity = "EMAIL_ADDRESS"
category = "pii"
patterns = ['\b[a-z]{1,20}@[a-z]{1,20}\.com\b']
confidence = "high"
[[rule]]
id = "test-key"
description = "Test key"
entity = "TEST_KEY"
category = "secret"
patterns = ['\bKEY-[0-9]{6}\b']
confidence = "high"
[[rule]]
id = "test-card"
description = "Test card"
entity = "TEST_CARD"
category = "financial"
patterns = ['\bCARD-[0-9]{6}\b']
confidence = "high"
"#;

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

/// A rule file in the JSON form the detector reads, made from TOML as the extension build does.
fn rule_json(toml_text: &str) -> String {
    let value: toml::Value = toml::from_str(toml_text).unwrap();
    serde_json::to_string(&value).unwrap()
}

/// `{rules: [{source, text}…], policy}` for `new Detector`.
fn options(files: &[(&str, &str)], policy: Option<&str>) -> JsValue {
    let rules: Vec<serde_json::Value> = files
        .iter()
        .map(|(source, text)| serde_json::json!({"source": source, "text": rule_json(text)}))
        .collect();
    let mut options = serde_json::json!({ "rules": rules });
    if let Some(policy) = policy {
        options["policy"] = serde_json::from_str(policy).unwrap();
    }
    json(&options.to_string())
}

fn small() -> Detector {
    Detector::new(options(&[("test.toml", TEST_RULES)], None)).unwrap()
}

fn builtin() -> &'static Detector {
    // A JS-owned handle is not Sync, so one per thread (there is one thread) instead of a static.
    thread_local! {
        static BUILTIN: &'static Detector = Box::leak(Box::new(
            Detector::new(options(warden_core::builtin::PACKS, None)).expect("built-in packs compile"),
        ));
    }
    BUILTIN.with(|d| *d)
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Found {
    start: usize,
    end: usize,
    rule_id: String,
    confidence: String,
    action: String,
    category: String,
}

fn scan(detector: &Detector, text: &str) -> Vec<Found> {
    serde_wasm_bindgen::from_value(detector.scan(text).unwrap()).unwrap()
}

/// `text.slice(start, end)` as JavaScript computes it (UTF-16 indices).
fn js_slice(text: &str, start: usize, end: usize) -> String {
    js_sys::JsString::from(text)
        .slice(start as u32, end as u32)
        .into()
}

fn kind_of(error: &JsValue) -> String {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    js_sys::Reflect::get(error, &"kind".into())
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn engine_version_is_the_core_version() {
    assert_eq!(engine_version(), warden_core::ENGINE_VERSION);
}

#[wasm_bindgen_test]
fn positions_are_utf16_indices() {
    let d = small();
    for text in [
        "plain bob@acme.com and KEY-123456",
        "😀 bob@acme.com 🎉 KEY-123456 👩\u{200d}💻",
        "中文 bob@acme.com 日本語 KEY-123456 한국어",
        "cafe\u{301} e\u{301}\u{301} bob@acme.com n\u{303} KEY-123456",
        "🇩🇪bob@acme.com🇫🇷KEY-123456",
    ] {
        let found = scan(&d, text);
        let values: Vec<String> = found
            .iter()
            .map(|f| js_slice(text, f.start, f.end))
            .collect();
        assert_eq!(values, ["bob@acme.com", "KEY-123456"], "{text:?}");
    }
}

#[wasm_bindgen_test]
fn findings_carry_the_policy_action() {
    let found = scan(&small(), "bob@acme.com KEY-123456 CARD-123456");
    let actions: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| (f.rule_id.as_str(), f.category.as_str(), f.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("test-email", "pii", "warn"),
            ("test-key", "secret", "block"),
            ("test-card", "financial", "mask")
        ]
    );
    assert!(found.iter().all(|f| f.confidence == "high"));
}

#[derive(Deserialize)]
struct MaskOut {
    text: String,
    replacements: Vec<ReplacementOut>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReplacementOut {
    start: usize,
    end: usize,
    replacement: String,
}

#[wasm_bindgen_test]
fn mask_by_span_in_utf16_and_unmask() {
    let d = small();
    let text = "😀 mail bob@acme.com, key KEY-123456 中";
    let found = scan(&d, text);
    let email = &found[0];
    let request = json(&format!(
        r#"{{"spans": [{{"start": {}, "end": {}}}]}}"#,
        email.start, email.end
    ));
    let out: MaskOut = serde_wasm_bindgen::from_value(d.mask(text, request).unwrap()).unwrap();
    assert_eq!(out.text, "😀 mail [EMAIL_ADDRESS_1], key KEY-123456 中");
    assert_eq!(out.replacements.len(), 1);
    assert_eq!(
        (out.replacements[0].start, out.replacements[0].end),
        (email.start, email.end)
    );
    assert_eq!(out.replacements[0].replacement, "[EMAIL_ADDRESS_1]");

    let mapping = d.mask(text, JsValue::UNDEFINED).unwrap();
    let all: MaskOut = serde_wasm_bindgen::from_value(mapping.clone()).unwrap();
    assert_eq!(all.text, "😀 mail [EMAIL_ADDRESS_1], key [TEST_KEY_1] 中");
    let mapping = js_sys::Reflect::get(&mapping, &"mapping".into()).unwrap();
    assert!(mapping.is_object());
    let answer = "Sure, I will write to [email_address_1] and keep **[TEST_KEY_1]** safe.";
    assert_eq!(
        d.unmask(answer, mapping).unwrap(),
        "Sure, I will write to bob@acme.com and keep **KEY-123456** safe."
    );

    let by_action: MaskOut =
        serde_wasm_bindgen::from_value(d.mask(text, json(r#"{"actions": ["block"]}"#)).unwrap())
            .unwrap();
    assert_eq!(by_action.text, "😀 mail bob@acme.com, key [TEST_KEY_1] 中");
}

#[derive(Deserialize)]
struct ReviewOut {
    verdict: String,
    text: String,
    findings: Vec<ReviewedOut>,
}

#[derive(Deserialize)]
struct ReviewedOut {
    treatment: String,
}

fn review(d: &Detector, text: &str, request: &str) -> ReviewOut {
    serde_wasm_bindgen::from_value(d.review(text, json(request)).unwrap()).unwrap()
}

#[wasm_bindgen_test]
fn review_masks_everything_in_a_preflight_and_follows_the_policy_on_send() {
    let d = small();
    let text = "中 bob@acme.com KEY-123456 CARD-123456";
    let pre = review(&d, text, r#"{"stage": "preflight"}"#);
    assert_eq!(pre.verdict, "mask");
    assert_eq!(pre.text, "中 [EMAIL_ADDRESS_1] [TEST_KEY_1] [TEST_CARD_1]");

    let send = review(&d, text, r#"{"stage": "send"}"#);
    assert_eq!(send.verdict, "refuse");
    let treatments: Vec<&str> = send.findings.iter().map(|f| f.treatment.as_str()).collect();
    assert_eq!(treatments, ["mask", "refuse", "mask"]);

    let approved = review(
        &d,
        "中 bob@acme.com CARD-123456",
        r#"{"stage": "send", "approved": ["bob@acme.com"]}"#,
    );
    assert_eq!(approved.verdict, "mask");
    assert_eq!(approved.text, "中 bob@acme.com [TEST_CARD_1]");

    let clean = review(&d, "nothing here 😀", r#"{"stage": "send"}"#);
    assert_eq!(
        (clean.verdict.as_str(), clean.text.as_str()),
        ("pass", "nothing here 😀")
    );
}

#[wasm_bindgen_test]
fn a_policy_changes_actions() {
    let policy = r#"{"categories": {"pii": "block"}, "rules": {"test-key": "allow"}}"#;
    let d = Detector::new(options(&[("test.toml", TEST_RULES)], Some(policy))).unwrap();
    let actions: Vec<String> = scan(&d, "bob@acme.com KEY-123456")
        .into_iter()
        .map(|f| f.action)
        .collect();
    assert_eq!(actions, ["block", "allow"]);
    let policy = d.policy().unwrap();
    let fail_mode = js_sys::Reflect::get(&policy, &"fail_mode".into()).unwrap();
    assert_eq!(fail_mode.as_string().as_deref(), Some("closed"));
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_a_kind() {
    let bad_rule = options(
        &[("bad.json", "schema_version = 1\n[[rule]]\nid = 'x'")],
        None,
    );
    let error = Detector::new(bad_rule).err().unwrap();
    assert_eq!(kind_of(&error), "invalid-rule");
    let message: String = js_sys::Error::from(error).message().into();
    assert!(
        message.contains("bad.json") && message.contains("`x`"),
        "{message}"
    );

    // TOML is not read here: the build converts rule files to JSON.
    let toml = json(r#"{"rules": [{"source": "s.toml", "text": "schema_version = 1"}]}"#);
    assert_eq!(kind_of(&Detector::new(toml).err().unwrap()), "syntax");

    let unknown = json(r#"{"colour": "red"}"#);
    assert_eq!(
        kind_of(&Detector::new(unknown).err().unwrap()),
        "invalid-argument"
    );

    let bad_policy = json(r#"{"policy": {"categories": {"pii": "shout"}}}"#);
    assert_eq!(
        kind_of(&Detector::new(bad_policy).err().unwrap()),
        "invalid-argument"
    );

    let d = small();
    assert_eq!(
        kind_of(&d.review("x", json(r#"{"stage": "later"}"#)).err().unwrap()),
        "invalid-argument"
    );
    assert_eq!(
        kind_of(&d.mask("x", json(r#"{"spans": "all"}"#)).err().unwrap()),
        "invalid-argument"
    );
    let huge = "a".repeat(warden_wasm::objects::MAX_TEXT_BYTES + 1);
    assert_eq!(kind_of(&d.scan(&huge).err().unwrap()), "too-large");
}

#[wasm_bindgen_test]
fn builtin_packs_compile() {
    let d = builtin();
    assert!(d.rule_count() > 100, "{} rules", d.rule_count());
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    min_confidence: Option<String>,
    #[serde(default)]
    findings: Vec<Expected>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Expected {
    rule: String,
    value: String,
    #[serde(default)]
    confidence: Option<String>,
}

fn tier(name: &str) -> u8 {
    match name {
        "low" => 0,
        "medium" => 1,
        _ => 2,
    }
}

/// The shared corpus (`tests/corpus/*.toml`) with the same expectations as the core's engine test, but
/// through the wasm build, with values cut out of the text by their UTF-16 positions.
#[wasm_bindgen_test]
fn shared_corpus() {
    let mut names: Vec<String> = read_dir_sync(CORPUS_DIR)
        .into_iter()
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no corpus files in {CORPUS_DIR}");
    let mut failures = Vec::new();
    let mut cases = 0;
    for name in names {
        let text = read_file_sync(&format!("{CORPUS_DIR}/{name}"), "utf8");
        let file: CorpusFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in file.case {
            cases += 1;
            let min = tier(case.min_confidence.as_deref().unwrap_or("low"));
            let got: Vec<(String, String, String)> = scan(builtin(), &case.text)
                .into_iter()
                .filter(|f| tier(&f.confidence) >= min)
                .map(|f| {
                    (
                        f.rule_id,
                        js_slice(&case.text, f.start, f.end),
                        f.confidence,
                    )
                })
                .collect();
            let ok = got.len() == case.findings.len()
                && got.iter().zip(&case.findings).all(|(g, e)| {
                    g.0 == e.rule
                        && g.1 == e.value
                        && e.confidence.as_ref().is_none_or(|c| *c == g.2)
                });
            if !ok {
                failures.push(format!(
                    "{name}: {}\n  expected {:?}\n  got      {got:?}",
                    case.name, case.findings
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} corpus cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
