//! The example themes the demo ships are valid configurations (every key understood, every colour
//! pair within WCAG AA), and the stylesheet agrees with the built-in palettes.
#![cfg(not(target_arch = "wasm32"))]

use portier::domain::config::colour::Colour;
use portier::domain::config::read::read_config;
use portier::domain::config::theme::{MUTED_TEXT_PERCENT, Role, Scheme, default_palette};

#[test]
fn every_example_theme_reads_without_a_warning() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let (_, warnings) = read_config(&file);
        assert_eq!(warnings, Vec::<String>::new(), "{}", path.display());
        read += 1;
    }
    assert!(read >= 3, "the demo ships at least three themes");
}

/// `style/portier.css` writes each built-in colour as its custom property's fallback:
/// `var(--portier-light-accent, #0b57d0)`. They must be the domain's built-in palettes.
#[test]
fn the_stylesheet_falls_back_to_the_built_in_palettes() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/portier.css")).unwrap();
    for scheme in Scheme::BOTH {
        for (role, colour) in Role::ALL.iter().zip(default_palette(scheme)) {
            let property = role.property(scheme);
            let fallbacks: Vec<&str> = css
                .split(&format!("var({property},"))
                .skip(1)
                .map(|rest| rest.split(')').next().unwrap_or_default().trim())
                .collect();
            assert!(!fallbacks.is_empty(), "style/portier.css never uses {property}");
            for fallback in fallbacks {
                assert_eq!(Colour::parse(fallback), Some(colour), "{property}'s fallback {fallback}");
            }
        }
    }
    assert!(
        css.contains(&format!(
            "color-mix(in srgb, var(--portier-text) {MUTED_TEXT_PERCENT}%, var(--portier-background))"
        )),
        "the muted colour is the mix contrast_problems checks"
    );
}
