//! [`Embed`]: the read-only page `embed.html#s=1.…` shows inside an `<iframe>` — the diagram
//! only, fitted to the frame, no editor, no inspector.
//!
//! Options come in the query: `theme=light|dark` (else the reader's system theme),
//! `controls=0` (no zoom buttons), `view=network|architecture` (the diagram, or the
//! architecture view) and `flow=<id>` (that flow traced over the diagram; an unknown flow draws
//! nothing). It never touches storage. The Embed dialog writes these options
//! ([`EmbedOptions::query`]) into a snippet whose `sandbox` keeps the frame in its server's
//! origin, so that no server needs CORS headers (docs/embedding.md); when the frame cannot load
//! the app anyway, embed.html shows why instead of a blank box (`www/post_build.mjs`).
//!
//! Framed, it posts the diagram's height to its parent (`frame_height.rs`) so that the host can
//! size the frame to it; it listens to no message: only its URL says what it shows.
//!
//! `embed.html` loads a wasm of its own, `src/bin/eksplain_embed.rs`, which mounts this
//! component and nothing else (a trunk post-build hook writes the page, see Trunk.toml).

use gloo_events::EventListener;
use yew::prelude::*;

use crate::layout::Scene;
use crate::pipeline::{Theme, View, ViewOptions};
use crate::scenario::{fragment_params, Scenario};
use crate::ui::architecture_view::ArchitectureView;
use crate::ui::canvas::{summarised, Diagram};
use crate::ui::frame_height::{use_frame_height, Drawing};
use crate::ui::page_stylesheet::{page_stylesheet, root_block};
use crate::ui::shared::Shared;
use crate::ui::traffic_overlay::traffic_overlay;
use crate::ui::url_state;

/// The embed page's options, from its query string: what to draw (the pipeline's
/// [`ViewOptions`], parsed by the same code as `eksplain render`'s flags) and whether to show
/// the zoom buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedOptions {
    pub options: ViewOptions,
    pub controls: bool,
}

impl Default for EmbedOptions {
    fn default() -> EmbedOptions {
        EmbedOptions {
            options: ViewOptions::default(),
            controls: true,
        }
    }
}

impl EmbedOptions {
    /// Reads `?theme=…&controls=…&view=…&flow=…`; an unknown value leaves its default (a
    /// reader cannot be asked to fix the host's link). Pure.
    pub fn parse(query: &str) -> EmbedOptions {
        let mut embed = EmbedOptions::default();
        for (key, value) in fragment_params(query.trim_start_matches('?')) {
            if key == "controls" {
                embed.controls = !matches!(value.as_str(), "0" | "false" | "no");
            } else {
                // Unknown keys and values are ignored: the defaults stand.
                let _ = embed.options.set(&key, &value);
            }
        }
        embed
    }

    /// The query (`?…`, empty when every option is its default) that [`EmbedOptions::parse`]
    /// reads back as `self`: what the Embed dialog's snippet carries.
    pub fn query(&self) -> String {
        let o = &self.options;
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(flow) = &o.flow {
            pairs.push(("flow", flow.as_str()));
        }
        if o.view != View::default() {
            pairs.push(("view", o.view.name()));
        }
        if let Some(theme) = o.theme {
            pairs.push(("theme", theme.name()));
        }
        if !self.controls {
            pairs.push(("controls", "0"));
        }
        if pairs.is_empty() {
            return String::new();
        }
        format!("?{}", crate::scenario::encode_fragment_params(&pairs))
    }
}

/// CSS that pins a theme on `.embed`: the custom properties of the stylesheet's light
/// `:root` block or of its dark one, whatever the system theme.
pub fn theme_css(theme: Theme) -> String {
    let css = page_stylesheet();
    // The light block always: it also holds variables defined from others (`--halo:
    // var(--canvas)`), which must be declared again where the others change.
    let light = root_block(&css, 0).unwrap_or_default();
    let dark = if theme == Theme::Dark {
        css.find("@media (prefers-color-scheme: dark)")
            .and_then(|from| root_block(&css, from))
            .unwrap_or_default()
    } else {
        ""
    };
    format!(".embed[data-theme=\"{theme}\"] {{ {light} {dark} color-scheme: {theme}; }}")
}

/// Adds [`theme_css`] to the first stylesheet the page can read, through the CSSOM: the page's
/// Content-Security-Policy (`style-src 'self'`) refuses a `<style>` element, not CSSOM rules.
fn pin_theme(theme: Theme) {
    let css = theme_css(theme);
    #[cfg(target_arch = "wasm32")]
    for sheet in crate::ui::page_stylesheet::css_sheets() {
        if sheet.insert_rule(&css).is_ok() {
            return;
        }
    }
    // Natively (server-side rendering) effects never run and there is no stylesheet.
    #[cfg(not(target_arch = "wasm32"))]
    drop(css);
}

#[derive(PartialEq, Properties)]
pub struct EmbedProps {
    pub options: EmbedOptions,
}

/// embed.html's message for a frame that cannot load the app (`www/post_build.mjs`).
pub const FALLBACK: &str = "[data-kind=\"embed-fallback\"]";

/// The page's fragment and what it shows: the link's scenario, or the default and why.
#[derive(Debug, PartialEq)]
struct Opened {
    fragment: String,
    scenario: Scenario,
    link_error: Option<String>,
}

/// What the editor's startup (`url_state::decide`) shows for `fragment` with nothing saved:
/// the link's scenario, else the default (and why, for a link that does not open). Only the
/// scenario: the view comes from the query. Pure.
fn opened(fragment: &str) -> Opened {
    let mut opened = Opened {
        fragment: fragment.trim_start_matches('#').to_string(),
        scenario: crate::scenario::default_scenario(),
        link_error: None,
    };
    if url_state::has_scenario(&opened.fragment) {
        match crate::scenario::decode_link(&opened.fragment) {
            Ok(scenario) => opened.scenario = scenario,
            Err(e) => opened.link_error = Some(url_state::link_error(&e, "the default scenario")),
        }
    }
    opened
}

fn decide_embed() -> Opened {
    opened(&url_state::current_fragment())
}

/// "Open in eksplain": the embed's own link — its scenario as it came, not encoded again (the
/// embed module carries no link encoder) — with the view and flow it shows. A link that did
/// not open says so in the editor too; no scenario opens the editor's own.
pub fn open_href(fragment: &str, options: &ViewOptions) -> String {
    let state = crate::ui::view_link::ViewState {
        view: options.view,
        flow: options.flow.clone(),
        ..Default::default()
    };
    format!("./#{}", crate::ui::view_link::with_state(fragment, &state))
}

#[function_component(Embed)]
pub fn embed(props: &EmbedProps) -> Html {
    let opened = use_state(decide_embed);
    let state = &*opened;
    // A host page may change the fragment to show another scenario.
    {
        let state = opened.setter();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo_utils::window(), "hashchange", move |_| {
                state.set(decide_embed())
            });
            move || drop(listener)
        });
    }
    let built = use_memo(state.scenario.clone(), |s: &Scenario| {
        crate::ui::opening::mark("eksplain:read");
        let built = crate::pipeline::build(s)
            .map(|cluster| {
                let scene = crate::pipeline::network_scene(&cluster);
                (
                    Shared::from(std::rc::Rc::new(cluster)),
                    Shared::<Scene>::from(std::rc::Rc::new(scene)),
                )
            })
            // At most a hundred listed and the rest counted, as the CLI and the editor do.
            .map_err(|problems| crate::scenario::summarize(&problems).lines().join("; "));
        crate::ui::opening::mark("eksplain:built");
        built
    });
    use_effect_with(props.options.options.theme, |theme| {
        if let Some(theme) = theme {
            pin_theme(*theme);
        }
    });
    let controls = props.options.controls;
    let options = &props.options.options;
    // What the host may size the frame to: the network diagram drawn whole (the scene with the
    // fit's margin, whatever the zoom) or the architecture drawing (its fixed viewBox).
    let drawing = match &*built {
        Ok(_) if options.view == View::Architecture => Some(Drawing {
            selector: "[data-kind=\"architecture\"]",
            aspect: None,
            beside: Some("[data-kind=\"walkthrough\"]"),
        }),
        Ok((_, scene)) => {
            let whole = crate::ui::viewport::ViewBox::whole(scene.size).0;
            Some(Drawing {
                selector: "[data-kind=\"diagram\"] svg.diagram-svg",
                aspect: Some(whole.h / whole.w),
                beside: None,
            })
        }
        Err(_) => None,
    };
    use_frame_height(drawing);
    // The app runs: embed.html's message for a frame that cannot load it goes
    // (www/post_build.mjs writes it).
    use_effect_with((), |_| {
        crate::ui::opening::mark("eksplain:rendered");
        if let Ok(Some(message)) = gloo_utils::document().query_selector(FALLBACK) {
            message.remove();
        }
    });
    // "Open in eksplain" opens the same scenario, view and flow.
    let open_href = open_href(&opened.fragment, options);
    html! {
        <div
            class={classes!("embed", (!controls).then_some("no-controls"))}
            data-kind="embed-view"
            data-theme={options.theme.map(Theme::name)}
            data-view={options.view.name()}
        >
            if let Some(e) = &state.link_error {
                <div class="notice bad embed-notice" data-kind="link-error" role="alert">
                    { e.clone() }
                </div>
            }
            <main class="stage embed-stage" aria-label={format!("Diagram: {}", state.scenario.name)}>
                { match &*built {
                    Ok((cluster, _)) if options.view == View::Architecture => html! {
                        <ArchitectureView cluster={cluster.clone()} />
                    },
                    Ok((cluster, scene)) => {
                        // Only the flow asked for: an embed shows no traffic by default.
                        let shown = options
                            .flow
                            .as_deref()
                            .map(|flow| crate::pipeline::trace(cluster, &state.scenario, flow));
                        let path = crate::pipeline::path(scene, View::Network, shown.as_ref());
                        let overlay = traffic_overlay(path.as_ref());
                        html! {
                            <Diagram cluster={summarised(scene, &cluster.0)} scene={scene.clone()} selected={None::<crate::model::Id>} on_select={Callback::noop()} {overlay} first_as_text=true />
                        }
                    }
                    Err(problems) => html! {
                        <div class="empty" data-kind="problems">{ format!("This scenario has problems: {problems}") }</div>
                    },
                } }
            </main>
            // In a landmark of its own, so every part of the frame is in one (axe `region`).
            <nav class="embed-nav" aria-label="Open in eksplain">
                <a class="embed-open" href={open_href} target="_blank" rel="noopener">{ "Open in eksplain ↗" }</a>
            </nav>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_with_defaults() {
        let o = EmbedOptions::parse("");
        assert_eq!(o, EmbedOptions::default());
        assert!(o.controls && o.options.theme.is_none() && o.options.view == View::Network);
        let o = EmbedOptions::parse("?theme=dark&controls=0&view=architecture&flow=a%3Eb");
        assert_eq!(o.options.theme, Some(Theme::Dark));
        assert!(!o.controls);
        assert_eq!(o.options.view, View::Architecture);
        assert_eq!(o.options.flow.as_deref(), Some("a>b"));
        let o = EmbedOptions::parse("theme=pink&view=3d");
        assert!(o.options.theme.is_none() && o.options.view == View::Network);
    }

    #[test]
    fn the_query_reads_back_as_the_options() {
        assert_eq!(EmbedOptions::default().query(), "");
        let options = EmbedOptions::parse("?theme=dark&controls=0&view=architecture&flow=a%3Eb");
        let query = options.query();
        assert_eq!(query, "?flow=a%3Eb&view=architecture&theme=dark&controls=0");
        assert_eq!(EmbedOptions::parse(&query), options);
        let flow = EmbedOptions::parse("flow=internet-%3Eservice/web-local");
        assert_eq!(flow.query(), "?flow=internet-%3Eservice/web-local");
    }

    #[test]
    fn the_embed_opens_what_the_editor_would() {
        let link = crate::scenario::encode_link(&crate::scenario::scale_scenario(3));
        for fragment in [
            String::new(),
            link,
            "s=1.%%%".to_string(),
            "zoom=1,2,3,4".into(),
        ] {
            let editor = url_state::decide(&fragment, crate::ui::saved_work::Loaded::default());
            let embed = opened(&fragment);
            assert_eq!(
                (embed.scenario, embed.link_error),
                (editor.scenario, editor.link_error)
            );
        }
    }

    #[test]
    fn open_in_eksplain_keeps_the_link_and_says_the_view() {
        let options = EmbedOptions::parse("?view=architecture&flow=a%3Eb").options;
        assert_eq!(
            open_href("s=1.abc&zoom=1,2,3,4", &options),
            "./#s=1.abc&view=architecture&flow=a%3Eb"
        );
        assert_eq!(open_href("", &ViewOptions::default()), "./#");
    }

    #[test]
    fn theme_css_pins_the_variables() {
        let dark = theme_css(Theme::Dark);
        assert!(dark.contains("--bg: #0f141a"), "{dark}");
        let light = theme_css(Theme::Light);
        assert!(light.contains("--bg: #f4f6f8"), "{light}");
    }
}
