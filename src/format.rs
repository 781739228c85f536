//! How numbers and instants are written for people: one place for each
//! format, so that every page, mail and export says it the same way.

use chrono::NaiveDateTime;

use crate::clock::seoul;

/// A stored UTC instant as Seoul wall-clock time: `2026-11-23 18:30`.
pub fn seoul_datetime(at: NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&seoul())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The same, in Korean prose for mail: `2026년 12월 5일 23:59`.
pub fn seoul_datetime_ko(at: NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&seoul())
        .format("%Y년 %-m월 %-d일 %H:%M")
        .to_string()
}

/// A stored UTC instant as Seoul wall-clock time, for a spreadsheet's date
/// cell.
pub fn seoul_naive(at: NaiveDateTime) -> NaiveDateTime {
    at.and_utc().with_timezone(&seoul()).naive_local()
}

/// For the API: RFC 3339 with the Seoul offset, `2026-12-05T23:59:59+09:00`.
pub fn seoul_rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().with_timezone(&seoul()).to_rfc3339()
}

/// 1234567 → "1,234,567".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Minutes as Korean hours: `11시간 30분`, `12시간`, `-1시간`, `0시간`.
/// Hours and minutes in English: `12 h 30 min`.
pub fn hours_en(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    match m {
        0 => format!("{sign}{h} h"),
        m => format!("{sign}{h} h {m} min"),
    }
}

pub fn hours_ko(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    match m {
        0 => format!("{sign}{h}시간"),
        m => format!("{sign}{h}시간 {m}분"),
    }
}

#[cfg(test)]
mod number_tests {
    #[test]
    fn thousands_groups_by_three() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(500), "500");
        assert_eq!(super::thousands(500_000), "500,000");
        assert_eq!(super::thousands(1_700_000), "1,700,000");
        assert_eq!(super::thousands(-1234), "-1,234");
    }

    #[test]
    fn minutes_read_as_hours() {
        assert_eq!(super::hours_ko(720), "12시간");
        assert_eq!(super::hours_ko(690), "11시간 30분");
        assert_eq!(super::hours_ko(-60), "-1시간");
        assert_eq!(super::hours_ko(0), "0시간");
    }
}

#[cfg(test)]
mod instant_tests {
    use super::*;

    #[test]
    fn instants_are_written_in_seoul_time() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(14, 59, 59)
            .unwrap();
        assert_eq!(seoul_datetime(at), "2026-12-05 23:59");
        assert_eq!(seoul_datetime_ko(at), "2026년 12월 5일 23:59");
        assert_eq!(seoul_rfc3339(at), "2026-12-05T23:59:59+09:00");
    }
}
