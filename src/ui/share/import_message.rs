//! The messages between the page's Import… dialog and the import module (the second wasm
//! module, `src/bin/eksplain_import.rs`, run as a web worker): JSON text both ways, so the page
//! needs no bindings beyond `postMessage` and the worker none beyond its scope.
//!
//! The worker says [`FromImporter::Ready`] once its wasm runs (a message posted before that
//! would be lost), the page sends one [`ToImporter`], the worker answers with the scenario and
//! its notes or with the problems.

use serde_json::Value;

/// One input of an import: a file's name (or `paste`) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedText {
    pub name: String,
    pub text: String,
}

/// The page's request: import these inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToImporter {
    /// Echoed in the answer: the page shows only the answer to its latest request.
    pub id: u32,
    pub inputs: Vec<NamedText>,
    /// The Region when no input names one.
    pub region: Option<String>,
}

/// The groups a note falls in, in the order the dialog shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteGroup {
    Default,
    Ignored,
    Unresolved,
    Placeholder,
}

/// A note of the import, at the path it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportNote {
    pub group: NoteGroup,
    pub path: String,
    pub message: String,
}

/// A problem that stopped the import, at its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub path: String,
    pub message: String,
}

/// What the import module says.
#[derive(Debug, Clone, PartialEq)]
pub enum FromImporter {
    /// Its wasm runs: requests are heard from now on.
    Ready,
    /// The scenario (as JSON text, which the page parses as it parses any scenario) and the
    /// notes on how it was made.
    Imported {
        id: u32,
        scenario: String,
        notes: Vec<ImportNote>,
    },
    /// Why no scenario came out, and the notes made until then.
    Problems {
        id: u32,
        problems: Vec<ImportProblem>,
        notes: Vec<ImportNote>,
    },
}

impl NoteGroup {
    pub const ALL: [NoteGroup; 4] = [
        NoteGroup::Default,
        NoteGroup::Ignored,
        NoteGroup::Unresolved,
        NoteGroup::Placeholder,
    ];

    /// The group's heading in the dialog.
    pub fn title(self) -> &'static str {
        match self {
            NoteGroup::Default => "Defaults applied",
            NoteGroup::Ignored => "Left out",
            NoteGroup::Unresolved => "Unresolved references",
            NoteGroup::Placeholder => "Placeholders replaced",
        }
    }

    /// The group's name in the DOM (`data-group`) and in the messages: the importer's
    /// `NoteKind` as it serialises.
    pub fn name(self) -> &'static str {
        match self {
            NoteGroup::Default => "default",
            NoteGroup::Ignored => "ignored",
            NoteGroup::Unresolved => "unresolved",
            NoteGroup::Placeholder => "placeholder",
        }
    }

    fn from_name(name: &str) -> Option<NoteGroup> {
        NoteGroup::ALL.into_iter().find(|g| g.name() == name)
    }
}

// The wire format is a JSON array of strings, read through `serde_json::Value`, which the page
// parses scenarios with already: no serde derive for these types weighs on the page's wasm.

fn encode(items: Vec<String>) -> String {
    Value::Array(items.into_iter().map(Value::String).collect()).to_string()
}

fn decode(text: &str, what: &str) -> Result<Vec<String>, String> {
    let unreadable = || format!("{what} is unreadable");
    let value: Value = serde_json::from_str(text).map_err(|_| unreadable())?;
    let items = value.as_array().ok_or_else(unreadable)?;
    items
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(unreadable))
        .collect()
}

fn number(text: Option<&String>, what: &str) -> Result<u32, String> {
    text.and_then(|t| t.parse().ok())
        .ok_or_else(|| format!("{what} has no request number"))
}

/// Appends `group, path, message` for each note.
fn encode_notes(notes: &[ImportNote], items: &mut Vec<String>) {
    for n in notes {
        items.extend([
            n.group.name().to_string(),
            n.path.clone(),
            n.message.clone(),
        ]);
    }
}

/// Reads `group, path, message` triples.
fn decode_notes(items: &[String]) -> Result<Vec<ImportNote>, String> {
    items
        .chunks(3)
        .map(|n| {
            let group = NoteGroup::from_name(&n[0])
                .ok_or("the import module's answer names an unknown note group")?;
            Ok(ImportNote {
                group,
                path: n.get(1).cloned().unwrap_or_default(),
                message: n.get(2).cloned().unwrap_or_default(),
            })
        })
        .collect()
}

impl ToImporter {
    /// `[id, region, name, text, name, text, …]`.
    pub fn encode(&self) -> String {
        let mut items = vec![self.id.to_string(), self.region.clone().unwrap_or_default()];
        for input in &self.inputs {
            items.push(input.name.clone());
            items.push(input.text.clone());
        }
        encode(items)
    }

    pub fn decode(text: &str) -> Result<ToImporter, String> {
        const WHAT: &str = "the page's request";
        let items = decode(text, WHAT)?;
        let id = number(items.first(), WHAT)?;
        let region = items.get(1).filter(|r| !r.is_empty()).cloned();
        let inputs = items
            .get(2..)
            .unwrap_or_default()
            .chunks(2)
            .map(|pair| NamedText {
                name: pair[0].clone(),
                text: pair.get(1).cloned().unwrap_or_default(),
            })
            .collect();
        Ok(ToImporter { id, inputs, region })
    }
}

impl FromImporter {
    /// `["ready"]`, `["imported", id, scenario, group, path, message, …]` or
    /// `["problems", id, count, path, message, … (count pairs), group, path, message, …]`.
    pub fn encode(&self) -> String {
        let items = match self {
            FromImporter::Ready => vec!["ready".to_string()],
            FromImporter::Imported {
                id,
                scenario,
                notes,
            } => {
                let mut items = vec!["imported".to_string(), id.to_string(), scenario.clone()];
                encode_notes(notes, &mut items);
                items
            }
            FromImporter::Problems {
                id,
                problems,
                notes,
            } => {
                let mut items = vec![
                    "problems".to_string(),
                    id.to_string(),
                    problems.len().to_string(),
                ];
                for p in problems {
                    items.extend([p.path.clone(), p.message.clone()]);
                }
                encode_notes(notes, &mut items);
                items
            }
        };
        encode(items)
    }

    /// Reads a message; one that does not parse is the reason why (never a panic).
    pub fn parse(text: &str) -> Result<FromImporter, String> {
        const WHAT: &str = "the import module's answer";
        let items = decode(text, WHAT)?;
        let kind = items.first().map(String::as_str);
        if kind == Some("ready") {
            return Ok(FromImporter::Ready);
        }
        let id = number(items.get(1), WHAT)?;
        match kind {
            Some("imported") => Ok(FromImporter::Imported {
                id,
                scenario: items.get(2).cloned().unwrap_or_default(),
                notes: decode_notes(items.get(3..).unwrap_or_default())?,
            }),
            Some("problems") => {
                let count = number(items.get(2), WHAT)? as usize;
                let end = count
                    .checked_mul(2)
                    .and_then(|n| n.checked_add(3))
                    .filter(|end| *end <= items.len())
                    .ok_or_else(|| format!("{WHAT} lists fewer problems than it counts"))?;
                Ok(FromImporter::Problems {
                    id,
                    problems: items[3..end]
                        .chunks(2)
                        .map(|p| ImportProblem {
                            path: p[0].clone(),
                            message: p[1].clone(),
                        })
                        .collect(),
                    notes: decode_notes(&items[end..])?,
                })
            }
            _ => Err(format!("{WHAT} is of no known kind")),
        }
    }

    /// The request this answers (none for [`FromImporter::Ready`]).
    pub fn id(&self) -> Option<u32> {
        match self {
            FromImporter::Ready => None,
            FromImporter::Imported { id, .. } | FromImporter::Problems { id, .. } => Some(*id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let reply = FromImporter::Imported {
            id: 7,
            scenario: "{\"version\":1}".into(),
            notes: vec![ImportNote {
                group: NoteGroup::Unresolved,
                path: "managedNodeGroups[0].subnets[1]".into(),
                message: "subnet-0f39 is an ID".into(),
            }],
        };
        assert_eq!(FromImporter::parse(&reply.encode()), Ok(reply));
        let problems = FromImporter::Problems {
            id: 2,
            problems: vec![ImportProblem {
                path: "vpc.cidr".into(),
                message: "two CIDRs".into(),
            }],
            notes: vec![ImportNote {
                group: NoteGroup::Default,
                path: "vpc.nat.gateway".into(),
                message: "Single".into(),
            }],
        };
        assert_eq!(FromImporter::parse(&problems.encode()), Ok(problems));
        assert_eq!(
            FromImporter::parse(&FromImporter::Ready.encode()),
            Ok(FromImporter::Ready)
        );
        let request = ToImporter {
            id: 1,
            inputs: vec![
                NamedText {
                    name: "a.yaml".into(),
                    text: "kind: List\n\"quoted\"".into(),
                },
                NamedText {
                    name: "paste".into(),
                    text: String::new(),
                },
            ],
            region: Some("eu-west-1".into()),
        };
        assert_eq!(ToImporter::decode(&request.encode()), Ok(request));
    }

    #[test]
    fn an_unreadable_message_says_why() {
        for text in [
            "not json",
            "{}",
            "[1]",
            "[\"imported\"]",
            "[\"other\", \"1\"]",
        ] {
            let why = FromImporter::parse(text).unwrap_err();
            assert!(why.contains("the import module's answer"), "{text}: {why}");
        }
        let why = FromImporter::parse("[\"imported\", \"1\", \"{}\", \"bogus\", \"p\", \"m\"]")
            .unwrap_err();
        assert!(why.contains("unknown note group"), "{why}");
        let why = FromImporter::parse("[\"problems\", \"1\", \"5\", \"p\", \"m\"]").unwrap_err();
        assert!(why.contains("fewer problems"), "{why}");
        assert!(ToImporter::decode("[]").unwrap_err().contains("request"));
    }

    #[test]
    fn groups_are_named_as_the_importer_serialises_note_kinds() {
        let kinds = [
            crate::import::NoteKind::Default,
            crate::import::NoteKind::Ignored,
            crate::import::NoteKind::Unresolved,
            crate::import::NoteKind::Placeholder,
        ];
        for (kind, group) in kinds.into_iter().zip(NoteGroup::ALL) {
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", group.name())
            );
        }
    }
}
