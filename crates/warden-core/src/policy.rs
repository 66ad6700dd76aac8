//! Policy: what happens to a finding — allow, warn, justify, mask or block — and how a guard treats it at each
//! stage a text leaves the browser (a typing preflight, or the send itself).
//!
//! The design decision to know: this is the **only** place actions are decided. The extension asks
//! ([`Policy::action`], [`Policy::treatment`], [`Policy::review`]) and renders the answer; it never
//! hard-codes what a category deserves. The built-in default, used until an administrator's policy
//! exists, is [`default_action`] plus the other fields of [`Policy::default`].
//!
//! A finding's action comes from, in order: a per-rule override, the confidence floor (below it a
//! finding is highlighted only), a per-entity override, then the action of its category. When the
//! administrator does not allow users to override a decision, a warning becomes a mask.

use crate::error::{Error, ErrorKind};
use crate::mask::MaskStyle;
use crate::rule::{Category, Confidence, RuleInfo};
use crate::scan::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest policy document accepted, in bytes.
pub const MAX_POLICY_BYTES: usize = 1 << 20;

/// What happens to a finding when the user sends. Ordered by severity:
/// `Allow < Warn < Justify < Mask < Block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Highlighted while typing; sent as typed.
    Allow,
    /// The user confirms (send anyway) or goes back to edit.
    Warn,
    /// Sent only when the user types a reason (kept for the audit trail when the policy asks);
    /// otherwise masked.
    Justify,
    /// Replaced by a placeholder before it is sent.
    Mask,
    /// Not sent; the user may mask it or edit.
    Block,
}

impl Action {
    /// The policy-file name of the action.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Warn => "warn",
            Action::Justify => "justify",
            Action::Mask => "mask",
            Action::Block => "block",
        }
    }
}

/// What a guard does when it cannot check a text in time (engine down, no answer within its bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailMode {
    /// Let the text go unchecked.
    Open,
    /// Refuse to let it go.
    Closed,
}

/// When a text is leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Sent by the site while the user is still typing (ChatGPT's `prepare`): the user has decided
    /// nothing yet.
    Preflight,
    /// The message the user sent.
    Send,
}

/// How one finding is treated in a text that is leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Treatment {
    /// Left as it is.
    Pass,
    /// Replaced by a placeholder.
    Mask,
    /// The whole text is refused.
    Refuse,
}

/// The action a category gets when a policy does not name it: secrets (private keys included) are
/// blocked, government ids, financial and health data masked, contact data and confidentiality
/// markers warned about.
pub fn default_action(category: Category) -> Action {
    match category {
        Category::Secret => Action::Block,
        Category::GovId | Category::Financial | Category::Health => Action::Mask,
        Category::Pii | Category::Confidential => Action::Warn,
    }
}

/// An administrator's choices. Every field is optional in the JSON form; a missing field (or a category
/// missing from `categories`) takes the built-in default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Action per category.
    pub categories: BTreeMap<Category, Action>,
    /// Action per rule id; wins over everything else.
    pub rules: BTreeMap<String, Action>,
    /// Action per entity (`EMAIL_ADDRESS`, …); wins over the category's.
    pub entities: BTreeMap<String, Action>,
    /// Findings below this tier are highlighted only ([`Action::Allow`]).
    pub min_confidence: Confidence,
    /// What guards do when they cannot check in time.
    pub fail_mode: FailMode,
    /// How masked values are written.
    pub mask_style: MaskStyle,
    /// Whether the user may let a warned finding through. When false, [`Action::Warn`] becomes
    /// [`Action::Mask`].
    pub user_override: bool,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            categories: Category::ALL
                .into_iter()
                .map(|c| (c, default_action(c)))
                .collect(),
            rules: BTreeMap::new(),
            entities: BTreeMap::new(),
            min_confidence: Confidence::Medium,
            fail_mode: FailMode::Closed,
            mask_style: MaskStyle::Placeholder,
            user_override: true,
        }
    }
}

/// The outcome of [`Policy::review`]: what to do with a text that is leaving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The most severe treatment of any finding ([`Treatment::Pass`] when there is none).
    pub verdict: Treatment,
    /// Each finding's treatment, in the order of the findings.
    pub treatments: Vec<Treatment>,
}

impl Policy {
    /// Reads a policy from JSON (`{"categories": {"secret": "block"}, "min_confidence": "medium", …}`).
    pub fn from_json(text: &str) -> Result<Policy, Error> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "the policy is {} bytes; the limit is {MAX_POLICY_BYTES}",
                    text.len()
                ),
            ));
        }
        serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorKind::Syntax, format!("policy: {e}")))
    }

    /// The action for a finding of `rule` at tier `confidence`.
    pub fn action_for(&self, rule: &RuleInfo, confidence: Confidence) -> Action {
        let action = if let Some(action) = self.rules.get(&rule.id) {
            *action
        } else if confidence < self.min_confidence {
            Action::Allow
        } else if let Some(action) = self.entities.get(&rule.entity) {
            *action
        } else {
            self.categories
                .get(&rule.category)
                .copied()
                .unwrap_or_else(|| default_action(rule.category))
        };
        if action == Action::Warn && !self.user_override {
            Action::Mask
        } else {
            action
        }
    }

    /// The action for a finding.
    pub fn action(&self, finding: &Finding) -> Action {
        self.action_for(&finding.rule, finding.confidence)
    }

    /// How a finding with `action` is treated when its text leaves at `stage`. `approved` says the user
    /// explicitly let this value through (answered a warning with "send anyway").
    ///
    /// A preflight masks every finding whatever its action, because the user has not decided yet. On
    /// send, a warning the user did not answer (or a justification not given) is masked rather than
    /// sent, and a blocked value refuses the whole text: no one is there to choose, so the guard takes
    /// the safe side.
    pub fn treatment(&self, action: Action, stage: Stage, approved: bool) -> Treatment {
        match (stage, action) {
            (Stage::Preflight, _) => Treatment::Mask,
            (Stage::Send, Action::Allow) => Treatment::Pass,
            (Stage::Send, Action::Warn | Action::Justify) if approved => Treatment::Pass,
            (Stage::Send, Action::Warn | Action::Justify | Action::Mask) => Treatment::Mask,
            (Stage::Send, Action::Block) => Treatment::Refuse,
        }
    }

    /// Treats every finding of a leaving text; `approved(i)` says whether the user let finding `i` through.
    pub fn review(
        &self,
        findings: &[Finding],
        stage: Stage,
        approved: impl Fn(usize) -> bool,
    ) -> Review {
        let treatments: Vec<Treatment> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| self.treatment(self.action(f), stage, approved(i)))
            .collect();
        let verdict = treatments.iter().copied().max().unwrap_or(Treatment::Pass);
        Review {
            verdict,
            treatments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, category: Category) -> RuleInfo {
        RuleInfo {
            id: id.to_owned(),
            description: String::new(),
            entity: "X".to_owned(),
            category,
            confidence: Confidence::High,
            validator: None,
        }
    }

    #[test]
    fn default_actions_follow_the_category() {
        let p = Policy::default();
        let table = [
            (Category::Secret, Action::Block),
            (Category::GovId, Action::Mask),
            (Category::Financial, Action::Mask),
            (Category::Health, Action::Mask),
            (Category::Pii, Action::Warn),
            (Category::Confidential, Action::Warn),
        ];
        for (category, want) in table {
            assert_eq!(
                p.action_for(&rule("r", category), Confidence::High),
                want,
                "{category}"
            );
            assert_eq!(
                p.action_for(&rule("r", category), Confidence::Medium),
                want,
                "{category}"
            );
            assert_eq!(
                p.action_for(&rule("r", category), Confidence::Low),
                Action::Allow,
                "{category} low"
            );
        }
    }

    #[test]
    fn rule_override_wins_over_floor_and_category() {
        let mut p = Policy::default();
        p.rules.insert("r".to_owned(), Action::Block);
        assert_eq!(
            p.action_for(&rule("r", Category::Pii), Confidence::Low),
            Action::Block
        );
        assert_eq!(
            p.action_for(&rule("other", Category::Pii), Confidence::High),
            Action::Warn
        );
    }

    #[test]
    fn entity_override_sits_between_floor_and_category() {
        let mut p = Policy::default();
        p.entities.insert("X".to_owned(), Action::Justify);
        assert_eq!(
            p.action_for(&rule("r", Category::Pii), Confidence::High),
            Action::Justify
        );
        assert_eq!(
            p.action_for(&rule("r", Category::Pii), Confidence::Low),
            Action::Allow,
            "the confidence floor still applies"
        );
        p.rules.insert("r".to_owned(), Action::Block);
        assert_eq!(
            p.action_for(&rule("r", Category::Pii), Confidence::High),
            Action::Block,
            "a rule override wins"
        );
        assert!(Action::Warn < Action::Justify && Action::Justify < Action::Mask);
    }

    #[test]
    fn without_user_override_a_warning_is_masked() {
        let p =
            Policy::from_json(r#"{"user_override": false, "categories": {"secret": "justify"}}"#)
                .unwrap();
        assert_eq!(
            p.action_for(&rule("r", Category::Pii), Confidence::High),
            Action::Mask
        );
        assert_eq!(
            p.action_for(&rule("r", Category::Secret), Confidence::High),
            Action::Justify,
            "a justification is the administrator's explicit choice"
        );
        assert_eq!(
            Policy::default().action_for(&rule("r", Category::Pii), Confidence::High),
            Action::Warn
        );
    }

    #[test]
    fn treatment_table() {
        use Action::*;
        let p = Policy::default();
        for action in [Allow, Warn, Justify, Mask, Block] {
            for approved in [false, true] {
                assert_eq!(
                    p.treatment(action, Stage::Preflight, approved),
                    Treatment::Mask,
                    "{action:?}"
                );
            }
        }
        let send = [
            (Allow, false, Treatment::Pass),
            (Warn, false, Treatment::Mask),
            (Warn, true, Treatment::Pass),
            (Justify, false, Treatment::Mask),
            (Justify, true, Treatment::Pass),
            (Mask, false, Treatment::Mask),
            (Mask, true, Treatment::Mask),
            (Block, false, Treatment::Refuse),
            (Block, true, Treatment::Refuse),
        ];
        for (action, approved, want) in send {
            assert_eq!(
                p.treatment(action, Stage::Send, approved),
                want,
                "{action:?} approved={approved}"
            );
        }
    }

    #[test]
    fn partial_json_keeps_defaults() {
        let p =
            Policy::from_json(r#"{"categories": {"pii": "block"}, "fail_mode": "open"}"#).unwrap();
        assert_eq!(p.fail_mode, FailMode::Open);
        assert_eq!(p.min_confidence, Confidence::Medium);
        assert_eq!(
            p.action_for(&rule("r", Category::Pii), Confidence::High),
            Action::Block
        );
        assert_eq!(
            p.action_for(&rule("r", Category::Secret), Confidence::High),
            Action::Block
        );
        assert_eq!(
            p.action_for(&rule("r", Category::Health), Confidence::High),
            Action::Mask
        );
        let round = Policy::from_json(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(round, p);
    }

    #[test]
    fn bad_json_is_a_syntax_error() {
        for text in [
            r#"{"categories": {"pii": "shout"}}"#,
            r#"{"colour": "red"}"#,
            "[",
            r#"{"min_confidence": 3}"#,
        ] {
            assert_eq!(
                Policy::from_json(text).unwrap_err().kind(),
                ErrorKind::Syntax,
                "{text}"
            );
        }
        let huge = format!(
            "{{\"rules\": {{\"a\": \"allow\"}}{}}}",
            " ".repeat(MAX_POLICY_BYTES)
        );
        assert_eq!(
            Policy::from_json(&huge).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
    }

    #[test]
    fn review_takes_the_most_severe_treatment() {
        let set = crate::compile(&[crate::RuleFile::from_toml(
            "t.toml",
            r#"
schema_version = 1
[[rule]]
id = "ticket"
description = "ticket"
entity = "TICKET"
category = "pii"
patterns = ['\bTCK-[0-9]{4}\b']
confidence = "medium"
[[rule]]
id = "key"
description = "key"
entity = "KEY"
category = "secret"
patterns = ['\bKEY-[0-9]{4}\b']
confidence = "high"
"#,
        )
        .unwrap()])
        .unwrap();
        let p = Policy::default();
        let findings = set.scan("TCK-1234 and KEY-9876");
        assert_eq!(findings.len(), 2);
        let r = p.review(&findings, Stage::Send, |i| i == 0);
        assert_eq!(r.treatments, vec![Treatment::Pass, Treatment::Refuse]);
        assert_eq!(r.verdict, Treatment::Refuse);
        let r = p.review(&findings[..1], Stage::Send, |_| false);
        assert_eq!(r.verdict, Treatment::Mask);
        assert_eq!(
            p.review(&[], Stage::Send, |_| false).verdict,
            Treatment::Pass
        );
        assert_eq!(
            p.review(&findings, Stage::Preflight, |_| true).verdict,
            Treatment::Mask
        );
    }
}
