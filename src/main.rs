//! Entry point: read the site configuration and the visitor's language, then mount the page over the static skeleton.

fn main() {
    portier::crash::install();
    // wasm-bindgen's executor, not Leptos': Leptos sets its own up when the app mounts.
    wasm_bindgen_futures::spawn_local(portier::start());
}
