//! Reporting months and due dates: a month's report is due by the
//! `due_day` (5th) of the following month, 23:59:59 Asia/Seoul; with the
//! holiday shift on, a due date on a weekend or holiday moves to the next
//! working day.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

use crate::clock::{seoul, YearMonth};

/// The calendar day the report for `month` is due.
pub fn due_date(
    month: YearMonth,
    due_day: u32,
    holidays: Option<&HashSet<NaiveDate>>,
) -> NaiveDate {
    let mut day = NaiveDate::from_ymd_opt(month.next().year, month.next().month, due_day)
        .expect("due day 1–28");
    if let Some(holidays) = holidays {
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || holidays.contains(&day) {
            day = day.succ_opt().expect("next day");
        }
    }
    day
}

/// The last on-time instant: 23:59:59 Seoul time on the due date.
pub fn due_instant(due: NaiveDate) -> DateTime<FixedOffset> {
    seoul()
        .from_local_datetime(&due.and_hms_opt(23, 59, 59).expect("valid time"))
        .single()
        .expect("Seoul has no ambiguous times")
}

/// On time means before midnight that ends the due date, Seoul time.
pub fn is_late(submitted: DateTime<Utc>, due: NaiveDate) -> bool {
    let midnight = seoul()
        .from_local_datetime(
            &due.succ_opt()
                .expect("next day")
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
        )
        .single()
        .expect("Seoul has no ambiguous times");
    submitted >= midnight
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn november_is_due_on_the_fifth_of_december_and_december_in_january() {
        assert_eq!(due_date(ym("2026-11"), 5, None), day(2026, 12, 5));
        assert_eq!(due_date(ym("2026-12"), 5, None), day(2027, 1, 5));
        assert_eq!(
            due_instant(day(2026, 12, 5)).to_rfc3339(),
            "2026-12-05T23:59:59+09:00"
        );
    }

    #[test]
    fn the_last_second_is_on_time_and_midnight_is_late() {
        let due = day(2026, 12, 5);
        let at = |h, m, s| Utc.with_ymd_and_hms(2026, 12, 5, h, m, s).unwrap();
        assert!(!is_late(at(14, 59, 59), due), "23:59:59 KST = 14:59:59 UTC");
        assert!(is_late(at(15, 0, 0), due), "00:00:00 KST = 15:00:00 UTC");
        assert!(!is_late(at(0, 0, 0), due));
    }

    #[test]
    fn the_holiday_shift_moves_to_the_next_working_day() {
        // 5 December 2026 is a Saturday: Monday the 7th, or the 8th if the
        // 7th is a holiday.
        assert_eq!(
            due_date(ym("2026-11"), 5, Some(&HashSet::new())),
            day(2026, 12, 7)
        );
        let holidays = HashSet::from([day(2026, 12, 7)]);
        assert_eq!(
            due_date(ym("2026-11"), 5, Some(&holidays)),
            day(2026, 12, 8)
        );
        // Not enabled: the 5th stands.
        assert_eq!(due_date(ym("2026-11"), 5, None), day(2026, 12, 5));
    }

    #[test]
    fn months_parse_and_step() {
        assert_eq!(ym("2026-12").next().to_string(), "2027-01");
        assert_eq!(ym("2026-01").previous().to_string(), "2025-12");
        assert_eq!(ym("2026-02").last_day(), day(2026, 2, 28));
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", ""] {
            assert_eq!(YearMonth::parse(bad), None, "{bad}");
        }
    }
}
