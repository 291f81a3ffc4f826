//! Vocabulary: RFC 3339 timestamps, compared as instants (spec section 5).
//!
//! Shared by the checker (is this literal a timestamp?) and the runtime
//! (ordering two timestamps), so it has no dependencies.

/// An instant: seconds since 1970-01-01T00:00:00Z and nanoseconds.
/// Ordering instants orders the times they denote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    pub seconds: i64,
    pub nanos: u32,
}

fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    part.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Why a text that starts like a date (`YYYY-`) is not an RFC 3339
/// timestamp, in words; `None` when it is one, or does not look like one.
pub fn rfc3339_problem(text: &str) -> Option<&'static str> {
    let s = text.as_bytes();
    if digits(s, 0, 4).is_none() || s.get(4) != Some(&b'-') || parse_rfc3339(text).is_some() {
        return None;
    }
    let year = i64::from(digits(s, 0, 4)?);
    let shape = "write it as `YYYY-MM-DDTHH:MM:SS` and a zone (`Z` or `+HH:MM`)";
    let (Some(month), Some(day)) = (digits(s, 5, 2), digits(s, 8, 2)) else {
        return Some(shape);
    };
    if !(1..=12).contains(&month) {
        return Some("the month must be 01 to 12");
    }
    if day == 0 || day > days_in_month(year, month) {
        return Some("that day does not exist in that month");
    }
    if s.len() == 10 {
        return Some("a timestamp needs a time and a zone: `YYYY-MM-DDT00:00:00Z`");
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2))
    else {
        return Some(shape);
    };
    if hour > 23 || minute > 59 || second > 60 {
        return Some("the time must be within 00:00:00 and 23:59:60");
    }
    if s.len() == 19 {
        return Some("a timestamp needs a zone: `Z` for UTC, or `+HH:MM`");
    }
    Some(shape)
}

/// A civil date (proleptic Gregorian) from days since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An instant as `YYYY-MM-DDTHH:MM:SS.NNNNNNNNNZ` (UTC, nanoseconds), or
/// `None` outside the years 0 to 9999 that RFC 3339 can write.
pub fn format_rfc3339(at: Instant) -> Option<String> {
    let (days, secs) = (at.seconds.div_euclid(86_400), at.seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:09}Z",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60,
        at.nanos
    ))
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`; `T` and `Z`
/// may be lowercase. Returns `None` for anything else.
pub fn parse_rfc3339(text: &str) -> Option<Instant> {
    let s = text.as_bytes();
    let year = i64::from(digits(s, 0, 4)?);
    let month = digits(s, 5, 2)?;
    let day = digits(s, 8, 2)?;
    let hour = digits(s, 11, 2)?;
    let minute = digits(s, 14, 2)?;
    let second = digits(s, 17, 2)?;
    if s.get(4) != Some(&b'-')
        || s.get(7) != Some(&b'-')
        || !matches!(s.get(10), Some(b'T' | b't'))
        || s.get(13) != Some(&b':')
        || s.get(16) != Some(&b':')
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if s.get(at) == Some(&b'.') {
        let start = at + 1;
        let len = s[start..].iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        for i in 0..9 {
            let d = if i < len {
                u32::from(s[start + i] - b'0')
            } else {
                0
            };
            nanos = nanos * 10 + d;
        }
        at = start + len;
    }
    let offset_minutes: i64 = match s.get(at) {
        Some(b'Z' | b'z') if at + 1 == s.len() => 0,
        Some(sign @ (b'+' | b'-')) if at + 6 == s.len() && s[at + 3] == b':' => {
            let h = i64::from(digits(s, at + 1, 2)?);
            let m = i64::from(digits(s, at + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds =
        days * 86_400 + i64::from(hour) * 3_600 + i64::from(minute) * 60 + i64::from(second)
            - offset_minutes * 60;
    Some(Instant { seconds, nanos })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_round_trips_through_parsing() {
        for text in [
            "2026-03-01T12:00:00+01:00",
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999999999Z",
            "0001-01-01T00:00:00Z",
        ] {
            let at = parse_rfc3339(text).unwrap();
            let written = format_rfc3339(at).unwrap();
            assert_eq!(parse_rfc3339(&written), Some(at), "{text} -> {written}");
        }
    }

    #[test]
    fn problems_say_which_part_is_wrong() {
        let p = rfc3339_problem;
        assert_eq!(
            p("2024-13-01T00:00:00Z"),
            Some("the month must be 01 to 12")
        );
        assert_eq!(
            p("2023-02-29T00:00:00Z"),
            Some("that day does not exist in that month")
        );
        assert_eq!(
            p("2024-02-29T24:00:00Z"),
            Some("the time must be within 00:00:00 and 23:59:60")
        );
        assert!(p("2024-02-29").is_some_and(|w| w.contains("needs a time")));
        assert!(p("2024-02-29T10:00:00").is_some_and(|w| w.contains("needs a zone")));
        assert_eq!(p("2024-02-29T10:00:00Z"), None);
        assert_eq!(p("plant-a"), None);
    }

    #[test]
    fn epoch_and_offsets() {
        assert_eq!(
            parse_rfc3339("1970-01-01T00:00:00Z"),
            Some(Instant {
                seconds: 0,
                nanos: 0
            })
        );
        assert_eq!(
            parse_rfc3339("1970-01-01T01:00:00+01:00"),
            parse_rfc3339("1970-01-01T00:00:00Z")
        );
        assert_eq!(
            parse_rfc3339("2026-11-22T06:52:51.5z").map(|i| (i.seconds, i.nanos)),
            Some((1_795_330_371, 500_000_000))
        );
    }

    #[test]
    fn leap_days_and_bad_dates() {
        assert!(parse_rfc3339("2024-02-29T00:00:00Z").is_some());
        assert!(parse_rfc3339("2023-02-29T00:00:00Z").is_none());
        assert!(parse_rfc3339("2026-13-01T00:00:00Z").is_none());
        assert!(parse_rfc3339("2026-01-01 00:00:00Z").is_none());
        assert!(parse_rfc3339("2026-01-01T00:00:00").is_none());
        assert!(parse_rfc3339("2026-01-01T00:00:00.Z").is_none());
        assert!(parse_rfc3339("plant-a").is_none());
        assert!(parse_rfc3339("").is_none());
    }

    #[test]
    fn ordering_is_by_instant() {
        let a = parse_rfc3339("2026-01-01T00:00:00+02:00").unwrap();
        let b = parse_rfc3339("2025-12-31T23:00:00Z").unwrap();
        assert!(a < b);
    }
}
