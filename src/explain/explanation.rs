//! [`Explanation`]: what the inspector shows for one id, as plain data — the page's heading,
//! its facts (each value with the arithmetic that produced it), the findings about it, the
//! related things it links to and the documentation the numbers follow. The inspector draws
//! it, `eksplain explain` prints it as text or JSON.

use serde::Serialize;

use super::docs::Doc;
use crate::model::{Id, Severity};

/// One page of the inspector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The id explained, as the diagram's `data-id` writes it.
    pub id: String,
    /// The id's kind (`node`, `eni`, `lb`, …), as the id writes it.
    pub kind: &'static str,
    /// What the thing is, in words (`Node`, `Network interface`): the page's eyebrow.
    pub noun: &'static str,
    pub title: String,
    /// One sentence on what the thing is or what state it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The cluster's findings about this very id.
    pub findings: Vec<Note>,
    pub facts: Vec<Fact>,
    /// The things it relates to, each a link to its own page.
    pub related: Vec<Related>,
    /// The pages of AWS or Kubernetes documentation the numbers follow.
    pub docs: Vec<Doc>,
}

/// A finding about the explained thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub severity: Severity,
    pub message: String,
}

/// How a value reads: prose, a literal (an address, a CIDR, a name to type), or a list of
/// literals (a long list of addresses, which wraps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    #[default]
    Text,
    Code,
    List,
}

impl Style {
    fn is_text(&self) -> bool {
        *self == Style::Text
    }
}

/// A value and how it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    pub style: Style,
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value {
            text,
            style: Style::Text,
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::from(text.to_string())
    }
}

/// A literal: an address, a CIDR, a name.
pub fn mono(text: impl Into<String>) -> Value {
    Value {
        text: text.into(),
        style: Style::Code,
    }
}

/// A list of literals, comma-separated.
pub fn list(items: &[String]) -> Value {
    Value {
        text: items.join(", "),
        style: Style::List,
    }
}

/// One fact: a label, its value, and how the value was worked out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
    #[serde(skip_serializing_if = "Style::is_text")]
    pub style: Style,
    /// The arithmetic or the rule that gives the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

/// A fact read off the model.
pub fn fact(label: &'static str, value: impl Into<Value>) -> Fact {
    let value = value.into();
    Fact {
        label,
        value: value.text,
        style: value.style,
        formula: None,
    }
}

/// A fact worked out, with how.
pub fn derived(label: &'static str, value: impl Into<Value>, formula: impl Into<String>) -> Fact {
    Fact {
        formula: Some(formula.into()),
        ..fact(label, value)
    }
}

/// A related thing: what it is to this one, its id, and how the link reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub label: &'static str,
    pub id: Id,
    pub text: String,
}

impl Explanation {
    /// An empty page for `noun` with `title`; `id` and `kind` are filled in by `explain`.
    pub(super) fn new(noun: &'static str, title: impl Into<String>) -> Explanation {
        Explanation {
            id: String::new(),
            kind: "",
            noun,
            title: title.into(),
            summary: None,
            findings: Vec::new(),
            facts: Vec::new(),
            related: Vec::new(),
            docs: Vec::new(),
        }
    }

    /// Adds a related thing.
    pub(super) fn link(&mut self, label: &'static str, id: Id, text: String) {
        self.related.push(Related { label, id, text });
    }

    /// The fact with this label, if the page has one.
    pub fn fact(&self, label: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.label == label)
    }

    /// The page as plain text: the heading, the findings, one fact a line with its formula
    /// under it, the related things with their ids, the documentation with its address.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}: {}\n", self.noun, self.title);
        out.push_str(&format!("id: {}\n", self.id));
        if let Some(summary) = &self.summary {
            out.push_str(&format!("{summary}\n"));
        }
        if !self.findings.is_empty() {
            out.push('\n');
            for f in &self.findings {
                let severity = match f.severity {
                    Severity::Info => "info",
                    Severity::Warning => "warning",
                    Severity::Error => "error",
                };
                out.push_str(&format!("{severity}: {}\n", f.message));
            }
        }
        if !self.facts.is_empty() {
            out.push('\n');
            let width = self
                .facts
                .iter()
                .map(|f| f.label.chars().count())
                .max()
                .unwrap_or(0);
            for f in &self.facts {
                out.push_str(&format!("{:width$}  {}\n", f.label, f.value));
                if let Some(formula) = &f.formula {
                    out.push_str(&format!("{:width$}  = {formula}\n", ""));
                }
            }
        }
        if !self.related.is_empty() {
            out.push_str("\nRelated\n");
            for r in &self.related {
                out.push_str(&format!("  {}: {} ({})\n", r.label, r.text, r.id));
            }
        }
        if !self.docs.is_empty() {
            out.push_str("\nDocumentation\n");
            for d in &self.docs {
                out.push_str(&format!("  {}: {}\n", d.title, d.url));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Explanation {
        let mut e = Explanation::new("Subnet", "private-a");
        e.id = "subnet:private-a".into();
        e.kind = "subnet";
        e.summary = Some("Private".into());
        e.facts.push(fact("CIDR", mono("10.0.16.0/20")));
        e.facts
            .push(derived("Usable", "4,091", "2^(32 − 20) − 5 = 4,096 − 5"));
        e.link("Node", Id::node("ng-1-1"), "ng-1-1".into());
        e.findings.push(Note {
            severity: Severity::Warning,
            message: "nearly full".into(),
        });
        e.docs.push(super::super::docs::SUBNET_SIZING);
        e
    }

    #[test]
    fn text_has_every_part_with_formulas_under_their_facts() {
        let text = page().to_text();
        assert!(text.starts_with("Subnet: private-a\nid: subnet:private-a\nPrivate\n"));
        assert!(text.contains("warning: nearly full\n"), "{text}");
        assert!(text.contains("CIDR    10.0.16.0/20\n"), "{text}");
        assert!(
            text.contains("Usable  4,091\n        = 2^(32 − 20) − 5 = 4,096 − 5\n"),
            "{text}"
        );
        assert!(text.contains("  Node: ng-1-1 (node:ng-1-1)\n"), "{text}");
        assert!(text.contains("subnet-sizing.html"), "{text}");
    }

    #[test]
    fn json_names_styles_only_when_not_prose() {
        let json = serde_json::to_value(page()).unwrap();
        assert_eq!(json["kind"], "subnet");
        assert_eq!(json["facts"][0]["style"], "code");
        assert!(json["facts"][1].get("style").is_none());
        assert_eq!(json["facts"][1]["formula"], "2^(32 − 20) − 5 = 4,096 − 5");
        assert_eq!(json["findings"][0]["severity"], "warning");
        assert_eq!(json["related"][0]["id"], "node:ng-1-1");
        assert!(json["docs"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://"));
        assert_eq!(list(&["a".into(), "b".into()]).text, "a, b");
    }
}
