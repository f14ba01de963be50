//! The operator's look: colours for light and dark, font, corner radius, light/dark mode, and an
//! optional stylesheet. Like thaw's themes, it is data that becomes CSS custom properties on the
//! document; the rules that use them live in `style/portier.css`, which also holds the built-in
//! colours as each property's fallback (a test holds the two to agree).

use crate::config::colour::Colour;

/// A colour scheme: the page has a light one and a dark one (`prefers-color-scheme`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// For a device set to light.
    Light,
    /// For a device set to dark.
    Dark,
}

impl Scheme {
    /// Both, light first: the order of the page's palettes, properties and `theme-color`s.
    pub const BOTH: [Scheme; 2] = [Scheme::Light, Scheme::Dark];

    /// Its name, in `config.json` (`theme.light`), CSS (`prefers-color-scheme: dark`) and the
    /// custom properties.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// A colour role of a theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Door buttons.
    Accent,
    /// Text on door buttons.
    AccentText,
    /// The page.
    Background,
    /// Cards, and a door that failed or cannot open.
    Surface,
    /// Text on the page and on surfaces.
    Text,
    /// A failure's words and border.
    Danger,
    /// An unlocked door.
    Success,
    /// Text on an unlocked door.
    SuccessText,
}

impl Role {
    /// Every role, in the order palettes store them.
    pub const ALL: [Role; 8] = [
        Role::Accent,
        Role::AccentText,
        Role::Background,
        Role::Surface,
        Role::Text,
        Role::Danger,
        Role::Success,
        Role::SuccessText,
    ];

    /// The role's key in `config.json` (`accent_text`).
    pub fn key(self) -> &'static str {
        match self {
            Role::Accent => "accent",
            Role::AccentText => "accent_text",
            Role::Background => "background",
            Role::Surface => "surface",
            Role::Text => "text",
            Role::Danger => "danger",
            Role::Success => "success",
            Role::SuccessText => "success_text",
        }
    }

    /// The role of a `config.json` key.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    /// The custom property that carries the role's colour for `scheme`:
    /// `--portier-light-accent-text`.
    pub fn property(self, scheme: Scheme) -> String {
        format!("--portier-{}-{}", scheme.name(), self.key().replace('_', "-"))
    }
}

/// One colour scheme. Unset roles keep the built-in default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Palette {
    /// Colours by role (in [`Role::ALL`]'s order).
    pub colours: [Option<Colour>; 8],
}

/// The built-in palettes, which pass WCAG AA (in [`Role::ALL`]'s order).
pub fn default_palette(scheme: Scheme) -> [Colour; 8] {
    let hex = |s| Colour::parse(s).expect("built-in colours parse");
    match scheme {
        Scheme::Dark => {
            ["#8ab4f8", "#0b1220", "#0f1115", "#1b1f27", "#f3f4f6", "#ffb4ab", "#6fdc9c", "#04210f"].map(hex)
        }
        Scheme::Light => {
            ["#0b57d0", "#ffffff", "#f3f4f6", "#ffffff", "#111827", "#b42318", "#067647", "#ffffff"].map(hex)
        }
    }
}

/// How much of the text colour the muted colour (headings of places, notes, a door that cannot
/// open) mixes into the background, in percent: `style/portier.css`'s
/// `color-mix(in srgb, var(--portier-text) 72%, var(--portier-background))`.
pub const MUTED_TEXT_PERCENT: u16 = 72;

/// What a colour must be readable on, and how readable (WCAG AA: 4.5:1 for text, 3:1 for the
/// accent against the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Role(Role),
    /// The mix of text and background the page uses for secondary text.
    Muted,
}

impl Palette {
    /// The colour of `role`, the operator's or the default.
    pub fn get(&self, role: Role, scheme: Scheme) -> Colour {
        self.colours[role as usize].unwrap_or(default_palette(scheme)[role as usize])
    }

    /// Sets `role`'s colour.
    pub fn set(&mut self, role: Role, colour: Colour) {
        self.colours[role as usize] = Some(colour);
    }

    fn tone(&self, tone: Tone, scheme: Scheme) -> Colour {
        match tone {
            Tone::Role(role) => self.get(role, scheme),
            Tone::Muted => self.get(Role::Text, scheme).mix(self.get(Role::Background, scheme), MUTED_TEXT_PERCENT),
        }
    }

    /// Pairs that fail WCAG AA (4.5:1 for text, 3:1 for the accent against the page), in words.
    ///
    /// ```
    /// use domain::config::colour::Colour;
    /// use domain::config::theme::{Palette, Role, Scheme};
    /// let mut grey = Palette::default();
    /// grey.set(Role::AccentText, Colour::parse("#8ab4f8").unwrap()); // on the default blue accent
    /// assert_eq!(grey.contrast_problems(Scheme::Light).len(), 1);
    /// assert!(Palette::default().contrast_problems(Scheme::Dark).is_empty());
    /// ```
    pub fn contrast_problems(&self, scheme: Scheme) -> Vec<String> {
        use Role::*;
        // (foreground, background, required ratio in hundredths)
        let pairs: [(Tone, Tone, u32); 8] = [
            (Tone::Role(Text), Tone::Role(Background), 450),
            (Tone::Role(Text), Tone::Role(Surface), 450),
            (Tone::Role(AccentText), Tone::Role(Accent), 450),
            (Tone::Role(SuccessText), Tone::Role(Success), 450),
            (Tone::Role(Danger), Tone::Role(Surface), 450),
            (Tone::Muted, Tone::Role(Background), 450),
            (Tone::Muted, Tone::Role(Surface), 450),
            (Tone::Role(Accent), Tone::Role(Background), 300),
        ];
        let name = |tone: Tone| match tone {
            Tone::Role(role) => role.key(),
            Tone::Muted => "muted text (text mixed into background)",
        };
        // Hundredths by hand: formatting floats would ship a float formatter to the browser.
        let shown = |hundredths: u32| format!("{}.{:02}", hundredths / 100, hundredths % 100);
        pairs
            .iter()
            .filter_map(|&(fore, back, needed)| {
                let ratio = (self.tone(fore, scheme).contrast(self.tone(back, scheme)) * 100.0).floor() as u32;
                (ratio < needed).then(|| {
                    format!(
                        "{} on {} has a contrast of {}:1, below WCAG AA's {}:1",
                        name(fore),
                        name(back),
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

/// Every custom property a theme may set (so switching themes can clear what the last one set).
pub fn all_properties() -> Vec<String> {
    Scheme::BOTH
        .iter()
        .flat_map(|&scheme| Role::ALL.iter().map(move |role| role.property(scheme)))
        .chain(["--portier-font".to_owned(), "--portier-radius".to_owned()])
        .collect()
}

impl Theme {
    /// The browser's own colour for its bars (`<meta name="theme-color">`): the page's background,
    /// so the bars and the page are one surface — for a light and a dark device, as the mode says.
    ///
    /// ```
    /// use domain::config::colour::Colour;
    /// use domain::config::theme::{Role, Theme, ThemeMode};
    /// let mut theme = Theme { mode: ThemeMode::Light, ..Theme::default() };
    /// theme.light.set(Role::Background, Colour::parse("#102030").unwrap());
    /// assert_eq!(theme.browser_colours().map(|c| c.to_string()), ["#102030", "#102030"]);
    /// ```
    pub fn browser_colours(&self) -> [Colour; 2] {
        let colour = |scheme| self.palette(scheme).get(Role::Background, scheme);
        match self.mode {
            ThemeMode::System => Scheme::BOTH.map(colour),
            ThemeMode::Light => [colour(Scheme::Light); 2],
            ThemeMode::Dark => [colour(Scheme::Dark); 2],
        }
    }

    /// The operator's colours for `scheme`.
    pub fn palette(&self, scheme: Scheme) -> &Palette {
        match scheme {
            Scheme::Light => &self.light,
            Scheme::Dark => &self.dark,
        }
    }

    /// The custom properties this theme sets, as (property, value).
    ///
    /// ```
    /// use domain::config::colour::Colour;
    /// use domain::config::theme::{Role, Theme};
    /// let mut theme = Theme { font: Some("Inter, sans-serif".into()), ..Theme::default() };
    /// theme.dark.set(Role::Accent, Colour::parse("#abcdef").unwrap());
    /// assert_eq!(theme.properties(), vec![
    ///     ("--portier-dark-accent".to_owned(), "#abcdef".to_owned()),
    ///     ("--portier-font".to_owned(), "Inter, sans-serif".to_owned()),
    /// ]);
    /// ```
    pub fn properties(&self) -> Vec<(String, String)> {
        let mut properties = Vec::new();
        for scheme in Scheme::BOTH {
            for (role, colour) in Role::ALL.iter().zip(self.palette(scheme).colours) {
                if let Some(colour) = colour {
                    properties.push((role.property(scheme), colour.to_string()));
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_palettes_pass_wcag_aa_muted_text_included() {
        assert_eq!(Palette::default().contrast_problems(Scheme::Light), Vec::<String>::new());
        assert_eq!(Palette::default().contrast_problems(Scheme::Dark), Vec::<String>::new());
    }

    #[test]
    fn muted_text_is_checked_too() {
        let mut pale = Palette::default();
        // Grey text: fine on white at full strength, too faint once mixed into the background.
        pale.set(Role::Text, Colour::parse("#6b6b6b").unwrap());
        pale.set(Role::Background, Colour::parse("#ffffff").unwrap());
        let problems = pale.contrast_problems(Scheme::Light);
        assert!(problems.iter().all(|p| p.starts_with("muted text")), "{problems:?}");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
