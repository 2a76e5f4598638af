//! The web entry point trunk builds: mounts the Yew app.
#[cfg(target_arch = "wasm32")]
fn main() {
    use eksplain::ui::embed::{is_embed_page, Embed, EmbedOptions, EmbedProps};
    // embed.html (`<body data-mode="embed">`): the diagram only, read-only.
    if is_embed_page() {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let options = EmbedOptions::parse(&query);
        yew::Renderer::<Embed>::with_props(EmbedProps { options }).render();
        return;
    }
    // A bug keeps the draft and says so, instead of leaving a dead page (ui/crash.rs).
    eksplain::ui::crash::install();
    // Read the link and the autosave once, before the first render.
    let _ = eksplain::ui::url_state::startup();
    yew::Renderer::<eksplain::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("eksplain-web is the browser entry point; build it with `cargo xtask serve`.");
    std::process::exit(2);
}
