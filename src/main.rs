//! Entry point: read the site configuration, then mount the page over the static skeleton.

fn main() {
    console_error_panic_hook::set_once();
    // wasm-bindgen's executor, not Leptos': Leptos sets its own up when the app mounts.
    wasm_bindgen_futures::spawn_local(async {
        let config = portier::config::load().await;
        portier::mount(config);
    });
}
