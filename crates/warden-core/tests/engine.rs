//! The engine's integration tests, in one binary: the built-in packs compile and pass their own
//! examples, the shared corpus under `tests/corpus/` gives exactly the expected findings, and no input
//! makes `scan`, `mask` or `unmask` panic.

use proptest::prelude::*;
use serde::Deserialize;
use std::sync::OnceLock;
use warden_core::mask::{Mapping, MaskStyle, mask, unmask};
use warden_core::{Confidence, RuleSet};

fn builtin() -> &'static RuleSet {
    static SET: OnceLock<RuleSet> = OnceLock::new();
    SET.get_or_init(|| warden_core::builtin::rule_set().expect("built-in packs compile"))
}

#[test]
fn builtin_packs_compile_and_pass_their_examples() {
    let set = builtin();
    assert!(set.len() >= 160, "only {} built-in rules", set.len());
    assert!(set.warnings().is_empty(), "{:?}", set.warnings());
    let report = set.check_examples(true);
    let failures: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        report.run >= 4 * set.len(),
        "every rule needs at least two match and two no_match examples"
    );
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
    min_confidence: Option<Confidence>,
    #[serde(default)]
    findings: Vec<Expected>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Expected {
    rule: String,
    value: String,
    #[serde(default)]
    confidence: Option<Confidence>,
}

/// Runs every case of `tests/corpus/*.toml`: the findings at or above the case's minimum tier must be
/// exactly the expected ones (rule and value, and tier where given).
#[test]
fn shared_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no corpus files in {dir}");
    let mut failures = Vec::new();
    let mut cases = 0;
    for path in paths {
        let file: CorpusFile = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in file.case {
            cases += 1;
            let min = case.min_confidence.unwrap_or(Confidence::Low);
            let got: Vec<(String, String, Confidence)> = builtin()
                .scan(&case.text)
                .into_iter()
                .filter(|f| f.confidence >= min)
                .map(|f| {
                    (
                        f.rule_id().to_owned(),
                        case.text[f.span()].to_owned(),
                        f.confidence,
                    )
                })
                .collect();
            let matches = got.len() == case.findings.len()
                && got.iter().zip(&case.findings).all(|(g, e)| {
                    g.0 == e.rule && g.1 == e.value && e.confidence.is_none_or(|c| c == g.2)
                });
            if !matches {
                failures.push(format!(
                    "{}: {}\n  expected {:?}\n  got      {:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    case.name,
                    case.findings,
                    got
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

/// Fragments that wake up many rules, so random inputs reach validators and maskers, not only the
/// first automaton.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 -]{1,40}",
        "[A-Za-z0-9+/=_.-]{1,80}",
        Just("-----BEGIN RSA PRIVATE KEY-----\n".to_owned()),
        Just("-----END RSA PRIVATE KEY-----".to_owned()),
        Just("eyJhbGciOiJIUzI1NiJ9.".to_owned()),
        Just("AKIA".to_owned()),
        Just("ghp_".to_owned()),
        Just("sk-".to_owned()),
        Just("@".to_owned()),
        Just("password=".to_owned()),
        Just("IBAN DE89 ".to_owned()),
        Just("SSN ".to_owned()),
        Just("\n".to_owned()),
        "[\u{80}-\u{10FFFF}]{1,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn scan_mask_unmask_never_panic(parts in prop::collection::vec(fragment(), 0..40)) {
        let text: String = parts.concat();
        let findings = builtin().scan(&text);
        for w in findings.windows(2) {
            prop_assert!(w[0].end <= w[1].start);
        }
        for f in &findings {
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end) && f.start < f.end);
        }
        for style in MaskStyle::ALL {
            let mut mapping = Mapping::with_seed("prop");
            let masked = mask(&text, &findings, style, &mut mapping).unwrap();
            let restored = unmask(&masked.text, &mapping);
            if style == MaskStyle::Placeholder && findings.is_empty() {
                prop_assert_eq!(&restored, &text);
            }
        }
    }
}
