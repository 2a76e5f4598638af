//! [`ShareTools`]: the top bar's Share, Embed, Export, Open, Import and Gallery, its notices (those
//! about links and saved work come from [`WorkGuard`], which keeps the URL and the autosave in
//! step with the draft), and the gallery scenario's description.

use gloo_events::{EventListener, EventListenerOptions};
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::pipeline::ViewOptions;
use crate::scenario::{from_json, Scenario};
use crate::ui::export;
use crate::ui::import_module;
use crate::ui::shared::Shared;
use crate::ui::url_state;
use crate::ui::work_guard::WorkGuard;
use crate::ui::workspace::Edit;

/// Where the gallery's index lives, relative to the page (works under any sub-path).
pub const GALLERY_INDEX: &str = "static/scenarios/gallery.json";

/// One entry of `static/scenarios/gallery.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GalleryEntry {
    /// Relative to `static/scenarios/`.
    pub file: String,
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
    /// What the page shows (view, flow): Export SVG/PNG draws the same.
    pub view: ViewOptions,
}

/// The iframe snippet for the embed page showing `fragment`.
pub fn embed_snippet(page_url: &str, fragment: &str, title: &str) -> String {
    let base = page_url.split(['?', '#']).next().unwrap_or_default();
    let dir = match base.rfind('/') {
        Some(i) => &base[..=i],
        None => base,
    };
    let title = title
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    format!(
        "<iframe src=\"{dir}embed.html#{fragment}\" title=\"{title}\" width=\"960\" height=\"600\" \
         sandbox=\"allow-scripts\" loading=\"lazy\" style=\"border:0\"></iframe>"
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

#[function_component(ShareTools)]
pub fn share_tools(props: &ShareToolsProps) -> Html {
    let status = use_state(|| None::<String>);
    let panel = use_state(|| Panel::None);
    let gallery = use_state(|| None::<Result<Vec<GalleryEntry>, String>>);
    let share_field = use_state(|| None::<String>);
    let replace = {
        let on_edit = props.on_edit.clone();
        move |s: Scenario| {
            url_state::commit();
            on_edit.emit(Edit::Replace(Box::new(s)));
        }
    };

    // A file dropped anywhere on the page opens like Open…: an exported SVG (`.eksplain.svg`) or a
    // JSON scenario.
    // And what the Import… dialog applies replaces the draft.
    {
        let replace = replace.clone();
        let status = status.setter();
        let (imported_replace, imported) = (replace.clone(), status.clone());
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
                    match export::read_file(file).await {
                        Ok(s) => {
                            status.set(Some(format!("Opened “{}”", s.name)));
                            replace(s);
                        }
                        Err(e) => status.set(Some(e)),
                    }
                });
            });
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
            move || drop((on_over, on_drop, on_import))
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
    let on_embed = toggle_panel(Panel::Embed);
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
                match export::read_file(file).await {
                    Ok(s) => {
                        status.set(Some(format!("Opened “{}”", s.name)));
                        replace(s);
                    }
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
            let url = format!("static/scenarios/{}", entry.file);
            spawn_local(async move {
                let loaded = fetch_text(&url)
                    .await
                    .and_then(|text| export::scenario_from_text(&url, &text));
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
            let snippet = embed_snippet(&url_state::page_url(), &fragment, &props.draft.name);
            html! {
                <div class="share-panel" data-kind="embed-panel" role="dialog" aria-label="Embed this diagram">
                    <div class="share-panel-head">
                        <strong>{ "Embed this diagram" }</strong>
                        <button type="button" class="icon-button" onclick={close_panel.clone()} aria-label="Close">{ "×" }</button>
                    </div>
                    <p>{ "Paste this into a page or a docs site. It shows the diagram only, read-only; options go in the query: " }
                        <code>{ "?theme=dark" }</code>{ ", " }<code>{ "controls=0" }</code>{ ", " }<code>{ "view=network" }</code>{ "." }</p>
                    <textarea data-kind="embed-snippet" readonly=true rows="5" value={snippet.clone()} onfocus={Callback::from(|e: FocusEvent| {
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
                                    <button type="button" class="gallery-entry" data-kind="gallery-entry" data-file={entry.file.clone()} onclick={load_entry(entry.clone())}>
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
                    <button type="button" class="share-button" onclick={pick_file} title="Open a scenario: an .eksplain.svg (or any SVG exported by eksplain) or a JSON file">{ "Open…" }</button>
                    <input ref={file_input} type="file" accept=".eksplain.svg,.svg,.json,image/svg+xml,application/json" onchange={on_open} hidden=true tabindex="-1" />
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
                <WorkGuard draft={props.draft.clone()} builds={props.builds} on_edit={props.on_edit.clone()} />
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
        let s = embed_snippet("https://x.org/eksplain/?a=1", "s=1.abc", "A \"b\"");
        assert!(
            s.contains("src=\"https://x.org/eksplain/embed.html#s=1.abc\""),
            "{s}"
        );
        assert!(s.contains("sandbox=\"allow-scripts\""));
        assert!(s.contains("title=\"A &quot;b&quot;\""));
        let s = embed_snippet("https://x.org/eksplain/index.html", "s=1.x", "t");
        assert!(s.contains("https://x.org/eksplain/embed.html#s=1.x"));
    }

    #[test]
    fn the_gallery_index_parses() {
        let text = std::fs::read_to_string("static/scenarios/gallery.json").unwrap();
        let entries: Vec<GalleryEntry> = serde_json::from_str(&text).unwrap();
        assert!(entries.len() >= 3);
    }
}
