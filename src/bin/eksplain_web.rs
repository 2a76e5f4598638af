//! The web entry point trunk builds: mounts the Yew app.
#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<eksplain::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("eksplain-web is the browser entry point; build it with `cargo xtask serve`.");
    std::process::exit(2);
}
