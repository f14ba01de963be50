//! One door's unlock cycle: ready → unlocking → unlocked (for a while) or failed.
//!
//! Kept as a plain state machine so the rules ("a tap while unlocking is ignored", "a late timer
//! must not cut a newer success short") are tested on the host, away from the DOM.

use crate::problem::Problem;

/// What a door button shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnlockState {
    /// Waiting for a tap.
    Ready,
    /// The unlock request is on its way; taps are ignored.
    Unlocking,
    /// Kisi confirmed the unlock; shown for a few seconds.
    Unlocked,
    /// The unlock failed; the reason stays until the next tap.
    Failed(Problem),
}

/// Identifies one unlock attempt, so results and timers of an older attempt are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt(u32);

/// The state of one door plus the bookkeeping that keeps attempts apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnlockCycle {
    state: UnlockState,
    attempt: u32,
}

impl Default for UnlockCycle {
    fn default() -> Self {
        UnlockCycle { state: UnlockState::Ready, attempt: 0 }
    }
}

impl UnlockCycle {
    /// What the button should show now.
    pub fn state(&self) -> UnlockState {
        self.state
    }

    /// A tap. Returns the attempt to send, or `None` when a request is already in flight.
    ///
    /// ```
    /// use domain::unlock::{UnlockCycle, UnlockState};
    /// let mut door = UnlockCycle::default();
    /// let attempt = door.tap().expect("first tap sends");
    /// assert!(door.tap().is_none(), "second tap while unlocking is ignored");
    /// door.finish(attempt, Ok(()));
    /// assert_eq!(door.state(), UnlockState::Unlocked);
    /// ```
    pub fn tap(&mut self) -> Option<Attempt> {
        if self.state == UnlockState::Unlocking {
            return None;
        }
        self.attempt = self.attempt.wrapping_add(1);
        self.state = UnlockState::Unlocking;
        Some(Attempt(self.attempt))
    }

    /// A tap while the device is offline: nothing is sent and nothing is kept to send later (the
    /// visitor may have walked away when the connection is back); the door says why until the
    /// connection is back or the next tap. Ignored while a request is in flight; returns whether
    /// the door now says it needs a connection.
    ///
    /// ```
    /// use domain::problem::Problem;
    /// use domain::unlock::{UnlockCycle, UnlockState};
    /// let mut door = UnlockCycle::default();
    /// assert!(door.tap_offline());
    /// assert_eq!(door.state(), UnlockState::Failed(Problem::NotSentOffline));
    /// assert!(door.reconnected());
    /// assert_eq!(door.state(), UnlockState::Ready);
    /// ```
    pub fn tap_offline(&mut self) -> bool {
        let refused = self.state != UnlockState::Unlocking;
        if refused {
            self.state = UnlockState::Failed(Problem::NotSentOffline);
        }
        refused
    }

    /// The connection is back: a door that only said it needed one is ready again (any other
    /// outcome stays until the next tap). Returns whether the door changed.
    pub fn reconnected(&mut self) -> bool {
        let changed = self.state == UnlockState::Failed(Problem::NotSentOffline);
        if changed {
            self.state = UnlockState::Ready;
        }
        changed
    }

    /// Whether `attempt` is still waiting for its answer.
    pub fn is_unlocking(&self, attempt: Attempt) -> bool {
        attempt.0 == self.attempt && self.state == UnlockState::Unlocking
    }

    /// The answer to `attempt` arrived. Answers to superseded attempts are ignored.
    pub fn finish(&mut self, attempt: Attempt, result: Result<(), Problem>) {
        if attempt.0 == self.attempt && self.state == UnlockState::Unlocking {
            self.state = match result {
                Ok(()) => UnlockState::Unlocked,
                Err(problem) => UnlockState::Failed(problem),
            };
        }
    }

    /// The "Unlocked" display time of `attempt` is over: back to ready, unless a newer attempt
    /// has started since.
    pub fn settle(&mut self, attempt: Attempt) {
        if attempt.0 == self.attempt && self.state == UnlockState::Unlocked {
            self.state = UnlockState::Ready;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_latest_attempt_is_waiting_and_only_until_its_answer() {
        let mut door = UnlockCycle::default();
        let first = door.tap().expect("a ready door sends");
        assert!(door.is_unlocking(first));
        door.finish(first, Err(Problem::Network));
        assert!(!door.is_unlocking(first), "answered");
        let second = door.tap().expect("a failed door sends again");
        assert!(door.is_unlocking(second));
        assert!(!door.is_unlocking(first), "an older attempt is not the one waiting");
        door.finish(second, Ok(()));
        assert!(!door.is_unlocking(second), "unlocked is not waiting");
    }

    #[test]
    fn an_offline_tap_sends_nothing_and_never_overrides_a_request_in_flight() {
        let mut door = UnlockCycle::default();
        let a = door.tap().unwrap();
        door.tap_offline();
        assert_eq!(door.state(), UnlockState::Unlocking, "the request already left; its answer decides");
        door.finish(a, Err(Problem::Timeout));
        door.tap_offline();
        assert_eq!(door.state(), UnlockState::Failed(Problem::NotSentOffline));
        door.finish(a, Ok(()));
        assert_eq!(door.state(), UnlockState::Failed(Problem::NotSentOffline), "an old answer changes nothing");
        door.finish(a, Err(Problem::Busy));
        door.reconnected();
        assert_eq!(door.state(), UnlockState::Ready);
        door.finish(a, Err(Problem::Busy));
        door.reconnected();
        let b = door.tap().unwrap();
        door.finish(b, Err(Problem::Busy));
        door.reconnected();
        assert_eq!(door.state(), UnlockState::Failed(Problem::Busy), "a real answer stays until the next tap");
    }

    #[test]
    fn the_happy_path() {
        let mut door = UnlockCycle::default();
        assert_eq!(door.state(), UnlockState::Ready);
        let a = door.tap().unwrap();
        assert_eq!(door.state(), UnlockState::Unlocking);
        door.finish(a, Ok(()));
        assert_eq!(door.state(), UnlockState::Unlocked);
        door.settle(a);
        assert_eq!(door.state(), UnlockState::Ready);
    }

    #[test]
    fn taps_while_unlocking_are_ignored() {
        let mut door = UnlockCycle::default();
        let a = door.tap().unwrap();
        assert_eq!(door.tap(), None);
        assert_eq!(door.tap(), None);
        door.finish(a, Err(Problem::DoorOffline));
        assert_eq!(door.state(), UnlockState::Failed(Problem::DoorOffline));
    }

    #[test]
    fn a_failure_stays_until_the_next_tap_which_retries() {
        let mut door = UnlockCycle::default();
        let a = door.tap().unwrap();
        door.finish(a, Err(Problem::LockedDown));
        door.settle(a);
        assert_eq!(door.state(), UnlockState::Failed(Problem::LockedDown), "failures are not timed away");
        let b = door.tap().unwrap();
        door.finish(b, Ok(()));
        assert_eq!(door.state(), UnlockState::Unlocked);
    }

    #[test]
    fn an_old_timer_does_not_cut_a_newer_success_short() {
        let mut door = UnlockCycle::default();
        let a = door.tap().unwrap();
        door.finish(a, Ok(()));
        let b = door.tap().expect("tapping again while unlocked sends again");
        door.finish(b, Ok(()));
        door.settle(a);
        assert_eq!(door.state(), UnlockState::Unlocked);
        door.settle(b);
        assert_eq!(door.state(), UnlockState::Ready);
    }

    #[test]
    fn a_stale_answer_is_ignored() {
        let mut door = UnlockCycle::default();
        let a = door.tap().unwrap();
        door.finish(a, Ok(()));
        let b = door.tap().unwrap();
        door.finish(a, Err(Problem::Network));
        assert_eq!(door.state(), UnlockState::Unlocking);
        door.finish(b, Ok(()));
        assert_eq!(door.state(), UnlockState::Unlocked);
    }
}
