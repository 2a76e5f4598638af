//! [`ImportDialog`]: the Import… dialog. The user pastes text or drops or chooses files (an
//! eksctl ClusterConfig, Kubernetes manifests, `aws` CLI output); the import module's worker
//! ([`Importer`], started when the dialog opens and ended when it closes) reads them; the
//! dialog shows the resulting scenario's notes, grouped, or its problems; Apply hands the
//! scenario to the page, which replaces the draft as one history step.
//!
//! It is part of the import module, not of the page: [`mount`] runs it as a Yew app of its
//! own, which the page starts through `ui::import_module` only when Import… is pressed.
//!
//! A modal `<dialog>`: its heading names it, focus starts in it and stays there, Escape closes
//! it, and the page puts focus back on the Import… button.

use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{HtmlDialogElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::scenario::{from_json, Scenario};
use crate::ui::import_message::{FromImporter, ImportNote, NamedText, NoteGroup, ToImporter};
use crate::ui::import_worker::Importer;

/// Files past this are refused unread (the importer refuses longer text too).
pub const MAX_INPUT_BYTES: f64 = 10.0 * 1024.0 * 1024.0;
/// Lines listed in one group before "and N more".
const LINES_SHOWN: usize = 100;

/// A titled list of `path: message` lines (a group of notes, or the problems).
#[derive(Clone, PartialEq)]
struct Group {
    /// `data-group`: a note group's name, or `problems`.
    name: &'static str,
    title: &'static str,
    lines: Vec<(String, String)>,
}

/// What the dialog shows under its inputs.
#[derive(Clone, PartialEq)]
enum Outcome {
    /// No input yet, or inputs changed since the last read.
    Nothing,
    Reading,
    /// The scenario to apply (none when there are problems) and what to list.
    Read(Option<Rc<Scenario>>, Vec<Group>),
}

#[derive(PartialEq, Properties)]
pub struct ImportDialogProps {
    /// Apply: the scenario replaces the draft.
    pub on_apply: Callback<Scenario>,
    pub on_close: Callback<()>,
    /// What Open…, a drop or a paste on the page gave (`ui::import_module::open_with`): the
    /// dialog opens with them and reads them at once.
    #[prop_or_default]
    pub inputs: Vec<NamedText>,
}

/// The problems, as a group.
fn problem_group(lines: Vec<(String, String)>) -> Group {
    Group {
        name: "problems",
        title: "Problems",
        lines,
    }
}

fn problems(lines: Vec<(String, String)>) -> Outcome {
    Outcome::Read(None, vec![problem_group(lines)])
}

/// The notes, one group per kind that has any, in the dialog's order.
fn note_groups(notes: &[ImportNote]) -> Vec<Group> {
    NoteGroup::ALL
        .into_iter()
        .map(|g| Group {
            name: g.name(),
            title: g.title(),
            lines: notes
                .iter()
                .filter(|n| n.group == g)
                .map(|n| (n.path.clone(), n.message.clone()))
                .collect(),
        })
        .filter(|g| !g.lines.is_empty())
        .collect()
}

/// The outcome an answer of the import module gives.
fn outcome_of(answer: Result<FromImporter, String>) -> Outcome {
    match answer {
        Ok(FromImporter::Imported {
            scenario, notes, ..
        }) => match from_json(&scenario) {
            Ok(s) => Outcome::Read(Some(Rc::new(s)), note_groups(&notes)),
            Err(found) => problems(
                found
                    .into_iter()
                    .map(|p| (p.path.to_string(), p.message))
                    .collect(),
            ),
        },
        Ok(FromImporter::Problems {
            problems: found,
            notes,
            ..
        }) => {
            let mut groups = vec![problem_group(
                found.into_iter().map(|p| (p.path, p.message)).collect(),
            )];
            // The notes made before the problems stopped the import: they often explain them.
            groups.extend(note_groups(&notes));
            Outcome::Read(None, groups)
        }
        Ok(FromImporter::Ready) => Outcome::Reading,
        Err(why) => problems(vec![(String::new(), why)]),
    }
}

/// Reads the chosen or dropped files; one past [`MAX_INPUT_BYTES`] is refused unread.
async fn read_files(files: Vec<web_sys::File>) -> Result<Vec<NamedText>, String> {
    let mut read = Vec::new();
    for file in files {
        let name = file.name();
        if file.size() > MAX_INPUT_BYTES {
            return Err(format!("{name}: eksplain imports files of at most 10 MiB"));
        }
        let text = JsFuture::from(file.text())
            .await
            .map_err(|_| format!("the browser could not read {name}"))?;
        read.push(NamedText {
            name,
            text: text.as_string().unwrap_or_default(),
        });
    }
    Ok(read)
}

fn group_html(group: &Group) -> Html {
    let more = group.lines.len().saturating_sub(LINES_SHOWN);
    html! {
        <section data-group={group.name}>
            <h3>{ format!("{} ({})", group.title, group.lines.len()) }</h3>
            <ul class="import-list">
                { for group.lines.iter().take(LINES_SHOWN).map(|(path, message)| html! {
                    <li><code>{ path.clone() }</code>{ " " }{ message.clone() }</li>
                }) }
                if more > 0 { <li>{ format!("and {more} more") }</li> }
            </ul>
        </section>
    }
}

#[function_component(ImportDialog)]
pub fn import_dialog(props: &ImportDialogProps) -> Html {
    let files = use_state(|| props.inputs.clone());
    let paste = use_state(String::new);
    let outcome = use_state(|| Outcome::Nothing);
    // The latest request: only its answer is shown.
    let latest = use_mut_ref(|| 0u32);
    let importer = use_mut_ref(|| None::<Importer>);
    let dialog_ref = use_node_ref();

    // Open: the modal dialog and the import module. Close: the worker ends with it.
    {
        let dialog_ref = dialog_ref.clone();
        let importer = importer.clone();
        let outcome = outcome.setter();
        let latest = latest.clone();
        let on_close = props.on_close.clone();
        use_effect_with((), move |_| {
            let dialog = dialog_ref.cast::<HtmlDialogElement>();
            let on_cancel = dialog.map(|d| {
                let _ = d.show_modal();
                // Escape: the page closes the dialog, so its state stays the page's.
                let active = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&d, "cancel", active, move |e| {
                    e.prevent_default();
                    on_close.emit(());
                })
            });
            let on_answer = Callback::from(move |answer: Result<FromImporter, String>| {
                let current = *latest.borrow();
                if answer
                    .as_ref()
                    .ok()
                    .and_then(FromImporter::id)
                    .unwrap_or(current)
                    == current
                {
                    outcome.set(outcome_of(answer));
                }
            });
            match Importer::start(on_answer.clone()) {
                Ok(started) => *importer.borrow_mut() = Some(started),
                Err(why) => on_answer.emit(Err(why)),
            }
            move || {
                drop(on_cancel);
                importer.borrow_mut().take();
            }
        });
    }

    // Reads the inputs: the files, then the pasted text.
    let run = {
        let outcome = outcome.setter();
        Rc::new(move |files: &[NamedText], paste: &str| {
            let mut inputs = files.to_vec();
            if !paste.trim().is_empty() {
                inputs.push(NamedText {
                    name: "paste".into(),
                    text: paste.to_string(),
                });
            }
            let id = {
                let mut latest = latest.borrow_mut();
                *latest += 1;
                *latest
            };
            if inputs.is_empty() {
                outcome.set(Outcome::Nothing);
                return;
            }
            outcome.set(Outcome::Reading);
            if let Some(importer) = &*importer.borrow() {
                importer.send(&ToImporter {
                    id,
                    inputs,
                    region: None,
                });
            }
        })
    };

    // What the page handed over is read as soon as the worker is asked (it waits for it).
    {
        let run = run.clone();
        let inputs = props.inputs.clone();
        use_effect_with((), move |_| {
            if !inputs.is_empty() {
                run(&inputs, "");
            }
        });
    }

    // Files chosen or dropped join the list (one of a name already there replaces it), and
    // everything is read again.
    let add_files = {
        let files = files.clone();
        let paste = paste.clone();
        let outcome = outcome.setter();
        let run = run.clone();
        Rc::new(move |list: web_sys::FileList| {
            // Taken now: a file input's list empties when the input is cleared.
            let list: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            let (files, paste, outcome, run) = (
                files.clone(),
                (*paste).clone(),
                outcome.clone(),
                run.clone(),
            );
            spawn_local(async move {
                match read_files(list).await {
                    Ok(read) => {
                        let mut all = (*files).clone();
                        all.retain(|f| read.iter().all(|r| r.name != f.name));
                        all.extend(read);
                        run(&all, &paste);
                        files.set(all);
                    }
                    Err(why) => outcome.set(problems(vec![(String::new(), why)])),
                }
            });
        })
    };
    let on_choose = {
        let add_files = add_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(list) = input.files() {
                add_files(list);
            }
            input.set_value("");
        })
    };
    let on_drop = Callback::from(move |e: DragEvent| {
        // Not the page's own drop, which opens a file as a scenario (share_tools.rs).
        e.prevent_default();
        e.stop_propagation();
        if let Some(list) = e.data_transfer().and_then(|t| t.files()) {
            add_files(list);
        }
    });
    let on_clear = {
        let files = files.clone();
        let paste = paste.clone();
        let run = run.clone();
        Callback::from(move |_: MouseEvent| {
            run(&[], &paste);
            files.set(Vec::new());
        })
    };
    let on_paste = {
        let paste = paste.setter();
        let outcome = outcome.setter();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            paste.set(area.value());
            outcome.set(Outcome::Nothing);
        })
    };
    let on_read = {
        let files = files.clone();
        let paste = paste.clone();
        Callback::from(move |_: MouseEvent| run(&files, &paste))
    };
    let scenario = match &*outcome {
        Outcome::Read(scenario, _) => scenario.clone(),
        _ => None,
    };
    let on_apply = {
        let scenario = scenario.clone();
        let on_apply = props.on_apply.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = &scenario {
                on_apply.emit((**s).clone());
            }
        })
    };
    let on_close = props.on_close.reform(|_: MouseEvent| ());

    let result = match &*outcome {
        Outcome::Nothing => {
            html! { <p>{ "Add files or paste text: the notes show before anything changes." }</p> }
        }
        Outcome::Reading => html! { <p>{ "Reading…" }</p> },
        Outcome::Read(_, groups) => html! {
            <div data-kind={if scenario.is_some() { "import-notes" } else { "import-problems" }}>
                if let Some(s) = &scenario {
                    <p>{ format!("Ready to apply “{}”.", s.name) }</p>
                    if groups.is_empty() {
                        <p>{ "Nothing was filled in, left out or left unresolved." }</p>
                    }
                }
                { for groups.iter().map(group_html) }
            </div>
        },
    };

    html! {
        <dialog ref={dialog_ref} class="share-panel import-dialog" data-kind="import-dialog" aria-labelledby="import-title">
            <h2 id="import-title">{ "Import a cluster" }</h2>
            <p>{ "eksctl ClusterConfig, Kubernetes manifests (kubectl get … -o yaml), aws ec2/eks describe output: JSON or YAML, several files at once." }</p>
            <label class="import-drop" data-kind="import-drop" ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={on_drop}>
                { "Choose files, or drop them here" }
                <input type="file" multiple=true data-kind="import-files" onchange={on_choose} />
            </label>
            if !files.is_empty() {
                <p data-kind="import-inputs">
                    { for files.iter().map(|f| html! { <>{ f.name.clone() }{ " " }</> }) }
                    <button type="button" class="link-button" onclick={on_clear}>{ "Clear" }</button>
                </p>
            }
            <label for="import-paste">{ "Or paste text" }</label>
            <textarea id="import-paste" data-kind="import-paste" rows="5" value={(*paste).clone()} oninput={on_paste} />
            <div aria-live="polite">{ result }</div>
            <div class="import-actions">
                <button type="button" class="share-button" data-kind="import-read" onclick={on_read}>{ "Read" }</button>
                <button type="button" class="share-button primary" data-kind="import-apply" disabled={scenario.is_none()} onclick={on_apply}>{ "Apply" }</button>
                <button type="button" class="share-button" onclick={on_close}>{ "Cancel" }</button>
            </div>
        </dialog>
    }
}

/// Opens the dialog as a Yew app of its own (in the import module's wasm), with `inputs` read
/// at once when the page handed some over. `done` is called
/// once the dialog is gone: with the scenario as JSON text if the user applied it, else with
/// `undefined` (the opener script, `www/post_build.mjs`, passes it on to the page as an
/// `eksplain-import` event: `ui::import_module`).
///
/// Its host is a child of `<html>`, beside `<body>`: the page's own Yew app handles the events
/// that bubble to `<body>`, and two Yew instances must not see each other's elements. One
/// dialog at a time: a second call while one is open does nothing. Focus goes back where it
/// was (the Import… button) when the dialog closes.
pub fn mount(done: js_sys::Function, inputs: Vec<NamedText>) {
    use std::cell::RefCell;
    use wasm_bindgen::{JsCast, JsValue};
    const HOST: &str = "import-host";
    let document = gloo_utils::document();
    if let Ok(Some(_)) = document.query_selector(&format!("[data-kind=\"{HOST}\"]")) {
        return;
    }
    let opener = document
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let Some(host) = document.create_element("div").ok() else {
        let _ = done.call0(&JsValue::UNDEFINED);
        return;
    };
    let _ = host.set_attribute("data-kind", HOST);
    if let Some(root) = document.document_element() {
        let _ = root.append_child(&host);
    }
    let app = Rc::new(RefCell::new(None::<yew::AppHandle<ImportDialog>>));
    // Ends the app (after the event that closes it has run), removes its host, and tells the
    // page: once.
    let close = {
        let host = host.clone();
        let app = app.clone();
        Rc::new(move |json: JsValue| {
            if let Some(app) = app.borrow_mut().take() {
                let (host, done, opener) = (host.clone(), done.clone(), opener.clone());
                spawn_local(async move {
                    app.destroy();
                    host.remove();
                    if let Some(opener) = opener {
                        let _ = opener.focus();
                    }
                    let _ = done.call1(&JsValue::UNDEFINED, &json);
                });
            }
        })
    };
    let props = ImportDialogProps {
        on_apply: {
            let close = close.clone();
            Callback::from(move |s: Scenario| close(crate::scenario::to_json(&s).into()))
        },
        on_close: Callback::from(move |()| close(JsValue::UNDEFINED)),
        inputs,
    };
    *app.borrow_mut() =
        Some(yew::Renderer::<ImportDialog>::with_root_and_props(host, props).render());
}
