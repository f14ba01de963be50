//! A failure that stops the whole page (the link is expired, Kisi cannot be reached, …).

use leptos::prelude::*;

use crate::domain::problem::Problem;
use crate::services::kisi::error::ApiError;
use crate::view::brand::ContactLine;
use crate::view::context::i18n;

/// Explains a link-level or loading failure and offers the way forward.
#[component]
pub fn ProblemPanel(
    /// What went wrong.
    error: ApiError,
    /// Called when the visitor asks to try again.
    on_retry: Callback<()>,
    /// True while the retry is under way, so the button can say so.
    #[prop(into)]
    retrying: Signal<bool>,
    /// The link worked on this device before: a refusal may be the network's doing (a proxy that
    /// strips the `Authorization` header makes Kisi call any link invalid).
    #[prop(optional, into)]
    worked_here: Signal<bool>,
) -> impl IntoView {
    let i18n = i18n();
    let problem = error.problem;
    let interference = move || {
        (problem == Problem::LinkInvalid && worked_here.get())
            .then(|| view! { <p class="interference">{i18n.t("problem.link_invalid.interference")}</p> })
    };
    view! {
        <section class="screen problem" role="alert" data-screen="problem" data-problem=problem.key()>
            <h1>{i18n.problem_title(problem)}</h1>
            <p>{i18n.problem_advice(problem)}</p>
            {interference}
            {problem.offers_retry(worked_here.get_untracked())
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
                            {move || if retrying.get() { i18n.t("problem.retrying") } else { i18n.t("problem.retry") }}
                        </button>
                    }
                })}
            <ContactLine />
            {error.code.map(|code| view! { <p class="support-code">{i18n.t_with("problem.code", &[("code", &code)])}</p> })}
        </section>
    }
}
