//! The web entry point trunk builds: mounts the editor (index.html). embed.html has its own,
//! smaller wasm (`eksplain_embed.rs`).
#[cfg(target_arch = "wasm32")]
fn main() {
    eksplain::ui::opening::mark("eksplain:start");
    // The editor in another site's frame: a link to open it in its own tab, nothing else
    // (src/ui/share/framing.rs). Checked before the link or the autosave is read.
    if eksplain::ui::framing::framed_by_another_origin() {
        use eksplain::ui::framing::{FramedNotice, FramedNoticeProps};
        let href = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        yew::Renderer::<FramedNotice>::with_props(FramedNoticeProps { href: href.into() }).render();
        return;
    }
    // A bug keeps the draft and says so, instead of leaving a dead page (ui/crash.rs).
    eksplain::ui::crash::install();
    // Read the link and the autosave, build the cluster, then mount the page: three tasks,
    // with a line of progress painted between them (ui/opening.rs).
    eksplain::ui::opening::open_in_steps(|| {
        yew::Renderer::<eksplain::ui::App>::new().render();
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("eksplain-web is the browser entry point; build it with `cargo xtask serve`.");
    std::process::exit(2);
}
