//! Kisi's paging header, `X-Collection-Range: <start>-<end>/<total>`, and the paging loop's arithmetic.

/// Locks asked for per request: Kisi's maximum, so a link with many doors needs few round trips.
pub const PAGE_SIZE: u64 = 250;
/// Kisi rejects offsets above this; paging stops there rather than asking for an error.
pub const MAX_OFFSET: u64 = 20_000;

/// A parsed `X-Collection-Range` header.
///
/// `start`/`end` echo the range that was *requested* (not what came back); they are `None` in the
/// `*/<total>` form Kisi uses for empty results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CollectionRange {
    /// First index of the requested range.
    pub start: Option<u64>,
    /// Last index of the requested range.
    pub end: Option<u64>,
    /// How many items the whole collection has.
    pub total: u64,
}

impl CollectionRange {
    /// Parses `10-19/15` or `*/0`; anything else is `None` (the caller then pages by page size).
    ///
    /// ```
    /// use domain::paging::CollectionRange;
    /// let r = CollectionRange::parse("0-249/612").unwrap();
    /// assert_eq!((r.start, r.end, r.total), (Some(0), Some(249), 612));
    /// assert_eq!(CollectionRange::parse("*/0").unwrap().total, 0);
    /// assert!(CollectionRange::parse("0-249").is_none());
    /// ```
    pub fn parse(header: &str) -> Option<Self> {
        let (range, total) = header.trim().split_once('/')?;
        let total = parse_digits(total)?;
        if range == "*" {
            return Some(CollectionRange { start: None, end: None, total });
        }
        let (start, end) = range.split_once('-')?;
        let (start, end) = (parse_digits(start)?, parse_digits(end)?);
        (start <= end).then_some(CollectionRange { start: Some(start), end: Some(end), total })
    }
}

/// `u64::from_str` accepts a leading `+`; the header's grammar (`\d+`) does not.
fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Where the next page starts, or `None` when every lock has been read.
///
/// `offset` is the offset just requested, `received` how many items that page held and `range`
/// its header. Without a usable header, a full page means "there may be more" and a short page
/// means "that was all". An empty page always ends the loop, so a lying header cannot make the page
/// ask forever.
///
/// ```
/// use domain::paging::{next_offset, CollectionRange, PAGE_SIZE};
/// let header = CollectionRange::parse("0-249/612");
/// assert_eq!(next_offset(0, 250, header), Some(PAGE_SIZE));
/// assert_eq!(next_offset(500, 112, CollectionRange::parse("500-749/612")), None);
/// ```
pub fn next_offset(offset: u64, received: usize, range: Option<CollectionRange>) -> Option<u64> {
    if received == 0 {
        return None;
    }
    let next = offset + PAGE_SIZE;
    let more = match range {
        Some(range) => next < range.total,
        None => received as u64 >= PAGE_SIZE,
    };
    (more && next <= MAX_OFFSET).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(
            CollectionRange::parse("10-19/15"),
            Some(CollectionRange { start: Some(10), end: Some(19), total: 15 })
        );
        assert_eq!(
            CollectionRange::parse(" 0-249/612 "),
            Some(CollectionRange { start: Some(0), end: Some(249), total: 612 })
        );
        assert_eq!(CollectionRange::parse("*/0"), Some(CollectionRange { start: None, end: None, total: 0 }));
        assert_eq!(CollectionRange::parse("*/7"), Some(CollectionRange { start: None, end: None, total: 7 }));
    }

    #[test]
    fn rejects_malformed_headers() {
        for bad in [
            "",
            "/",
            "0-9",
            "0-9/",
            "a-b/3",
            "0-9/x",
            "9-0/10",
            "-1-9/10",
            "0-9/+10",
            "0--9/10",
            "*/",
            "*-1/3",
            "0-9/10/11",
        ] {
            assert_eq!(CollectionRange::parse(bad), None, "{bad:?}");
        }
        assert_eq!(CollectionRange::parse("0-9/99999999999999999999999"), None, "overflow");
    }

    #[test]
    fn pages_until_the_total_is_read() {
        let header = |s: &str| CollectionRange::parse(s);
        assert_eq!(next_offset(0, 250, header("0-249/612")), Some(250));
        assert_eq!(next_offset(250, 250, header("250-499/612")), Some(500));
        assert_eq!(next_offset(500, 112, header("500-749/612")), None);
        assert_eq!(next_offset(0, 250, header("0-249/250")), None, "exactly one full page");
        assert_eq!(next_offset(0, 0, header("*/0")), None);
    }

    #[test]
    fn without_a_header_a_full_page_means_more() {
        assert_eq!(next_offset(0, 250, None), Some(250));
        assert_eq!(next_offset(250, 249, None), None);
    }

    #[test]
    fn never_loops_on_a_lying_header() {
        assert_eq!(next_offset(0, 0, CollectionRange::parse("0-249/100000")), None);
        assert_eq!(next_offset(MAX_OFFSET, 250, CollectionRange::parse("0-249/100000")), None);
    }
}
