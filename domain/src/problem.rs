//! What can go wrong, in the visitor's terms: each problem has its own words (in `i18n/`) and its
//! own way forward. Where a problem comes from (an HTTP status, Kisi's error code, a lost
//! connection) is the Kisi client's business (`services::kisi::error`).

/// What the visitor is told. Each variant has its own words and its own way forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The link is unknown, revoked or mistyped.
    LinkInvalid,
    /// The link's validity window has ended.
    LinkExpired,
    /// The link's validity window has not started.
    LinkNotYetValid,
    /// The place has switched links off, or the access rights exclude them.
    LinksDisabled,
    /// Kisi refused access for this link (or this door).
    AccessDenied,
    /// A time restriction applies right now.
    NotAllowedNow,
    /// The door or the whole place is locked down.
    LockedDown,
    /// The door no longer exists or is no longer part of this link.
    DoorNotFound,
    /// The lock has not been set up.
    DoorNotSetUp,
    /// The door's controller or lock is not reachable.
    DoorOffline,
    /// The controller's firmware is updating; it will be back shortly.
    FirmwareUpdating,
    /// The door is already being unlocked.
    Busy,
    /// Too many requests; Kisi asked us to slow down.
    RateLimited,
    /// Kisi is temporarily unavailable.
    ServiceUnavailable,
    /// No connection: the device is offline.
    Network,
    /// A tap while the device is offline: nothing was sent, and nothing will be later (the visitor
    /// may have walked away by the time the connection is back).
    NotSentOffline,
    /// The device is online, yet Kisi cannot be reached from here (DNS, TLS, a connection cut, a
    /// network that blocks it — often a guest Wi-Fi that wants a sign-in first).
    Unreachable,
    /// Something answered in Kisi's place with a web page, or redirected the request: a network
    /// that wants a sign-in (a guest Wi-Fi's portal) or a filter.
    CaptivePortal,
    /// An unlock got no answer: the door may or may not have opened.
    UnlockUnconfirmed,
    /// Kisi did not answer within the time limit.
    Timeout,
    /// An answer we could not read.
    BadResponse,
    /// The site's own `config.json` is not JSON: the page cannot tell where the secret may go, so it
    /// sends nothing (the link itself is fine; the site's owner must fix the file).
    SiteSettings,
    /// Anything else.
    Unexpected,
}

impl Problem {
    /// Every problem, for exhaustive tests and translation checks.
    pub const ALL: [Problem; 23] = {
        use Problem::*;
        [
            LinkInvalid,
            LinkExpired,
            LinkNotYetValid,
            LinksDisabled,
            AccessDenied,
            NotAllowedNow,
            LockedDown,
            DoorNotFound,
            DoorNotSetUp,
            DoorOffline,
            FirmwareUpdating,
            Busy,
            RateLimited,
            ServiceUnavailable,
            Network,
            NotSentOffline,
            Unreachable,
            CaptivePortal,
            UnlockUnconfirmed,
            Timeout,
            BadResponse,
            SiteSettings,
            Unexpected,
        ]
    };

    /// `ALL` holds every variant, in declaration order: checked when the crate compiles, so a
    /// variant added to the enum and not here (or anywhere before [`Problem::Unexpected`], which
    /// stays last) is a build error, not a problem the translation checks never see.
    const ALL_IS_EVERY_VARIANT: () = {
        let mut index = 0;
        while index < Problem::ALL.len() {
            assert!(Problem::ALL[index] as usize == index, "Problem::ALL: not every variant, in order");
            index += 1;
        }
        assert!(Problem::Unexpected as usize == Problem::ALL.len() - 1, "Problem::Unexpected stays last");
    };

    /// Whether Kisi refused the link itself (rather than one door, or the connection).
    pub fn is_link_level(self) -> bool {
        matches!(self, Problem::LinkInvalid | Problem::LinkExpired | Problem::LinkNotYetValid | Problem::LinksDisabled)
    }

    /// Whether the problem stands for the whole page: the link's own, or the site's settings. It
    /// replaces the door list, even one this device kept.
    pub fn replaces_the_list(self) -> bool {
        self.is_link_level() || self == Problem::SiteSettings
    }

    /// The key of this problem's texts in `i18n/*.json` (`problem.<key>.title`, `.advice`).
    pub fn key(self) -> &'static str {
        use Problem::*;
        match self {
            LinkInvalid => "link_invalid",
            LinkExpired => "link_expired",
            LinkNotYetValid => "link_not_yet_valid",
            LinksDisabled => "links_disabled",
            AccessDenied => "access_denied",
            NotAllowedNow => "not_allowed_now",
            LockedDown => "locked_down",
            DoorNotFound => "door_not_found",
            DoorNotSetUp => "door_not_set_up",
            DoorOffline => "door_offline",
            FirmwareUpdating => "firmware_updating",
            Busy => "busy",
            RateLimited => "rate_limited",
            ServiceUnavailable => "service_unavailable",
            Network => "network",
            NotSentOffline => "not_sent_offline",
            Timeout => "timeout",
            Unreachable => "unreachable",
            CaptivePortal => "captive_portal",
            UnlockUnconfirmed => "unlock_unconfirmed",
            BadResponse => "bad_response",
            SiteSettings => "site_settings",
            Unexpected => "unexpected",
        }
    }

    /// Whether trying again can help: everything but a link that is unknown, expired or switched
    /// off (one that is not valid *yet* may be by the time the visitor tries again), and a site
    /// whose settings cannot be read (only its owner can fix them).
    pub fn can_retry(self) -> bool {
        !self.replaces_the_list() || self == Problem::LinkNotYetValid
    }

    /// Whether the visitor is offered to try again: where [trying can help](Self::can_retry), and
    /// for an unknown link that opened doors on this device before (`worked_here`): then something
    /// in between (a proxy, a guest network) is likelier than a deleted link, and the screen says so.
    pub fn offers_retry(self, worked_here: bool) -> bool {
        self.can_retry() || (self == Problem::LinkInvalid && worked_here)
    }
}

// Evaluated in every build of the crate.
const _: () = Problem::ALL_IS_EVERY_VARIANT;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_level_problems_are_the_link_ones() {
        assert!(Problem::LinkExpired.is_link_level());
        assert!(!Problem::DoorOffline.is_link_level());
        assert!(!Problem::Network.is_link_level());
    }

    #[test]
    fn a_link_not_valid_yet_may_be_retried_an_expired_one_not() {
        assert!(Problem::LinkNotYetValid.can_retry());
        assert!(!Problem::LinkExpired.can_retry());
        assert!(Problem::Timeout.can_retry());
    }

    #[test]
    fn an_unknown_link_that_worked_here_is_offered_a_retry() {
        assert!(!Problem::LinkInvalid.offers_retry(false));
        assert!(Problem::LinkInvalid.offers_retry(true));
        assert!(!Problem::LinkExpired.offers_retry(true), "only the unknown link: an expired one stays expired");
        for problem in Problem::ALL {
            assert!(!problem.can_retry() || problem.offers_retry(false), "{problem:?}");
        }
    }

    #[test]
    fn every_problem_is_the_links_or_a_doors_and_may_be_retried_as_the_rule_says() {
        for problem in Problem::ALL {
            // The link's problems are the ones its texts call link problems.
            let of_the_link = problem.key().starts_with("link");
            // The site's own problems (only its owner can fix them) stand for the whole page too.
            let of_the_page = of_the_link || problem.key().starts_with("site");
            assert_eq!(problem.is_link_level(), of_the_link, "{problem:?}");
            assert_eq!(problem.replaces_the_list(), of_the_page, "{problem:?}");
            assert_eq!(problem.can_retry(), !of_the_page || problem == Problem::LinkNotYetValid, "{problem:?}");
        }
    }

    #[test]
    fn every_problem_has_its_own_key() {
        let mut keys: Vec<&str> = Problem::ALL.iter().map(|p| p.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Problem::ALL.len());
    }
}
