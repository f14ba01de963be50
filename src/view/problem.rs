//! A failure that stops the whole page (the link is expired, Kisi cannot be reached, …).

use leptos::prelude::*;

use crate::api::error::ApiError;
use crate::i18n::{t, t_with};
use crate::view::ContactLine;

/// Explains a link-level or loading failure and offers the way forward.
#[component]
pub fn ProblemPanel(
    /// What went wrong.
    error: ApiError,
    /// Called when the visitor asks to try again.
    on_retry: Callback<()>,
    /// True while the retry is under way, so the button can say so. A plain `ReadSignal` owned by
    /// the caller: during a transition this panel outlives its own reactive owner, so it must not
    /// hold anything allocated there.
    retrying: ReadSignal<bool>,
) -> impl IntoView {
    let problem = error.problem;
    // An expired or unknown link will not heal by retrying; everything else might.
    let can_retry = !problem.is_link_level() || problem == crate::api::error::Problem::LinkNotYetValid;
    view! {
        <section class="screen problem" role="alert" data-screen="problem" data-problem=format!("{problem:?}")>
            <h1>{problem.title()}</h1>
            <p>{problem.advice()}</p>
            {can_retry
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="retry"
                            aria-busy=move || retrying.get().then_some("true")
                            on:click=move |_| {
                                if !retrying.get_untracked() {
                                    on_retry.run(())
                                }
                            }
                        >
                            {move || if retrying.get() { t("problem.retrying") } else { t("problem.retry") }}
                        </button>
                    }
                })}
            <ContactLine />
            {error.code.map(|code| view! { <p class="support-code">{t_with("problem.code", &[("code", &code)])}</p> })}
        </section>
    }
}
