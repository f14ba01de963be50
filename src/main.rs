//! Entry point: the panic hook first, then the page.

fn main() {
    portier::boot::crash::install();
    // wasm-bindgen's executor, not Leptos': Leptos sets its own up when the app mounts.
    wasm_bindgen_futures::spawn_local(portier::run());
}
