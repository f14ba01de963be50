//! The site configuration: `config.json` next to `index.html`, edited by the operator after the
//! build, so the same build serves any deployment. This module is the model; [`read`] reads the
//! file into it (every key on its own, with a warning per unusable one), [`urls`] checks what an
//! operator may write, [`theme`] and [`colour`] are the look, [`doors`] what it says of single doors.

pub mod colour;
pub mod doors;
pub mod read;
pub mod theme;
pub mod urls;

use std::collections::BTreeMap;
use std::time::Duration;

use doors::DoorOverrides;
use theme::Theme;
use urls::{DEFAULT_API_BASE, origin_of};

/// Where the configuration lives, relative to the page.
pub const CONFIG_PATH: &str = "config.json";

/// How long one request to Kisi may take by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// The shortest and longest request time limits an operator may set, in milliseconds.
pub const REQUEST_TIMEOUT_RANGE_MS: (u64, u64) = (1_000, 120_000);
/// How long a door shows "Unlocked" by default. Kisi does not say how long the lock hardware
/// stays open, so this is a typical relock time.
pub const DEFAULT_UNLOCKED_FOR: Duration = Duration::from_secs(5);

/// The operator's name and logo, shown at the top of every screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Brand {
    /// The brand name; without one (and without a logo), the page asks Kisi for the organization's.
    pub name: Option<String>,
    /// An `https://` (or same-site) logo URL.
    pub logo: Option<String>,
}

impl Brand {
    /// Whether the operator set neither name nor logo (the page then shows the organization's).
    pub fn is_unset(&self) -> bool {
        self.name.is_none() && self.logo.is_none()
    }
}

/// Texts the operator may put in place of the built-in ones, for one language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    /// The page title and the door list's heading.
    pub title: Option<String>,
    /// A line under the heading ("Welcome to Acme. Tap your door.").
    pub intro: Option<String>,
    /// The help screen's text, for visitors without a link.
    pub help: Option<String>,
    /// A line at the bottom of every screen.
    pub footer: Option<String>,
}

/// Who to call when something goes wrong; shown with every error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// "Trouble? Call reception"
    pub label: String,
    /// A `tel:` or `mailto:` link.
    pub href: String,
}

/// How a door is opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Gesture {
    /// One tap.
    #[default]
    Tap,
    /// Press and hold, so a pocket or a stray touch cannot open a door (see
    /// [`crate::gesture`]).
    Hold,
}

/// In which order doors are listed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DoorOrder {
    /// As Kisi lists them.
    #[default]
    Api,
    /// By name, as the visitor's language sorts.
    Name,
}

/// What the operator configured, with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteConfig {
    /// The origin (and optional path prefix) of the Kisi API, without a trailing slash.
    pub api_base: String,
    /// How long one request may take before the page gives up on it and says so.
    pub request_timeout: Duration,
    /// Name and logo.
    pub brand: Brand,
    /// Colours, font, radius, mode, stylesheet.
    pub theme: Theme,
    /// Text overrides by language (`en`, `de`, …).
    pub texts: BTreeMap<String, Texts>,
    /// Shown with every error.
    pub contact: Option<Contact>,
    /// Tap or hold.
    pub gesture: Gesture,
    /// API order or by name.
    pub door_order: DoorOrder,
    /// Headings per place (when there is more than one).
    pub group_by_place: bool,
    /// Names, notes and hidden doors, by door.
    pub doors: DoorOverrides,
    /// How long "Unlocked" shows.
    pub unlocked_for: Duration,
    /// The language for every visitor (`de`, …) unless the link names one; `None` follows the
    /// visitor's device.
    pub language: Option<String>,
    /// Offline start and installing: the page keeps its own files on the device (a service worker)
    /// and can be added to a home screen. `false` retires a worker installed earlier (the kill
    /// switch, see `OPERATOR-GUIDE.md`).
    pub offline: bool,
    /// Demo mode: configuration warnings on screen, and a theme switcher.
    pub demo: bool,
    /// The demo's themes, by name.
    pub demo_themes: Vec<(String, Theme)>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            api_base: DEFAULT_API_BASE.to_owned(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            brand: Brand::default(),
            theme: Theme::default(),
            texts: BTreeMap::new(),
            contact: None,
            gesture: Gesture::Tap,
            door_order: DoorOrder::Api,
            group_by_place: true,
            doors: DoorOverrides::default(),
            unlocked_for: DEFAULT_UNLOCKED_FOR,
            language: None,
            offline: true,
            demo: false,
            demo_themes: Vec::new(),
        }
    }
}

impl SiteConfig {
    /// The API's origin (`scheme://host[:port]`, or `'self'` for a path on this site), which is all
    /// the page may connect to.
    ///
    /// ```
    /// use domain::config::SiteConfig;
    /// let config = SiteConfig { api_base: "https://kisi.example.com/proxy".into(), ..SiteConfig::default() };
    /// assert_eq!(config.api_origin(), "https://kisi.example.com");
    /// let proxied = SiteConfig { api_base: "/kisi".into(), ..SiteConfig::default() };
    /// assert_eq!(proxied.api_origin(), "'self'");
    /// ```
    pub fn api_origin(&self) -> &str {
        origin_of(&self.api_base)
    }

    /// The operator's texts for `language` (`de-CH` falls back to `de`, then to `en`).
    pub fn texts_for(&self, language: &str) -> Texts {
        let primary = language.split('-').next().unwrap_or_default().to_ascii_lowercase();
        self.texts.get(&primary).or_else(|| self.texts.get("en")).cloned().unwrap_or_default()
    }
}
