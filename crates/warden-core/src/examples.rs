//! Runs the `[rule.examples]` of every rule: the gate that keeps rule files honest.
//!
//! Each `match` example must be found by the rule on its own, and must still be covered by some finding
//! when the whole rule set scans it (another rule may win the overlap, but the text must not slip
//! through). Each `no_match` example must not be found by the rule on its own.

use crate::compile::RuleSet;

/// Which promise an example broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleFailureKind {
    /// A `match` example where the rule found nothing.
    NotFound,
    /// A `match` example found by the rule alone but left uncovered by the whole rule set.
    LostInRuleSet,
    /// A `no_match` example where the rule found something.
    FoundInNoMatch,
    /// The rule has no `match` example.
    MissingExamples,
}

/// One broken example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule id.
    pub rule: String,
    /// The file the rule came from.
    pub source: String,
    /// What went wrong.
    pub kind: ExampleFailureKind,
    /// The example text.
    pub example: String,
    /// What was found, when something was.
    pub found: Vec<String>,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            ExampleFailureKind::NotFound => "match example not found",
            ExampleFailureKind::LostInRuleSet => {
                "match example found by the rule alone but not covered when all rules run"
            }
            ExampleFailureKind::FoundInNoMatch => "no_match example was found",
            ExampleFailureKind::MissingExamples => {
                "the rule has no `[rule.examples]` match example; add at least one"
            }
        };
        write!(f, "{}: rule `{}`: {what}", self.source, self.rule)?;
        if !self.example.is_empty() {
            write!(f, ": {:?}", self.example)?;
        }
        if !self.found.is_empty() {
            write!(f, " (found {})", self.found.join(", "))?;
        }
        Ok(())
    }
}

/// Totals of an example run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleReport {
    /// Examples run.
    pub run: usize,
    /// Examples that failed, in rule order.
    pub failures: Vec<ExampleFailure>,
}

impl RuleSet {
    /// Runs every rule's examples. With `require_examples`, a rule without a `match` example fails.
    pub fn check_examples(&self, require_examples: bool) -> ExampleReport {
        let mut report = ExampleReport::default();
        for (i, rule) in self.rules.iter().enumerate() {
            let fail = |kind, example: &str, found: Vec<String>| ExampleFailure {
                rule: rule.info.id.clone(),
                source: rule.source.clone(),
                kind,
                example: example.to_owned(),
                found,
            };
            if require_examples && rule.examples_match.is_empty() {
                report
                    .failures
                    .push(fail(ExampleFailureKind::MissingExamples, "", Vec::new()));
            }
            for text in &rule.examples_match {
                report.run += 1;
                let alone = self.scan_rule_alone(i, text);
                if alone.is_empty() {
                    report
                        .failures
                        .push(fail(ExampleFailureKind::NotFound, text, Vec::new()));
                    continue;
                }
                let all = self.scan(text);
                let uncovered = alone
                    .iter()
                    .find(|a| !all.iter().any(|f| f.start < a.end && a.start < f.end));
                if let Some(a) = uncovered {
                    let found = all
                        .iter()
                        .map(|f| format!("{} `{}`", f.rule.id, &text[f.span()]))
                        .collect();
                    report.failures.push(ExampleFailure {
                        found,
                        ..fail(
                            ExampleFailureKind::LostInRuleSet,
                            &text[a.span()],
                            Vec::new(),
                        )
                    });
                }
            }
            for text in &rule.examples_no_match {
                report.run += 1;
                let alone = self.scan_rule_alone(i, text);
                if !alone.is_empty() {
                    let found = alone
                        .iter()
                        .map(|f| format!("`{}` ({})", &text[f.span()], f.confidence))
                        .collect();
                    report
                        .failures
                        .push(fail(ExampleFailureKind::FoundInNoMatch, text, found));
                }
            }
        }
        report
    }
}
