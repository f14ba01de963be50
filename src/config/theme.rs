//! The operator's look: colours for light and dark, font, corner radius, light/dark mode, and an
//! optional stylesheet. Like thaw's themes, it is data that becomes CSS custom properties on the
//! document; the rules that use them live in `style/portier.css`.

use crate::config::colour::Colour;

/// The colour roles a theme sets, as (config key, CSS custom property suffix).
pub const ROLES: [&str; 8] =
    ["accent", "accent_text", "background", "surface", "text", "danger", "success", "success_text"];

/// One colour scheme. Unset roles keep the built-in default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Palette {
    /// Colours by role (index into [`ROLES`]).
    pub colours: [Option<Colour>; 8],
}

/// The built-in palettes, which pass WCAG AA.
pub fn default_palette(dark: bool) -> [Colour; 8] {
    let hex = |s| Colour::parse(s).expect("built-in colours parse");
    if dark {
        ["#8ab4f8", "#0b1220", "#0f1115", "#1b1f27", "#f3f4f6", "#ffb4ab", "#6fdc9c", "#04210f"].map(hex)
    } else {
        ["#0b57d0", "#ffffff", "#f3f4f6", "#ffffff", "#111827", "#b42318", "#067647", "#ffffff"].map(hex)
    }
}

impl Palette {
    /// The colour of `role`, the operator's or the default.
    pub fn get(&self, role: &str, dark: bool) -> Colour {
        let i = ROLES.iter().position(|r| *r == role).expect("a known role");
        self.colours[i].unwrap_or(default_palette(dark)[i])
    }

    /// Pairs that fail WCAG AA (4.5:1 for text, 3:1 for the accent against the page), in words.
    ///
    /// ```
    /// use portier::config::colour::Colour;
    /// use portier::config::theme::Palette;
    /// let mut grey = Palette::default();
    /// grey.colours[1] = Colour::parse("#8ab4f8"); // accent_text on the default blue accent
    /// assert_eq!(grey.contrast_problems(false).len(), 1);
    /// assert!(Palette::default().contrast_problems(true).is_empty());
    /// ```
    pub fn contrast_problems(&self, dark: bool) -> Vec<String> {
        // (foreground, background, required ratio in hundredths)
        let pairs: [(&str, &str, u32); 6] = [
            ("text", "background", 450),
            ("text", "surface", 450),
            ("accent_text", "accent", 450),
            ("success_text", "success", 450),
            ("danger", "surface", 450),
            ("accent", "background", 300),
        ];
        // Hundredths by hand: formatting floats would ship a float formatter to the browser.
        let shown = |hundredths: u32| format!("{}.{:02}", hundredths / 100, hundredths % 100);
        pairs
            .iter()
            .filter_map(|&(fore, back, needed)| {
                let ratio = (self.get(fore, dark).contrast(self.get(back, dark)) * 100.0).floor() as u32;
                (ratio < needed).then(|| {
                    format!(
                        "{fore} on {back} has a contrast of {}:1, below WCAG AA's {}:1",
                        shown(ratio),
                        shown(needed)
                    )
                })
            })
            .collect()
    }
}

/// Light, dark, or whatever the visitor's device prefers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeMode {
    /// Follow `prefers-color-scheme`.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Everything visual the operator can set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Theme {
    /// Light-mode colours.
    pub light: Palette,
    /// Dark-mode colours.
    pub dark: Palette,
    /// A CSS font stack.
    pub font: Option<String>,
    /// A CSS length for button and card corners.
    pub radius: Option<String>,
    /// Light, dark or system.
    pub mode: ThemeMode,
    /// A same-site stylesheet that overrides the custom properties (or anything else).
    pub stylesheet: Option<String>,
}

impl Theme {
    /// The custom properties this theme sets, as (property, value).
    pub fn properties(&self) -> Vec<(String, String)> {
        let mut properties = Vec::new();
        for (scheme, palette) in [("light", &self.light), ("dark", &self.dark)] {
            for (role, colour) in ROLES.iter().zip(palette.colours) {
                if let Some(colour) = colour {
                    properties.push((format!("--portier-{scheme}-{}", role.replace('_', "-")), colour.to_string()));
                }
            }
        }
        if let Some(font) = &self.font {
            properties.push(("--portier-font".into(), font.clone()));
        }
        if let Some(radius) = &self.radius {
            properties.push(("--portier-radius".into(), radius.clone()));
        }
        properties
    }

    /// Puts the theme on the document: custom properties through the CSSOM (which a strict
    /// Content-Security-Policy allows, unlike a `style` attribute), the mode as `data-theme`, the
    /// stylesheet as a `<link>`. Values that were set by an earlier theme and not by this one are
    /// removed, so themes can be switched.
    pub fn apply(&self) {
        let document = leptos::prelude::document();
        let Some(root) = document.document_element() else { return };
        let Ok(root) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(root) else { return };
        let style = root.style();
        let all: Vec<String> = ["light", "dark"]
            .iter()
            .flat_map(|scheme| ROLES.iter().map(move |role| format!("--portier-{scheme}-{}", role.replace('_', "-"))))
            .chain(["--portier-font".to_owned(), "--portier-radius".to_owned()])
            .collect();
        for property in all {
            let _ = style.remove_property(&property);
        }
        for (property, value) in self.properties() {
            let _ = style.set_property(&property, &value);
        }
        match self.mode {
            ThemeMode::System => {
                let _ = root.remove_attribute("data-theme");
            }
            ThemeMode::Light => {
                let _ = root.set_attribute("data-theme", "light");
            }
            ThemeMode::Dark => {
                let _ = root.set_attribute("data-theme", "dark");
            }
        }
        if let Some(href) = &self.stylesheet
            && let (Some(head), Ok(link)) = (document.head(), document.create_element("link"))
        {
            let _ = link.set_attribute("rel", "stylesheet");
            let _ = link.set_attribute("href", href);
            let _ = head.append_child(&link);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_palettes_pass_wcag_aa() {
        assert_eq!(Palette::default().contrast_problems(false), Vec::<String>::new());
        assert_eq!(Palette::default().contrast_problems(true), Vec::<String>::new());
    }

    #[test]
    fn only_set_values_become_properties() {
        let mut theme = Theme { font: Some("Inter, sans-serif".into()), ..Theme::default() };
        theme.dark.colours[0] = Colour::parse("#abcdef");
        assert_eq!(
            theme.properties(),
            vec![
                ("--portier-dark-accent".into(), "#abcdef".into()),
                ("--portier-font".into(), "Inter, sans-serif".into())
            ]
        );
    }
}
