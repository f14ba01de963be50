//! Demo mode: the configuration's problems on screen, and a switcher between example themes.

use leptos::prelude::*;

use crate::domain::config::theme::Theme;
use crate::services::document;

/// The configuration warnings, listed (the console has them too).
#[component]
pub fn ConfigWarnings(
    /// One line per problem.
    warnings: Vec<String>,
) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        view! {
            <aside class="config-warnings" aria-label="Configuration warnings">
                <p>"Configuration warnings (shown in demo mode):"</p>
                <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </aside>
        }
    })
}

/// Buttons that put one of the example themes on the page.
#[component]
pub fn ThemeSwitcher(
    /// The themes by name; the first is the one in use at start.
    themes: Vec<(String, Theme)>,
) -> impl IntoView {
    let current = RwSignal::new(themes.first().map(|(name, _)| name.clone()).unwrap_or_default());
    (!themes.is_empty()).then(|| {
        view! {
            <nav class="demo-themes" aria-label="Demo themes">
                {themes
                    .into_iter()
                    .map(|(name, theme)| {
                        let label = name.clone();
                        let pressed = {
                            let name = name.clone();
                            move || (current.get() == name).to_string()
                        };
                        view! {
                            <button
                                type="button"
                                data-theme-name=name.clone()
                                aria-pressed=pressed
                                on:click=move |_| {
                                    document::apply_theme(&theme);
                                    current.set(name.clone());
                                }
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
        }
    })
}
