//! Findings: what a valid scenario leads to that a user should know (an exhausted subnet, a
//! node that could not launch), each tied to the thing it is about.

use serde::Serialize;

use super::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// The id of the drawn thing it is about (`subnet:private-a`, `node:ng-1-4`).
    pub subject: Id,
    pub message: String,
}

impl Finding {
    pub fn new(severity: Severity, subject: impl Into<Id>, message: impl Into<String>) -> Finding {
        Finding {
            severity,
            subject: subject.into(),
            message: message.into(),
        }
    }

    pub fn error(subject: impl Into<Id>, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Error, subject, message)
    }

    pub fn warning(subject: impl Into<Id>, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Warning, subject, message)
    }

    pub fn info(subject: impl Into<Id>, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Info, subject, message)
    }
}
