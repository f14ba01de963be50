//! The reactive glue between a tap and Kisi: it moves a door's [`UnlockCycle`] along as the
//! request goes out and the answer comes back. Views call this; it calls [`KisiClient`].

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::KisiClient;
use crate::door::DoorId;
use crate::unlock::UnlockCycle;

/// Handles one tap on `door`: ignored while a request for it is in flight, otherwise sends exactly
/// one unlock request and records the answer in `cycle`; a success shows for `unlocked_for`.
pub fn unlock_door(client: &KisiClient, door: DoorId, cycle: RwSignal<UnlockCycle>, unlocked_for: Duration) {
    // The state moves without telling the view yet: the request's task is queued first, so it
    // leaves before the "Unlocking" state is drawn (both happen before the next frame anyway).
    let Some(attempt) = cycle.try_update_untracked(|c| c.tap()).flatten() else {
        return;
    };
    let client = client.clone();
    spawn_local(async move {
        let result = client.unlock(door).await.map_err(|e| e.problem);
        let succeeded = result.is_ok();
        buzz(succeeded);
        cycle.try_update(|c| c.finish(attempt, result));
        if succeeded {
            // `try_update`: the page may have moved on (new link) and dropped this door meanwhile.
            set_timeout(
                move || {
                    cycle.try_update(|c| c.settle(attempt));
                },
                unlocked_for,
            );
        }
    });
    cycle.notify();
}

/// A short buzz for success, a double one for failure, on devices that can (phones, mostly): the
/// visitor's eyes may already be on the door.
fn buzz(succeeded: bool) {
    let navigator = window().navigator();
    if succeeded {
        navigator.vibrate_with_duration(40);
    } else {
        let pattern = js_sys::Array::of3(&70.into(), &50.into(), &70.into());
        navigator.vibrate_with_pattern(&pattern);
    }
}
