//! Keeping under Kisi's rate limit (5 requests per second) and deciding when to try again.

use std::collections::VecDeque;
use std::time::Duration;

use crate::problem::Problem;

/// How long reading the door list may take in all, tries and waits included: a person at a door
/// hears how it went within this, whatever the network does (each request's own limit is cut to
/// what is left).
pub const READ_WITHIN: Duration = Duration::from_secs(30);
/// How long a reading may go unanswered before the page says it is taking longer than usual.
pub const READING_SLOW_AFTER: Duration = Duration::from_secs(7);
/// The most an unlock request may take: a visitor at a door should not wait the configured limit
/// for lists.
pub const UNLOCK_WITHIN: Duration = Duration::from_secs(10);
/// How long an unlock may go unanswered before the door says it is still trying.
pub const UNLOCK_SLOW_AFTER: Duration = Duration::from_secs(4);

/// The most one of the site's own small files (`config.json`, a translation) may take. They are a
/// few KB from the same host as the page; an answer this late is no answer.
pub const SITE_FILE_WITHIN: Duration = Duration::from_secs(10);

/// Kisi allows 5 requests per second; the page never starts more than this many in any window.
pub const MAX_REQUESTS: usize = 5;
/// Kisi's one-second window plus a margin: requests spaced exactly 1 s apart here can arrive less
/// than 1 s apart there, after network jitter.
pub const WINDOW_MS: f64 = 1100.0;

/// The start times of recent requests, to space the next one out.
#[derive(Clone, Debug, Default)]
pub struct RateWindow {
    starts: VecDeque<f64>,
}

impl RateWindow {
    /// How long a request that wants to go at `now` (ms) must wait so that no window of
    /// [`WINDOW_MS`] holds more than [`MAX_REQUESTS`] starts.
    ///
    /// ```
    /// use domain::pace::RateWindow;
    /// let mut window = RateWindow::default();
    /// for _ in 0..5 {
    ///     assert_eq!(window.wait_for(0.0), 0.0);
    ///     window.record(0.0);
    /// }
    /// assert_eq!(window.wait_for(0.0), 1100.0);
    /// ```
    pub fn wait_for(&self, now: f64) -> f64 {
        match self.starts.len().checked_sub(MAX_REQUESTS) {
            Some(oldest_in_window) => (self.starts[oldest_in_window] + WINDOW_MS - now).max(0.0),
            None => 0.0,
        }
    }

    /// Records that a request actually started at `at`. Recording the real start, not the planned
    /// one, matters: a timer that fires late must delay the requests after it, never squeeze them.
    pub fn record(&mut self, at: f64) {
        self.starts.push_back(at);
        while self.starts.len() > MAX_REQUESTS {
            self.starts.pop_front();
        }
    }
}

/// How long to wait before trying a failed request again, or `None` to give up and tell the
/// visitor. `attempt` counts the retries already made (0 before the first).
///
/// Rate limits honour `Retry-After` (up to half a minute) or back off from 1 s; outages and lost
/// connections are retried twice with back-off; anything else is final.
///
/// ```
/// use std::time::Duration;
/// use domain::problem::Problem;
/// use domain::pace::retry_delay;
/// assert_eq!(retry_delay(Problem::RateLimited, 0, None), Some(Duration::from_secs(1)));
/// assert_eq!(retry_delay(Problem::RateLimited, 0, Some(Duration::from_secs(3))), Some(Duration::from_secs(3)));
/// assert_eq!(retry_delay(Problem::LinkExpired, 0, None), None);
/// ```
pub fn retry_delay(problem: Problem, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
    let backoff = Duration::from_secs(1 << attempt.min(3));
    match problem {
        Problem::RateLimited if attempt < 4 => match retry_after {
            Some(wait) if wait <= Duration::from_secs(30) => Some(wait),
            Some(_) => None,
            None => Some(backoff),
        },
        Problem::ServiceUnavailable | Problem::Network | Problem::Unreachable | Problem::Timeout if attempt < 2 => {
            Some(backoff)
        }
        _ => None,
    }
}

/// How long to wait before sending an unlock again, or `None` to tell the visitor: only a rate
/// limit or a brief outage, only once, and never longer than 5 s — the visitor is at the door.
///
/// ```
/// use std::time::Duration;
/// use domain::problem::Problem;
/// use domain::pace::unlock_retry_delay;
/// assert_eq!(unlock_retry_delay(Problem::RateLimited, 0, Some(Duration::from_secs(2))), Some(Duration::from_secs(2)));
/// assert_eq!(unlock_retry_delay(Problem::RateLimited, 1, None), None);
/// assert_eq!(unlock_retry_delay(Problem::DoorOffline, 0, None), None);
/// ```
pub fn unlock_retry_delay(problem: Problem, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
    let passing = matches!(problem, Problem::RateLimited | Problem::ServiceUnavailable);
    (attempt == 0 && passing).then(|| retry_after.unwrap_or(Duration::from_secs(1)).min(Duration::from_secs(5)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_more_than_five_starts_in_a_second() {
        let mut window = RateWindow::default();
        let mut starts = Vec::new();
        let mut now = 0.0;
        for _ in 0..23 {
            let start = now + window.wait_for(now);
            window.record(start);
            starts.push(start);
            now = start + 10.0; // the next request is wanted 10 ms after this one went
        }
        for (i, start) in starts.iter().enumerate() {
            let in_window = starts[i..].iter().filter(|s| **s < start + WINDOW_MS).count();
            assert!(in_window <= MAX_REQUESTS, "{in_window} starts within a second of {start}");
        }
        assert_eq!(starts[5], 1100.0);
    }

    #[test]
    fn a_late_timer_delays_what_follows_instead_of_squeezing_it() {
        let mut window = RateWindow::default();
        for t in [0.0, 10.0, 20.0, 30.0, 40.0] {
            window.record(t);
        }
        assert_eq!(window.wait_for(50.0), 1050.0);
        window.record(1400.0); // the timer fired 300 ms late: this request went at 1400
        let mut starts = vec![0.0, 10.0, 20.0, 30.0, 40.0, 1400.0];
        let mut now = 1400.0;
        for _ in 0..10 {
            let start = now + window.wait_for(now);
            window.record(start);
            starts.push(start);
            now = start;
        }
        for (i, start) in starts.iter().enumerate() {
            let in_window = starts[i..].iter().filter(|s| **s < start + WINDOW_MS).count();
            assert!(in_window <= MAX_REQUESTS, "{in_window} starts within a window from {start}: {starts:?}");
        }
    }

    #[test]
    fn slow_requests_never_wait() {
        let mut window = RateWindow::default();
        for i in 0..20 {
            let now = f64::from(i) * 250.0;
            assert_eq!(window.wait_for(now), 0.0);
            window.record(now);
        }
    }

    #[test]
    fn rate_limits_back_off_then_give_up() {
        let delays: Vec<_> = (0..5).map(|attempt| retry_delay(Problem::RateLimited, attempt, None)).collect();
        let secs = |s| Some(Duration::from_secs(s));
        assert_eq!(delays, vec![secs(1), secs(2), secs(4), secs(8), None]);
        assert_eq!(
            retry_delay(Problem::RateLimited, 0, Some(Duration::from_secs(120))),
            None,
            "too long to wait at a door"
        );
    }

    #[test]
    fn an_unlock_is_retried_at_most_once_and_briefly() {
        assert_eq!(unlock_retry_delay(Problem::ServiceUnavailable, 0, None), Some(Duration::from_secs(1)));
        assert_eq!(
            unlock_retry_delay(Problem::RateLimited, 0, Some(Duration::from_secs(60))),
            Some(Duration::from_secs(5))
        );
        for problem in [Problem::Network, Problem::Timeout, Problem::LockedDown, Problem::Busy] {
            assert_eq!(unlock_retry_delay(problem, 0, None), None, "{problem:?}: the visitor decides");
        }
    }

    #[test]
    fn outages_are_retried_twice() {
        for problem in [Problem::ServiceUnavailable, Problem::Network, Problem::Unreachable, Problem::Timeout] {
            assert!(retry_delay(problem, 1, None).is_some());
            assert!(retry_delay(problem, 2, None).is_none());
        }
        for problem in [
            Problem::LinkExpired,
            Problem::DoorOffline,
            Problem::BadResponse,
            Problem::LockedDown,
            Problem::CaptivePortal,
        ] {
            assert_eq!(retry_delay(problem, 0, None), None, "{problem:?}");
        }
    }
}
