//! `cargo xtask demo`: the release site and the Kisi sandbox, served, with the URL to open.

use sandbox::{KisiSandbox, SCENARIOS, SandboxOptions, StaticSite};

use crate::build::{build_release, copy_site};
use crate::error::{Error, Result};
use crate::screenshots::{example_themes, title_case};
use crate::setup::Tools;

/// Builds, serves the site and the sandbox, prints the link, and runs until Ctrl-C.
pub fn demo(tools: &Tools) -> Result<()> {
    build_release(tools)?;
    let site_dir = tools.root.join("target/demo-site");
    copy_site(&tools.root.join("dist"), &site_dir)?;
    let runtime = tokio::runtime::Runtime::new().map_err(Error::run("the async runtime"))?;
    runtime.block_on(async {
        let kisi = match KisiSandbox::start(SandboxOptions { port: 8787, ..SandboxOptions::default() }).await {
            Ok(kisi) => kisi,
            Err(_) => KisiSandbox::start(SandboxOptions::default()).await.map_err(Error::run("the Kisi sandbox"))?,
        };
        // The demo is configured exactly as an operator configures a deployment: config.json. Demo
        // mode lists configuration warnings on screen and offers the example themes.
        let themes = example_themes(&tools.root)?;
        let mut demo_themes = serde_json::Map::new();
        for (name, config) in &themes {
            demo_themes.insert(title_case(name), config.get("theme").cloned().unwrap_or_default());
        }
        let config = serde_json::json!({ "api_base": kisi.url(), "demo": true, "demo_themes": demo_themes });
        let config = serde_json::to_string_pretty(&config).map_err(Error::json("write the demo's config.json"))?;
        let config_file = site_dir.join("config.json");
        std::fs::write(&config_file, config).map_err(Error::write(&config_file))?;
        let site = match StaticSite::start(&site_dir, 8080).await {
            Ok(site) => site,
            Err(_) => StaticSite::start(&site_dir, 0).await.map_err(Error::run("the site server"))?,
        };
        println!("Kisi sandbox:  {}", kisi.url());
        println!("Site:          {}  (serving {})", site.url(), site_dir.display());
        println!("\nOpen  {}#demo  (on a phone-sized window for the real thing)\n", site.url());
        println!("Other scenario secrets (replace `demo` after the #):");
        for (secret, _, what) in SCENARIOS {
            println!("  {secret:<16} {what}");
        }
        println!("\nCtrl-C to stop.");
        tokio::signal::ctrl_c().await.map_err(Error::run("the Ctrl-C handler"))
    })
}
