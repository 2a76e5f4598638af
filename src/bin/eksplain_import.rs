//! The import module: the page fetches it only when its Import… button is pressed (trunk
//! builds it with `data-type="worker"`, so it is neither preloaded nor injected). It carries
//! the Import… dialog, the importer and the YAML parser, none of which the page's own wasm has.
//!
//! It runs twice. In the page, it opens the dialog (`open_import_dialog`, called by
//! `ui::import_module`). In a web worker the dialog starts, it reads the inputs off the page's
//! thread: it says `ready` once running, then answers each request (the inputs, as JSON text)
//! with the scenario and its notes or with the problems ([`eksplain::ui::import_message`]).

use eksplain::import::{import, Input, Note, NoteKind, Options};
use eksplain::ui::import_message::{
    FromImporter, ImportNote, ImportProblem, NamedText, NoteGroup, ToImporter,
};

/// The importer's notes as the dialog groups them.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn message_notes(notes: Vec<Note>) -> Vec<ImportNote> {
    notes
        .into_iter()
        .map(|n| ImportNote {
            group: match n.kind {
                NoteKind::Default => NoteGroup::Default,
                NoteKind::Ignored => NoteGroup::Ignored,
                NoteKind::Unresolved => NoteGroup::Unresolved,
                NoteKind::Placeholder => NoteGroup::Placeholder,
            },
            path: n.path,
            message: n.message,
        })
        .collect()
}

/// The answer to one request. Pure: the worker's whole job, testable natively.
// Natively only the tests call it (the native binary just says what it is).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn answer(request: &str) -> FromImporter {
    let request = match ToImporter::decode(request) {
        Ok(r) => r,
        Err(why) => {
            return FromImporter::Problems {
                id: 0,
                problems: vec![ImportProblem {
                    path: String::new(),
                    message: why,
                }],
                notes: Vec::new(),
            }
        }
    };
    let id = request.id;
    // One eksplain scenario written in YAML (as the CLI reads it) opens as it is.
    if let [only] = &request.inputs[..] {
        if let Ok(scenario) = eksplain::scenario::from_yaml(&only.text) {
            return FromImporter::Imported {
                id,
                scenario: eksplain::scenario::to_json(&scenario),
                notes: Vec::new(),
            };
        }
    }
    let inputs: Vec<Input> = request
        .inputs
        .into_iter()
        .map(|i| Input {
            name: i.name,
            text: i.text,
        })
        .collect();
    let options = Options {
        region: request.region,
    };
    match import(&inputs, &options) {
        Ok(imported) => FromImporter::Imported {
            id,
            scenario: eksplain::scenario::to_json(&imported.scenario),
            notes: message_notes(imported.notes),
        },
        Err(refused) => FromImporter::Problems {
            id,
            problems: refused
                .problems
                .into_iter()
                .map(|p| ImportProblem {
                    path: p.path.to_string(),
                    message: p.message,
                })
                .collect(),
            notes: message_notes(refused.notes),
        },
    }
}

/// Opens the Import… dialog in the page; `done(json)` hears that it is gone, with the
/// scenario as JSON text if the user applied it. `inputs`: what Open…, a drop or a paste gave
/// the page (`[[name, text], …]` as JSON), read as soon as the dialog opens.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn open_import_dialog(done: js_sys::Function, inputs: Option<String>) {
    eksplain::ui::import_dialog::mount(done, opened_inputs(inputs.as_deref()));
}

/// The inputs the page passed (`[[name, text], …]`); none when there are none or they do not
/// read.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn opened_inputs(json: Option<&str>) -> Vec<NamedText> {
    json.and_then(|j| serde_json::from_str::<Vec<(String, String)>>(j).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(name, text)| NamedText { name, text })
        .collect()
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    console_error_panic_hook::set_once();
    // In the page, the dialog is all: it waits for `open_import_dialog`.
    if web_sys::window().is_some() {
        return;
    }
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let reply = answer(&e.data().as_string().unwrap_or_default());
            let _ = replies.post_message(&JsValue::from_str(&reply.encode()));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Lives as long as the worker.
    on_message.forget();
    // A message posted before the handler was set is lost: the page waits for this one.
    let _ = scope.post_message(&JsValue::from_str(&FromImporter::Ready.encode()));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "eksplain-import is the page's import module (a web worker); natively, run `eksplain import`."
    );
    std::process::exit(2);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(inputs: &[(&str, &str)]) -> String {
        ToImporter {
            id: 3,
            inputs: inputs
                .iter()
                .map(|(name, text)| NamedText {
                    name: name.to_string(),
                    text: text.to_string(),
                })
                .collect(),
            region: None,
        }
        .encode()
    }

    #[test]
    fn a_scenario_comes_back_as_json_the_page_reads() {
        let config = include_str!("../../tests/fixtures/import/eksctl-01-simple-cluster.yaml");
        let FromImporter::Imported { id, scenario, .. } =
            answer(&request(&[("cluster.yaml", config)]))
        else {
            panic!("not imported");
        };
        assert_eq!(id, 3);
        let scenario = eksplain::scenario::from_json(&scenario).unwrap();
        assert_eq!(scenario.vpc.cidr, "192.168.0.0/16", "eksctl's default VPC");
        assert!(eksplain::model::build(&scenario).is_ok());
    }

    #[test]
    fn bad_input_and_bad_requests_are_problems() {
        let FromImporter::Problems { problems, .. } =
            answer(&request(&[("x.json", "{\"version\": 9")]))
        else {
            panic!("imported");
        };
        assert!(
            problems
                .iter()
                .any(|p| p.path == "x.json" && p.message.contains("not valid JSON")),
            "{problems:?}"
        );
        let FromImporter::Problems { problems, .. } = answer("[1") else {
            panic!("imported");
        };
        assert!(problems[0].message.contains("request"), "{problems:?}");
    }

    #[test]
    fn a_yaml_scenario_opens_as_it_is_and_the_page_inputs_read() {
        let yaml = "version: 1\nname: from yaml\nvpc:\n  cidr: 10.1.0.0/16\n";
        let FromImporter::Imported {
            scenario, notes, ..
        } = answer(&request(&[("s.yaml", yaml)]))
        else {
            panic!("not opened");
        };
        assert!(notes.is_empty());
        let scenario = eksplain::scenario::from_json(&scenario).unwrap();
        assert_eq!(
            (scenario.name.as_str(), scenario.vpc.cidr.as_str()),
            ("from yaml", "10.1.0.0/16")
        );
        let inputs = opened_inputs(Some(r#"[["a.yaml","x: 1"]]"#));
        assert_eq!(
            inputs,
            vec![NamedText {
                name: "a.yaml".into(),
                text: "x: 1".into()
            }]
        );
        assert!(opened_inputs(Some("[1")).is_empty() && opened_inputs(None).is_empty());
    }
}
