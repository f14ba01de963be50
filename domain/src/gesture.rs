//! The `hold` unlock gesture: press and hold a door for [`HOLD_FOR`] (a bar fills; letting go early
//! cancels), so a pocket or a stray touch cannot open a door. Keyboard and screen-reader users,
//! who cannot hold, get an equally deliberate alternative: the first activation asks to confirm,
//! a second within [`CONFIRM_WITHIN`] unlocks.
//!
//! A plain state machine: the view feeds it events and runs the timers it asks for; each timer
//! carries a token, so a timer of an earlier hold or confirmation can never end a later one.

use std::time::Duration;

/// How long a door must be held.
pub const HOLD_FOR: Duration = Duration::from_millis(800);
/// How long a first activation waits for the confirming second.
pub const CONFIRM_WITHIN: Duration = Duration::from_secs(4);

/// A timer the gesture asked for; hand it back to [`HoldGesture::timer_fired`] when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timer(u32);

/// What the view should do after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing (yet).
    Wait,
    /// Unlock the door now.
    Unlock,
    /// Start `timer`, to fire after [`HOLD_FOR`].
    StartHold(Timer),
    /// Start `timer`, to fire after [`CONFIRM_WITHIN`].
    StartConfirmWindow(Timer),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Phase {
    #[default]
    Idle,
    /// A pointer is pressed; the hold ends with this timer.
    Holding(Timer),
    /// A keyboard or screen reader activated once; a second activation confirms until this timer.
    Armed(Timer),
}

/// One door's gesture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HoldGesture {
    phase: Phase,
    timers: u32,
    /// A pointer pressed this door: its own `click`, which follows the release, is not a
    /// keyboard activation.
    pointer_click_due: bool,
}

impl HoldGesture {
    fn timer(&mut self) -> Timer {
        self.timers = self.timers.wrapping_add(1);
        Timer(self.timers)
    }

    /// A finger or mouse button went down on the door. `can_start`: the door may be unlocked now
    /// (not blocked, not already unlocking).
    ///
    /// ```
    /// use domain::gesture::{HoldGesture, Step};
    /// let mut door = HoldGesture::default();
    /// let Step::StartHold(timer) = door.pointer_down(true) else { panic!() };
    /// assert_eq!(door.timer_fired(timer), Step::Unlock);
    /// assert_eq!(door.click(true), Step::Wait, "the pointer's own click after the hold");
    /// ```
    pub fn pointer_down(&mut self, can_start: bool) -> Step {
        if !can_start {
            return Step::Wait;
        }
        self.pointer_click_due = true;
        let timer = self.timer();
        self.phase = Phase::Holding(timer);
        Step::StartHold(timer)
    }

    /// The pointer came up, left the door, or the browser took it over (scrolling): a hold that
    /// has not completed is cancelled.
    pub fn pointer_gone(&mut self) {
        if let Phase::Holding(_) = self.phase {
            self.phase = Phase::Idle;
        }
    }

    /// A click: the pointer's own after a press (ignored), or a keyboard or screen-reader
    /// activation, which arms the door or, when armed, confirms.
    pub fn click(&mut self, can_start: bool) -> Step {
        if std::mem::take(&mut self.pointer_click_due) {
            return Step::Wait;
        }
        match self.phase {
            Phase::Armed(_) => {
                self.phase = Phase::Idle;
                Step::Unlock
            }
            _ if can_start => {
                let timer = self.timer();
                self.phase = Phase::Armed(timer);
                Step::StartConfirmWindow(timer)
            }
            _ => Step::Wait,
        }
    }

    /// `timer` fired: a hold it belongs to completes (unlock), a confirmation window it belongs to
    /// closes. Timers of anything earlier change nothing.
    pub fn timer_fired(&mut self, timer: Timer) -> Step {
        match self.phase {
            Phase::Holding(current) if current == timer => {
                self.phase = Phase::Idle;
                Step::Unlock
            }
            Phase::Armed(current) if current == timer => {
                self.phase = Phase::Idle;
                Step::Wait
            }
            _ => Step::Wait,
        }
    }

    /// Whether a hold is under way (the bar fills).
    pub fn is_holding(&self) -> bool {
        matches!(self.phase, Phase::Holding(_))
    }

    /// Whether the door waits for a confirming second activation.
    pub fn is_armed(&self) -> bool {
        matches!(self.phase, Phase::Armed(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hold_timer(step: Step) -> Timer {
        match step {
            Step::StartHold(timer) => timer,
            other => panic!("expected a hold timer, got {other:?}"),
        }
    }

    fn confirm_timer(step: Step) -> Timer {
        match step {
            Step::StartConfirmWindow(timer) => timer,
            other => panic!("expected a confirmation window, got {other:?}"),
        }
    }

    #[test]
    fn a_full_hold_unlocks_and_its_click_does_not_arm() {
        let mut door = HoldGesture::default();
        let timer = hold_timer(door.pointer_down(true));
        assert!(door.is_holding());
        assert_eq!(door.timer_fired(timer), Step::Unlock);
        assert!(!door.is_holding());
        assert_eq!(door.click(true), Step::Wait);
        assert!(!door.is_armed());
    }

    #[test]
    fn letting_go_early_cancels_and_the_late_timer_is_ignored() {
        let mut door = HoldGesture::default();
        let timer = hold_timer(door.pointer_down(true));
        door.pointer_gone();
        assert!(!door.is_holding());
        assert_eq!(door.click(true), Step::Wait, "the release's click");
        assert_eq!(door.timer_fired(timer), Step::Wait);
    }

    #[test]
    fn a_stale_hold_timer_does_not_end_a_new_hold() {
        let mut door = HoldGesture::default();
        let first = hold_timer(door.pointer_down(true));
        door.pointer_gone();
        door.click(true);
        let second = hold_timer(door.pointer_down(true));
        assert_eq!(door.timer_fired(first), Step::Wait);
        assert!(door.is_holding(), "the second hold goes on");
        assert_eq!(door.timer_fired(second), Step::Unlock);
    }

    #[test]
    fn keyboard_users_confirm_with_a_second_activation() {
        let mut door = HoldGesture::default();
        confirm_timer(door.click(true));
        assert!(door.is_armed());
        assert_eq!(door.click(true), Step::Unlock);
        assert!(!door.is_armed());
    }

    #[test]
    fn an_older_confirmation_window_cannot_cut_a_newer_one_short() {
        let mut door = HoldGesture::default();
        let first = confirm_timer(door.click(true));
        assert_eq!(door.timer_fired(first), Step::Wait);
        assert!(!door.is_armed(), "the first window closed");
        let second = confirm_timer(door.click(true));
        // A timer of the first window that fires late (or twice) leaves the second armed.
        assert_eq!(door.timer_fired(first), Step::Wait);
        assert!(door.is_armed());
        assert_eq!(door.click(true), Step::Unlock);
        assert_eq!(door.timer_fired(second), Step::Wait);
    }

    #[test]
    fn a_door_that_cannot_start_neither_holds_nor_arms() {
        let mut door = HoldGesture::default();
        assert_eq!(door.pointer_down(false), Step::Wait);
        assert!(!door.is_holding());
        assert_eq!(door.click(false), Step::Wait);
        assert!(!door.is_armed());
    }
}
