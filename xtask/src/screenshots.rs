//! `cargo xtask screenshots`: phone-sized screenshots of each example theme into `docs/screenshots/`.

use std::path::Path;
use std::process::Command;

use crate::build::{build_release, copy_site, files_in};
use sandbox::{KisiSandbox, SandboxOptions, StaticSite};

use crate::error::{Error, Result};
use crate::setup::Tools;

/// The example themes in `themes/`, by file stem, default first.
pub fn example_themes(root: &Path) -> Result<Vec<(String, serde_json::Value)>> {
    let mut themes = Vec::new();
    for file in files_in(&root.join("themes"))? {
        let text = std::fs::read_to_string(&file).map_err(Error::read(&file))?;
        let value = serde_json::from_str(&text).map_err(Error::json(format!("read {}", file.display())))?;
        themes.push((file.file_stem().unwrap_or_default().to_string_lossy().into_owned(), value));
    }
    themes.sort_by_key(|(name, _)| name != "default");
    Ok(themes)
}

pub fn title_case(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Phone-sized screenshots of the demo, one per example theme, for the README.
pub fn screenshots(tools: &Tools) -> Result<()> {
    build_release(tools)?;
    let site_dir = tools.root.join("target/screenshot-site");
    copy_site(&tools.root.join("dist"), &site_dir)?;
    let out = tools.root.join("docs/screenshots");
    std::fs::create_dir_all(&out).map_err(Error::create(&out))?;
    let runtime = tokio::runtime::Runtime::new().map_err(Error::run("the async runtime"))?;
    runtime.block_on(async {
        let kisi = KisiSandbox::start(SandboxOptions::default()).await.map_err(Error::run("the Kisi sandbox"))?;
        let site = StaticSite::start(&site_dir, 0).await.map_err(Error::run("the site server"))?;
        let config_file = site_dir.join("config.json");
        // Each example theme, then the default look in German, in Arabic (right to left) and dark.
        let mut shots: Vec<(String, serde_json::Value, &str)> = example_themes(&tools.root)?
            .into_iter()
            .map(|(name, theme)| (format!("theme-{name}"), theme, "demo"))
            .collect();
        shots.push(("language-de".into(), serde_json::json!({}), "demo&lang=de"));
        shots.push(("language-ar".into(), serde_json::json!({}), "demo&lang=ar"));
        shots.push(("dark".into(), serde_json::json!({ "theme": { "mode": "dark" } }), "demo"));
        for (name, theme, fragment) in shots {
            let mut config = theme.clone();
            config["api_base"] = serde_json::json!(kisi.url());
            std::fs::write(&config_file, config.to_string()).map_err(Error::write(&config_file))?;
            let file = out.join(format!("{name}.png"));
            let profile = tools.root.join("target/screenshot-profile");
            let _ = std::fs::remove_dir_all(&profile);
            // Chromium blocks while it renders, so it runs on a blocking thread and the servers keep answering.
            let url = format!("{}#{fragment}", site.url());
            let mut chromium = Command::new(&tools.chromium);
            chromium
                .args(["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                .args(["--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"])
                .args(["--window-size=390,844", "--virtual-time-budget=6000"])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg(format!("--screenshot={}", file.display()))
                .arg(url);
            // A panic on that thread (tokio's JoinError, which converts to io::Error) reads as Chromium not running.
            let output = tokio::task::spawn_blocking(move || chromium.output())
                .await
                .map_err(std::io::Error::from)
                .and_then(|output| output)
                .map_err(Error::run(format!("chromium ({})", tools.chromium.display())))?;
            if !output.status.success() {
                return Err(Error::exit(format!("chromium for {name}"), output.status, &output.stderr));
            }
            println!("wrote {}", file.display());
        }
        Ok(())
    })
}
