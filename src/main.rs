//! Entry point: read the site configuration, then mount the page over the static skeleton.

fn main() {
    console_error_panic_hook::set_once();
    leptos::task::spawn_local(async {
        let config = portier::config::load().await;
        portier::mount(config);
    });
}
