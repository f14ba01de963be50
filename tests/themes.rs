//! The example themes the demo ships are valid configurations: every key understood, every colour
//! pair within WCAG AA.
#![cfg(not(target_arch = "wasm32"))]

use portier::domain::config::read::read_config;

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
