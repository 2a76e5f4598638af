//! [`ShareTools`]: the top bar's Share, Embed, Export, Open, Import and Gallery, its notices (those
//! about links and saved work come from [`WorkGuard`], which keeps the URL and the autosave in
//! step with the draft), and the gallery scenario's description.

use gloo_events::{EventListener, EventListenerOptions};
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::pipeline::{flow_ids, Theme, View, ViewOptions};
use crate::scenario::{from_json, Scenario};
use crate::ui::embed::EmbedOptions;
use crate::ui::export;
use crate::ui::export::Opened;
use crate::ui::import_module;
use crate::ui::shared::Shared;
use crate::ui::url_state;
use crate::ui::work_guard::{Arrival, WorkGuard};
use crate::ui::workspace::Edit;

/// Where the gallery's index lives, relative to the page (works under any sub-path).
pub const GALLERY_INDEX: &str = "static/scenarios/gallery.json";

/// One entry of `static/scenarios/gallery.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GalleryEntry {
    /// A scenario file, relative to `static/scenarios/`…
    #[serde(default)]
    pub file: Option<String>,
    /// …or a generated scenario's link (`#s=2.scale.5000`): a 5,000-node cluster is its
    /// generator's parameters, not 70,000 characters of JSON to fetch.
    #[serde(default)]
    pub link: Option<String>,
    pub title: String,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    Embed,
    Gallery,
}

#[derive(PartialEq, Properties)]
pub struct ShareToolsProps {
    pub draft: Shared<Scenario>,
    /// The draft builds (no problems): see [`WorkGuard`].
    pub builds: bool,
    pub on_edit: Callback<Edit>,
    /// What the page shows (view, flow): Export SVG/PNG draws the same, the Embed dialog
    /// starts from it.
    pub view: ViewOptions,
    /// Why part of the link's view was left out (`ui::view_link`).
    #[prop_or_default]
    pub view_notice: Option<String>,
    /// The view of a link opened over the page, or of a step Back or Forward.
    #[prop_or_default]
    pub on_view: Callback<Arrival>,
}

/// The `sandbox` of the snippet: scripts, and the frame kept in its server's origin, so that
/// the page's module and wasm load from any static server without CORS headers (in an opaque
/// origin every one of them is a cross-origin request); pop-ups for "Open in eksplain", which
/// opens a normal tab. Why this is safe enough is in docs/embedding.md.
pub const EMBED_SANDBOX: &str =
    "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox";

/// The iframe snippet for the embed page showing `fragment` with `options` (in its query).
pub fn embed_snippet(
    page_url: &str,
    options: &EmbedOptions,
    fragment: &str,
    title: &str,
) -> String {
    let base = page_url.split(['?', '#']).next().unwrap_or_default();
    let dir = match base.rfind('/') {
        Some(i) => &base[..=i],
        None => base,
    };
    let title = title
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let query = options.query().replace('&', "&amp;");
    format!(
        "<iframe src=\"{dir}embed.html{query}#{fragment}\" title=\"{title}\" width=\"960\" height=\"600\" \
         sandbox=\"{EMBED_SANDBOX}\" loading=\"lazy\" style=\"border:0\"></iframe>"
    )
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let response = JsFuture::from(gloo_utils::window().fetch_with_str(url))
        .await
        .map_err(|_| format!("cannot load {url}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "no response")?;
    if !response.ok() {
        return Err(format!("cannot load {url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| "no body")?)
        .await
        .map_err(|_| format!("cannot read {url}"))?;
    Ok(text.as_string().unwrap_or_default())
}

/// Opens what a file or a paste holds: a scenario replaces the draft here; anything else
/// (YAML, an eksctl ClusterConfig, manifests, `aws` output) opens the Import… dialog with it,
/// from the import module (`export::classify`).
fn open_text(
    name: String,
    text: String,
    replace: &dyn Fn(Scenario),
    status: &UseStateSetter<Option<String>>,
) {
    match export::classify(&name, &text) {
        Opened::Scenario(s) => {
            status.set(Some(format!("Opened “{}”", s.name)));
            replace(*s);
        }
        Opened::Refused(why) => status.set(Some(why)),
        Opened::Import => import_module::open_with(&[(name, text)]),
    }
}

/// The options the Embed dialog offers, starting from what the page shows.
fn embed_choice(view: &ViewOptions) -> EmbedOptions {
    EmbedOptions {
        options: ViewOptions {
            theme: None,
            ..view.clone()
        },
        controls: true,
    }
}

/// One of the Embed dialog's options: a labelled `<select>` of (value, text) pairs.
fn choice(
    label: &'static str,
    kind: &'static str,
    options: Vec<(String, String)>,
    selected: &str,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <label>{ label }
            <select data-kind={kind} {onchange}>
                { for options.into_iter().map(|(value, text)| {
                    let on = value == selected;
                    html! { <option selected={on} {value}>{ text }</option> }
                }) }
            </select>
        </label>
    }
}

/// Whether an event's target takes text itself (a field, the Import… dialog): then a paste is
/// its own, not a scenario pasted on the page.
fn takes_text(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| {
            el.closest("input, textarea, select, [contenteditable], dialog")
                .ok()
                .flatten()
        })
        .is_some()
}

#[function_component(ShareTools)]
pub fn share_tools(props: &ShareToolsProps) -> Html {
    let status = use_state(|| None::<String>);
    let panel = use_state(|| Panel::None);
    let gallery = use_state(|| None::<Result<Vec<GalleryEntry>, String>>);
    let share_field = use_state(|| None::<String>);
    let embed = use_state(|| embed_choice(&props.view));
    let view_notice_hidden = use_state(|| false);
    {
        // A new notice (a link opened over the page) shows even if the last was dismissed.
        let hidden = view_notice_hidden.setter();
        use_effect_with(props.view_notice.clone(), move |_| hidden.set(false));
    }
    let replace = {
        let on_edit = props.on_edit.clone();
        move |s: Scenario| {
            url_state::commit();
            on_edit.emit(Edit::Replace(Box::new(s)));
        }
    };

    // A file dropped anywhere on the page opens like Open…: an exported SVG (`.eksplain.svg`) or a
    // JSON scenario here, anything else through the import module. Text pasted on the page
    // (not into a field) opens the same way; a share link pasted opens as a link.
    // And what the Import… dialog applies replaces the draft.
    {
        let replace = replace.clone();
        let status = status.setter();
        let (imported_replace, imported) = (replace.clone(), status.clone());
        let (pasted_replace, pasted) = (replace.clone(), status.clone());
        use_effect_with((), move |_| {
            let window = gloo_utils::window();
            let passive = EventListenerOptions::enable_prevent_default();
            let on_over = EventListener::new_with_options(&window, "dragover", passive, |e| {
                let has_files = e
                    .dyn_ref::<web_sys::DragEvent>()
                    .and_then(|d| d.data_transfer())
                    .is_some_and(|t| t.types().includes(&"Files".into(), 0));
                if has_files {
                    e.prevent_default();
                }
            });
            let on_drop = EventListener::new_with_options(&window, "drop", passive, move |e| {
                if e.default_prevented() {
                    // The Import… dialog's drop zone took it.
                    return;
                }
                let Some(file) = e
                    .dyn_ref::<web_sys::DragEvent>()
                    .and_then(|d| d.data_transfer())
                    .and_then(|t| t.files())
                    .and_then(|f| f.get(0))
                else {
                    return;
                };
                e.prevent_default();
                let replace = replace.clone();
                let status = status.clone();
                spawn_local(async move {
                    match export::read_text(file).await {
                        Ok((name, text)) => open_text(name, text, &replace, &status),
                        Err(e) => status.set(Some(e)),
                    }
                });
            });
            let on_paste = {
                let (replace, status) = (pasted_replace, pasted);
                EventListener::new_with_options(&window, "paste", passive, move |e| {
                    if e.default_prevented() || takes_text(e.target()) {
                        return;
                    }
                    let text = js_sys::Reflect::get(e, &"clipboardData".into())
                        .ok()
                        .and_then(|d| d.dyn_into::<web_sys::DataTransfer>().ok())
                        .and_then(|d| d.get_data("text/plain").ok())
                        .unwrap_or_default();
                    if text.trim().is_empty() {
                        return;
                    }
                    e.prevent_default();
                    open_text("pasted text".into(), text, &replace, &status);
                })
            };
            // The Import… dialog (in the import module) closed: apply what it gives.
            let on_import = EventListener::new(&window, import_module::EVENT, move |e| {
                let detail = e
                    .dyn_ref::<web_sys::CustomEvent>()
                    .map(|c| c.detail())
                    .unwrap_or_default();
                match import_module::Outcome::of(detail) {
                    import_module::Outcome::Applied(json) => match from_json(&json) {
                        Ok(s) => {
                            imported.set(Some(format!("Imported “{}” — Back undoes it", s.name)));
                            imported_replace(s);
                        }
                        Err(_) => imported.set(Some(
                            "The import module gave a scenario this page cannot read.".into(),
                        )),
                    },
                    import_module::Outcome::NotLoaded => {
                        imported.set(Some(import_module::NOT_LOADED.into()))
                    }
                    import_module::Outcome::Closed => {}
                }
            });
            move || drop((on_over, on_drop, on_paste, on_import))
        });
    }

    let on_share = {
        let draft = props.draft.clone();
        let status = status.setter();
        let share_field = share_field.setter();
        Callback::from(move |_: MouseEvent| {
            let url = url_state::share_url(&draft);
            let chars = url.chars().count();
            let status = status.clone();
            let share_field = share_field.clone();
            let clipboard = gloo_utils::window().navigator().clipboard();
            let promise = clipboard.write_text(&url);
            spawn_local(async move {
                match JsFuture::from(promise).await {
                    Ok(_) => {
                        share_field.set(None);
                        status.set(Some(format!("Link copied — {chars} characters")));
                    }
                    Err(_) => {
                        // No clipboard (permissions, insecure origin): show the link to copy.
                        share_field.set(Some(url));
                        status.set(Some(format!("Copy the link below — {chars} characters")));
                    }
                }
            });
        })
    };
    // The fallback field selects itself so Ctrl+C copies it.
    let share_field_ref = use_node_ref();
    {
        let share_field_ref = share_field_ref.clone();
        use_effect_with((*share_field).clone(), move |shown| {
            if shown.is_some() {
                if let Some(input) = share_field_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                    input.select();
                }
            }
        });
    }

    let toggle_panel = |which: Panel| {
        let panel = panel.clone();
        let gallery = gallery.clone();
        Callback::from(move |_: MouseEvent| {
            let next = if *panel == which { Panel::None } else { which };
            panel.set(next);
            if next == Panel::Gallery && gallery.is_none() {
                let gallery = gallery.setter();
                spawn_local(async move {
                    let loaded = fetch_text(GALLERY_INDEX).await.and_then(|text| {
                        serde_json::from_str::<Vec<GalleryEntry>>(&text)
                            .map_err(|e| format!("the gallery index is not valid: {e}"))
                    });
                    gallery.set(Some(loaded));
                });
            }
        })
    };
    let on_embed = {
        let toggle = toggle_panel(Panel::Embed);
        let (embed, view) = (embed.setter(), props.view.clone());
        Callback::from(move |e: MouseEvent| {
            // Opened on what the page shows now.
            embed.set(embed_choice(&view));
            toggle.emit(e);
        })
    };
    let on_gallery = toggle_panel(Panel::Gallery);
    let close_panel = {
        let panel = panel.setter();
        Callback::from(move |_: MouseEvent| panel.set(Panel::None))
    };

    let run_export = |png: bool| {
        let draft = props.draft.clone();
        let view = props.view.clone();
        let status = status.setter();
        Callback::from(move |_: MouseEvent| {
            let scenario = (*draft).clone();
            // In the colours the page shows: the reader's system theme.
            let mut view = view.clone();
            if view.theme.is_none() && crate::ui::dom::prefers_dark() {
                view.theme = Some(crate::pipeline::Theme::Dark);
            }
            let status = status.clone();
            spawn_local(async move {
                let result = if png {
                    export::download_png(scenario, view).await
                } else {
                    export::download_svg(scenario, view).await
                };
                status.set(Some(match result {
                    Ok(()) if png => "PNG downloaded".to_string(),
                    Ok(()) => "SVG downloaded — open it again with Open…".to_string(),
                    Err(e) => format!("Export failed: {e}"),
                }));
            });
        })
    };
    let on_export_svg = run_export(false);
    let on_export_png = run_export(true);

    let on_open = {
        let replace = replace.clone();
        let status = status.setter();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let replace = replace.clone();
            let status = status.clone();
            spawn_local(async move {
                match export::read_text(file).await {
                    Ok((name, text)) => open_text(name, text, &replace, &status),
                    Err(e) => status.set(Some(e)),
                }
            });
        })
    };

    let file_input = use_node_ref();
    let pick_file = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };

    let load_entry = |entry: GalleryEntry| {
        let replace = replace.clone();
        let status = status.setter();
        let panel = panel.setter();
        Callback::from(move |_: MouseEvent| {
            let replace = replace.clone();
            let status = status.clone();
            let panel = panel.clone();
            let entry = entry.clone();
            spawn_local(async move {
                let loaded = match (&entry.link, &entry.file) {
                    (Some(link), _) => {
                        crate::scenario::decode_link(link).map_err(|e| e.to_string())
                    }
                    (None, Some(file)) => {
                        let url = format!("static/scenarios/{file}");
                        fetch_text(&url)
                            .await
                            .and_then(|text| export::scenario_from_text(&url, &text))
                    }
                    (None, None) => Err(format!(
                        "the gallery entry \"{}\" names no scenario",
                        entry.title
                    )),
                };
                match loaded {
                    Ok(s) => {
                        panel.set(Panel::None);
                        replace(s);
                    }
                    Err(e) => status.set(Some(e)),
                }
            });
        })
    };

    // Import…: the import module is fetched and opens its own dialog; what comes back is the
    // scenario as JSON text.
    let open_import = Callback::from(|_: MouseEvent| import_module::open_dialog());

    let dismiss_status = {
        let status = status.setter();
        let share_field = share_field.setter();
        Callback::from(move |_: MouseEvent| {
            status.set(None);
            share_field.set(None);
        })
    };

    let copy_snippet = |snippet: String| {
        let status = status.setter();
        Callback::from(move |_: MouseEvent| {
            let promise = gloo_utils::window()
                .navigator()
                .clipboard()
                .write_text(&snippet);
            let status = status.clone();
            spawn_local(async move {
                status.set(Some(match JsFuture::from(promise).await {
                    Ok(_) => "Embed snippet copied".to_string(),
                    Err(_) => "Select the snippet and copy it (the clipboard is not available)"
                        .to_string(),
                }));
            });
        })
    };

    let panel_html = match *panel {
        Panel::None => Html::default(),
        Panel::Embed => {
            // Encoded only while the panel is open: a link costs milliseconds at 100 nodes.
            let fragment = url_state::fragment_for(&props.draft, "");
            let snippet =
                embed_snippet(&url_state::page_url(), &embed, &fragment, &props.draft.name);
            let mut flows = flow_ids(&props.draft);
            if let Some(f) = embed.options.flow.as_ref().filter(|f| !flows.contains(f)) {
                flows.insert(0, f.clone());
            }
            // One option changed: the snippet follows.
            let set = |change: fn(&mut EmbedOptions, String)| {
                let embed = embed.clone();
                Callback::from(move |e: Event| {
                    let value = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                        .map(|s| s.value())
                        .unwrap_or_default();
                    let mut next = (*embed).clone();
                    change(&mut next, value);
                    embed.set(next);
                })
            };
            let on_flow = set(|o, v| o.options.flow = Some(v).filter(|v| !v.is_empty()));
            let on_view = set(|o, v| o.options.view = v.parse().unwrap_or_default());
            let on_theme = set(|o, v| o.options.theme = v.parse().ok());
            let on_controls = {
                let embed = embed.clone();
                Callback::from(move |e: Event| {
                    let input: HtmlInputElement = e.target_unchecked_into();
                    let mut next = (*embed).clone();
                    next.controls = input.checked();
                    embed.set(next);
                })
            };
            let o = &embed.options;
            let flow_choices =
                std::iter::once((String::new(), "none (no traffic drawn)".to_string()))
                    .chain(flows.into_iter().map(|f| (f.clone(), f)))
                    .collect();
            let view_choices = View::ALL
                .iter()
                .map(|v| (v.name().to_string(), v.name().to_string()))
                .collect();
            let theme_choices = [("", "the reader's"), ("light", "light"), ("dark", "dark")]
                .iter()
                .map(|(v, l)| (v.to_string(), l.to_string()))
                .collect();
            html! {
                <div class="share-panel" data-kind="embed-panel" role="dialog" aria-label="Embed this diagram">
                    <div class="share-panel-head">
                        <strong>{ "Embed this diagram" }</strong>
                        <button type="button" class="icon-button" onclick={close_panel.clone()} aria-label="Close">{ "×" }</button>
                    </div>
                    <p>{ "Paste this into a page or a docs site: the diagram only, read-only. It works from any static web server. The options go in the link's query (" }
                        <code>{ "flow" }</code>{ ", " }<code>{ "view" }</code>{ ", " }<code>{ "theme" }</code>{ ", " }<code>{ "controls" }</code>{ ")." }</p>
                    <div class="embed-options" data-kind="embed-options">
                        { choice("Flow", "embed-flow", flow_choices, o.flow.as_deref().unwrap_or_default(), on_flow) }
                        { choice("View", "embed-view", view_choices, o.view.name(), on_view) }
                        { choice("Theme", "embed-theme", theme_choices, o.theme.map_or("", Theme::name), on_theme) }
                        <label class="embed-check">
                            <input type="checkbox" data-kind="embed-controls" checked={embed.controls} onchange={on_controls} />
                            { "Zoom buttons" }
                        </label>
                    </div>
                    <textarea data-kind="embed-snippet" aria-label="Embed snippet" readonly=true rows="5" value={snippet.clone()} onfocus={Callback::from(|e: FocusEvent| {
                        let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
                        area.select();
                    })} />
                    <button type="button" class="share-button" data-kind="copy-snippet" onclick={copy_snippet(snippet)}>{ "Copy snippet" }</button>
                </div>
            }
        }
        Panel::Gallery => html! {
            <div class="share-panel gallery-panel" data-kind="gallery-panel" role="dialog" aria-label="Gallery">
                <div class="share-panel-head">
                    <strong>{ "Gallery" }</strong>
                    <button type="button" class="icon-button" onclick={close_panel.clone()} aria-label="Close">{ "×" }</button>
                </div>
                { match &*gallery {
                    None => html! { <p>{ "Loading…" }</p> },
                    Some(Err(e)) => html! { <p class="share-error">{ e.clone() }</p> },
                    Some(Ok(entries)) => html! {
                        <ul class="gallery-list">
                            { for entries.iter().map(|entry| html! {
                                <li>
                                    <button type="button" class="gallery-entry" data-kind="gallery-entry" data-file={entry.file.clone()} data-link={entry.link.clone()} onclick={load_entry(entry.clone())}>
                                        <span class="gallery-title">{ entry.title.clone() }</span>
                                        <span class="gallery-summary">{ entry.summary.clone() }</span>
                                    </button>
                                </li>
                            }) }
                        </ul>
                    },
                } }
            </div>
        },
    };

    html! {
        <div class="share-tools" data-kind="share-tools">
            <div class="share-buttons" role="toolbar" aria-label="Share and export">
                <button type="button" class="share-button" data-kind="gallery" aria-expanded={(*panel == Panel::Gallery).to_string()} onclick={on_gallery}>{ "Gallery" }</button>
                // A real button (a label around a hidden file input is not reachable by
                // Tab); it opens the input's file picker.
                <span class="open-file" data-kind="import">
                    <button type="button" class="share-button" onclick={pick_file} title="Open a scenario (JSON or YAML, or an .eksplain.svg), or a cluster to import (eksctl, Kubernetes manifests, aws CLI output)">{ "Open…" }</button>
                    <input ref={file_input} type="file" accept=".eksplain.svg,.svg,.json,.yaml,.yml,image/svg+xml,application/json,application/yaml" onchange={on_open} hidden=true tabindex="-1" />
                </span>
                <button type="button" class="share-button" data-kind="import-dialog-open" aria-haspopup="dialog" onclick={open_import} title="Import a cluster from eksctl, Kubernetes manifests or aws CLI output">{ "Import…" }</button>
                <button type="button" class="share-button" data-kind="export-svg" onclick={on_export_svg} title="Download the diagram as SVG (the scenario is inside)">{ "SVG" }</button>
                <button type="button" class="share-button" data-kind="export-png" onclick={on_export_png} title="Download the diagram as PNG">{ "PNG" }</button>
                <button type="button" class="share-button" data-kind="embed" aria-expanded={(*panel == Panel::Embed).to_string()} onclick={on_embed}>{ "Embed" }</button>
                <button type="button" class="share-button primary" data-kind="share" onclick={on_share} title="Copy a link to this scenario">{ "Share" }</button>
            </div>
            { panel_html }
            <div class="share-notices" aria-live="polite">
                // In the one stack of notices, so that no two cover each other.
                if !props.builds {
                    <div class="notice bad stale" data-kind="stale" role="status">
                        <span>{ "Showing the last valid cluster — fix the problems in the side panel to update it." }</span>
                    </div>
                }
                <WorkGuard draft={props.draft.clone()} builds={props.builds} on_edit={props.on_edit.clone()} on_view={props.on_view.clone()} />
                if let Some(notice) = props.view_notice.as_ref().filter(|_| !*view_notice_hidden) {
                    <div class="notice bad" data-kind="view-notice" role="status">
                        <span>{ notice.clone() }</span>
                        <button type="button" class="icon-button" aria-label="Dismiss"
                            onclick={let hidden = view_notice_hidden.setter(); Callback::from(move |_: MouseEvent| hidden.set(true))}>{ "×" }</button>
                    </div>
                }
                if let Some(s) = &*status {
                    <div class="notice" data-kind="share-status" role="status">
                        <span>{ s.clone() }</span>
                        if let Some(url) = &*share_field {
                            <input ref={share_field_ref} class="share-url" data-kind="share-url" readonly=true value={url.clone()} />
                        }
                        <button type="button" class="icon-button" onclick={dismiss_status} aria-label="Dismiss">{ "×" }</button>
                    </div>
                }
            </div>
        </div>
    }
}

/// The scenario's description, shown beside the diagram (gallery scenarios carry one).
#[derive(PartialEq, Properties)]
pub struct DescriptionProps {
    pub draft: Shared<Scenario>,
}

#[function_component(Description)]
pub fn description(props: &DescriptionProps) -> Html {
    let hidden = use_state(|| None::<String>);
    let expanded = use_state(|| false);
    let text = props.draft.description.trim();
    if text.is_empty() || hidden.as_deref() == Some(text) {
        return Html::default();
    }
    let hide = {
        let hidden = hidden.setter();
        let text = text.to_string();
        Callback::from(move |_: MouseEvent| hidden.set(Some(text.clone())))
    };
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| expanded.set(!*expanded))
    };
    html! {
        <section class="scenario-description" data-kind="description" aria-label="About this scenario">
            <div class="share-panel-head">
                <strong>{ props.draft.name.clone() }</strong>
                <button type="button" class="icon-button" onclick={hide} aria-label="Hide the description">{ "×" }</button>
            </div>
            <p class={classes!((!*expanded).then_some("clamped"))}>{ text.to_string() }</p>
            <button type="button" class="link-button" aria-expanded={expanded.to_string()} onclick={toggle}>
                { if *expanded { "Less" } else { "More" } }
            </button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_points_at_embed_html_beside_the_page() {
        let plain = EmbedOptions::default();
        let s = embed_snippet("https://x.org/eksplain/?a=1", &plain, "s=1.abc", "A \"b\"");
        assert!(
            s.contains("src=\"https://x.org/eksplain/embed.html#s=1.abc\""),
            "{s}"
        );
        // Kept in its server's origin: no CORS headers needed.
        assert!(
            s.contains("sandbox=\"allow-scripts allow-same-origin "),
            "{s}"
        );
        assert!(s.contains("title=\"A &quot;b&quot;\""));
        let s = embed_snippet("https://x.org/eksplain/index.html", &plain, "s=1.x", "t");
        assert!(s.contains("https://x.org/eksplain/embed.html#s=1.x"));
        // The flow shown, and the other options, go in the query.
        let mut options = embed_choice(&ViewOptions {
            view: View::Network,
            flow: Some("internet->service/web-local".into()),
            theme: Some(Theme::Dark),
        });
        assert_eq!(
            options.options.theme, None,
            "the reader's theme unless chosen"
        );
        options.controls = false;
        let s = embed_snippet("https://x.org/e/", &options, "s=1.x", "t");
        assert!(
            s.contains("src=\"https://x.org/e/embed.html?flow=internet-%3Eservice/web-local&amp;controls=0#s=1.x\""),
            "{s}"
        );
    }

    #[test]
    fn the_gallery_index_parses() {
        let text = std::fs::read_to_string("static/scenarios/gallery.json").unwrap();
        let entries: Vec<GalleryEntry> = serde_json::from_str(&text).unwrap();
        assert!(entries.len() >= 3);
    }
}
