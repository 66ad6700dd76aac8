//! The vocabulary of findings: categories, confidence tiers and the public description of a rule.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of data a rule protects. Policies pick actions per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Contact and personal data: email, phone, address, IP address.
    Pii,
    /// Credentials: API keys, tokens, private keys, passwords.
    Secret,
    /// Payment cards, bank accounts, securities and wallet ids.
    Financial,
    /// Government identifiers: social security, tax, national id, passport numbers.
    GovId,
    /// Health identifiers and medical data.
    Health,
    /// Confidentiality markers and sensitivity labels.
    Confidential,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 6] = [
        Category::Pii,
        Category::Secret,
        Category::Financial,
        Category::GovId,
        Category::Health,
        Category::Confidential,
    ];

    /// The rule-file name of the category.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Pii => "pii",
            Category::Secret => "secret",
            Category::Financial => "financial",
            Category::GovId => "gov_id",
            Category::Health => "health",
            Category::Confidential => "confidential",
        }
    }

    /// The category with this rule-file name.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure the engine is. Ordered: `Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Pattern only, or a published sample value: highlighted, not blocking by default.
    Low,
    /// Pattern plus context.
    Medium,
    /// A validator passed, or an unambiguous provider prefix.
    High,
}

impl Confidence {
    /// The rule-file name of the tier.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// The tier with this name.
    pub fn from_name(name: &str) -> Option<Confidence> {
        [Confidence::Low, Confidence::Medium, Confidence::High]
            .into_iter()
            .find(|c| c.as_str() == name)
    }

    /// One tier up (High stays High).
    pub fn raised(self) -> Confidence {
        match self {
            Confidence::Low => Confidence::Medium,
            _ => Confidence::High,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What callers may know about a compiled rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Stable kebab-case id.
    pub id: String,
    /// One-line description.
    pub description: String,
    /// Entity name, e.g. `CREDIT_CARD`.
    pub entity: String,
    /// Category.
    pub category: Category,
    /// Tier of a match without context.
    pub confidence: Confidence,
    /// The validator the rule applies, if any (surrogate values are made to pass it).
    pub validator: Option<&'static str>,
}
