//! Lint: levels and their configuration (`[lint]` in `atom.toml`, `--deny warnings`).

use std::collections::BTreeMap;

use super::rules::{Category, Rule};

/// What a lint's findings are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not run.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error (the run fails).
    Deny,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// How a finding came to have this level, for its note.
    pub fn describe(self, rule: &Rule) -> String {
        if self == rule.default {
            format!("`{}` by default", self.name())
        } else {
            format!("set to `{}`", self.name())
        }
    }
}

/// Levels set in `atom.toml` (by rule name, rule code or category) and on the command line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LintConfig {
    pub levels: BTreeMap<String, Level>,
    /// `--deny warnings`: every warning becomes an error.
    pub deny_warnings: bool,
}

impl LintConfig {
    /// A rule's level: its own setting, else its category's, else its default.
    pub fn level(&self, rule: &Rule) -> Level {
        let level = self
            .levels
            .get(rule.name)
            .or_else(|| self.levels.get(rule.category.name()))
            .copied()
            .unwrap_or(rule.default);
        if self.deny_warnings && level == Level::Warn {
            Level::Deny
        } else {
            level
        }
    }

    /// Sets a level by rule name, rule code (`L009`, any case) or category;
    /// a later setting of the same rule replaces an earlier one.
    pub fn set(&mut self, key: &str, level: Level) {
        let key = super::rule_named(key).map_or(key, |r| r.name);
        self.levels.insert(key.to_string(), level);
    }

    /// The same errors with less work: every rule that would only warn is
    /// turned off, for runs that report errors alone (`atom build`). Kept
    /// whole when `unused-suppression` is an error, since turning a rule
    /// off would make its suppressions look unused.
    pub fn errors_only(&self) -> LintConfig {
        let unused = super::rule_named("unused-suppression");
        if unused.is_some_and(|r| self.level(r) == Level::Deny) {
            return self.clone();
        }
        let mut config = self.clone();
        for rule in super::RULES {
            if config.level(rule) != Level::Deny {
                config.levels.insert(rule.name.to_string(), Level::Allow);
            }
        }
        config
    }

    /// Whether a key of `[lint]` names a rule or a category.
    pub fn known_key(key: &str) -> bool {
        super::rule_named(key).is_some() || Category::ALL.iter().any(|c| c.name() == key)
    }
}
