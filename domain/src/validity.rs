//! How long the link works, as the link tool wrote it into the fragment (`&until=2026-12-24T17:00Z`).
//!
//! Only a hint for the visitor: Kisi stays the authority. The page still asks Kisi after that time
//! (the operator may have extended the link); a list Kisi gives means the date was stale and the
//! page stops showing it; Kisi's own "expired" answer is shown as any refusal is.

/// Within this long of the end, the page says plainly that the link is about to stop working.
pub const ENDING_SOON_MS: f64 = 60.0 * 60.0 * 1000.0;

/// The moment a link stops working, from the fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidUntil {
    /// Milliseconds since 1970-01-01T00:00Z, as JavaScript's `Date` counts them.
    pub unix_ms: i64,
    /// The text it was read from, kept in the address bar so a reload shows it again.
    pub text: String,
}

/// What the page says of the link's end at a given moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validity {
    /// More than [`ENDING_SOON_MS`] to go: "Works until Thu, Dec 24, 06:00 PM".
    Until,
    /// Within the last hour: "This link stops working at 18:00".
    EndingSoon,
    /// Past: nothing (Kisi decides; a list it gives means the date was stale).
    Passed,
}

impl ValidUntil {
    /// Reads an RFC 3339 time with a zone: `YYYY-MM-DDTHH:MM[:SS[.fraction]]` then `Z` or
    /// `±HH:MM`. Anything else (no zone, an impossible date, another format) is `None`: a link's
    /// end is shown right or not at all.
    ///
    /// ```
    /// use domain::validity::ValidUntil;
    /// assert_eq!(ValidUntil::parse("1970-01-01T00:01Z").map(|u| u.unix_ms), Some(60_000));
    /// assert_eq!(
    ///     ValidUntil::parse("2026-12-24T18:00:00+01:00").map(|u| u.unix_ms),
    ///     ValidUntil::parse("2026-12-24T17:00Z").map(|u| u.unix_ms)
    /// );
    /// assert_eq!(ValidUntil::parse("2026-12-24T18:00"), None, "a time without a zone means nothing");
    /// assert_eq!(ValidUntil::parse("2026-02-30T18:00Z"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if text.len() > 40 || !text.is_ascii() {
            return None;
        }
        let number = |from: usize, len: usize| -> Option<i64> {
            let digits = bytes.get(from..from + len)?;
            digits.iter().all(u8::is_ascii_digit).then(|| digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
        };
        let at = |index: usize, expected: u8| bytes.get(index) == Some(&expected);
        if !(at(4, b'-') && at(7, b'-') && (at(10, b'T') || at(10, b't')) && at(13, b':')) {
            return None;
        }
        let (year, month, day, hour, minute) =
            (number(0, 4)?, number(5, 2)?, number(8, 2)?, number(11, 2)?, number(14, 2)?);
        let mut rest = 16;
        let mut second = 0;
        if at(rest, b':') {
            second = number(rest + 1, 2)?;
            rest += 3;
            if at(rest, b'.') {
                rest += 1;
                let digits = bytes[rest..].iter().take_while(|b| b.is_ascii_digit()).count();
                if digits == 0 {
                    return None;
                }
                rest += digits;
            }
        }
        let offset_minutes = match bytes.get(rest) {
            Some(b'Z' | b'z') if rest + 1 == bytes.len() => 0,
            Some(sign @ (b'+' | b'-')) if rest + 6 == bytes.len() && at(rest + 3, b':') => {
                let (hours, minutes) = (number(rest + 1, 2)?, number(rest + 4, 2)?);
                if hours > 23 || minutes > 59 {
                    return None;
                }
                (hours * 60 + minutes) * if *sign == b'-' { -1 } else { 1 }
            }
            _ => return None,
        };
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second.min(59) - offset_minutes * 60;
        Some(ValidUntil { unix_ms: seconds * 1000, text: text.to_owned() })
    }

    /// What to say at `now_ms` (milliseconds since 1970, as `Date.now()`).
    ///
    /// ```
    /// use domain::validity::{ValidUntil, Validity};
    /// let until = ValidUntil::parse("2026-12-24T17:00Z").unwrap();
    /// let end = until.unix_ms as f64;
    /// assert_eq!(until.at(end - 2.0 * 3_600_000.0), Validity::Until);
    /// assert_eq!(until.at(end - 60_000.0), Validity::EndingSoon);
    /// assert_eq!(until.at(end), Validity::Passed);
    /// ```
    pub fn at(&self, now_ms: f64) -> Validity {
        let [last_hour, end] = self.changes();
        if now_ms >= end {
            Validity::Passed
        } else if now_ms >= last_hour {
            Validity::EndingSoon
        } else {
            Validity::Until
        }
    }

    /// The moments (ms since 1970) at which what the page says changes: the last hour begins, the
    /// end.
    pub fn changes(&self) -> [f64; 2] {
        let end = self.unix_ms as f64;
        [end - ENDING_SOON_MS, end]
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> Option<i64> {
        ValidUntil::parse(text).map(|u| u.unix_ms)
    }

    #[test]
    fn times_read_as_javascript_dates_read_them() {
        // Date.parse() of each, in a browser.
        assert_eq!(ms("2026-12-24T17:00:00Z"), Some(1_798_131_600_000));
        assert_eq!(ms("2026-12-24T18:00+01:00"), Some(1_798_131_600_000));
        assert_eq!(ms("2026-12-24T12:30-04:30"), Some(1_798_131_600_000));
        assert_eq!(ms("2000-02-29T00:00Z"), Some(951_782_400_000));
        assert_eq!(ms("1969-12-31T23:59:59Z"), Some(-1000));
        assert_eq!(ms("2099-12-31T18:00:00.250Z"), Some(4_102_423_200_000), "fractions of a second do not matter");
    }

    #[test]
    fn anything_but_a_zoned_time_is_nothing() {
        for text in [
            "",
            "tomorrow",
            "2026-12-24",
            "2026-12-24T18:00",
            "2026-12-24 18:00Z",
            "2026-13-01T00:00Z",
            "2026-00-01T00:00Z",
            "2025-02-29T00:00Z",
            "2026-04-31T00:00Z",
            "2026-12-24T24:00Z",
            "2026-12-24T18:60Z",
            "2026-12-24T18:00+1:00",
            "2026-12-24T18:00+24:00",
            "2026-12-24T18:00Zjunk",
            "2026-12-24T18:00:00.Z",
            "+2026-12-24T18:00Z",
            "２０２６-12-24T18:00Z",
        ] {
            assert_eq!(ValidUntil::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn what_the_page_says_changes_at_the_last_hour_and_at_the_end() {
        let until = ValidUntil::parse("2026-12-24T17:00Z").unwrap();
        let [last_hour, end] = until.changes();
        assert_eq!(end - last_hour, ENDING_SOON_MS);
        assert_eq!(until.at(last_hour - 1.0), Validity::Until);
        assert_eq!(until.at(last_hour), Validity::EndingSoon);
        assert_eq!(until.at(end - 1.0), Validity::EndingSoon);
        assert_eq!(until.at(end), Validity::Passed);
    }
}
