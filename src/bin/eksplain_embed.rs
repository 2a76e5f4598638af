//! The embed module: embed.html's own wasm, the read-only diagram for iframes
//! (`ui::embed::Embed`, docs/embedding.md). A binary of its own so that a docs page with an
//! eksplain frame loads the viewer only — the scenario link, the model, the layout and the
//! drawing — and none of the editor, the inspector, the export, the gallery or the import
//! (the linker keeps only what `Embed` reaches). Trunk builds it as a worker-type link (no
//! preload, not injected into index.html); `www/post_build.mjs` hashes it and writes
//! embed.html to load it and nothing else.
#[cfg(target_arch = "wasm32")]
fn main() {
    use eksplain::ui::embed::{Embed, EmbedOptions, EmbedProps};
    eksplain::ui::opening::mark("eksplain:start");
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let options = EmbedOptions::parse(&query);
    yew::Renderer::<Embed>::with_props(EmbedProps { options }).render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("eksplain-embed is embed.html's entry point; build it with `cargo xtask dist`.");
    std::process::exit(2);
}
