//! The periods mileage is totalled in and a leaderboard covers: a month (`2026-11`), a half-year
//! (`2026H2`) or a year (`2026`), each `[from, to)` in Seoul dates. Mileage
//! counts in the periods of the day it was credited, so a period that has
//! ended takes no more entries: its board never changes.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::clock::{self, HalfYear};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Half,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Month { year: i32, month: u32 },
    Half(HalfYear),
    Year(i32),
}

impl Period {
    pub fn month_of(day: NaiveDate) -> Period {
        Period::Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month, half-year and year a day falls in.
    pub fn all_of(day: NaiveDate) -> [Period; 3] {
        [
            Period::month_of(day),
            Period::Half(HalfYear::containing(day)),
            Period::Year(day.year()),
        ]
    }

    /// The period of `kind` that contains `day`.
    pub fn of_kind(kind: PeriodKind, day: NaiveDate) -> Period {
        let [month, half, year] = Period::all_of(day);
        match kind {
            PeriodKind::Month => month,
            PeriodKind::Half => half,
            PeriodKind::Year => year,
        }
    }

    /// `2026-11`, `2026H2` or `2026`, exactly as `Display` writes them.
    pub fn parse(text: &str) -> Option<Period> {
        if let Some((year, month)) = clock::parse_month(text) {
            return Some(Period::Month { year, month });
        }
        if let Some(half) = HalfYear::parse(text) {
            return Some(Period::Half(half));
        }
        let year: i32 = text
            .parse()
            .ok()
            .filter(|_| text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))?;
        clock::YEARS.contains(&year).then_some(Period::Year(year))
    }

    pub fn kind(self) -> PeriodKind {
        match self {
            Period::Month { .. } => PeriodKind::Month,
            Period::Half(_) => PeriodKind::Half,
            Period::Year(_) => PeriodKind::Year,
        }
    }

    /// The first day in the period.
    pub fn from(self) -> NaiveDate {
        let ymd = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("valid date");
        match self {
            Period::Month { year, month } => ymd(year, month),
            Period::Half(half) => half.first_day(),
            Period::Year(year) => ymd(year, 1),
        }
    }

    /// The first day after the period.
    pub fn to(self) -> NaiveDate {
        match self {
            Period::Month { year, month: 12 } => Period::Year(year + 1).from(),
            Period::Month { year, month } => Period::Month {
                year,
                month: month + 1,
            }
            .from(),
            Period::Half(half) => half.last_day().succ_opt().expect("valid date"),
            Period::Year(year) => Period::Year(year + 1).from(),
        }
    }

    /// Over on `today`: nothing more counts in it.
    pub fn is_closed(self, today: NaiveDate) -> bool {
        self.to() <= today
    }

    /// The month before the one containing `day`.
    pub fn previous_month(day: NaiveDate) -> Period {
        Period::month_of(Period::month_of(day).from().pred_opt().expect("valid date"))
    }

    pub fn label_ko(self) -> String {
        match self {
            Period::Month { year, month } => format!("{year}년 {month}월"),
            Period::Half(half) => half.label_ko(),
            Period::Year(year) => format!("{year}년"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Half(half) => write!(f, "{half}"),
            Period::Year(year) => write!(f, "{year}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_are_half_open_and_round_trip() {
        let [month, half, year] = Period::all_of(day(2026, 12, 31));
        assert_eq!(
            (month.to_string(), half.to_string(), year.to_string()),
            ("2026-12".into(), "2026H2".into(), "2026".into())
        );
        assert_eq!(
            (month.from(), month.to()),
            (day(2026, 12, 1), day(2027, 1, 1))
        );
        assert_eq!((half.from(), half.to()), (day(2026, 7, 1), day(2027, 1, 1)));
        assert_eq!(Period::parse("2026-02").unwrap().to(), day(2026, 3, 1));
        for p in [month, half, year] {
            assert_eq!(Period::parse(&p.to_string()), Some(p));
        }
        for bad in ["2026-13", "20260", "+026", "1999", "2026H3", "", "2026-1"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_period_closes_on_its_last_day_s_midnight() {
        let november = Period::parse("2026-11").unwrap();
        assert!(!november.is_closed(day(2026, 11, 30)));
        assert!(november.is_closed(day(2026, 12, 1)));
        assert_eq!(
            Period::previous_month(day(2027, 1, 1)).to_string(),
            "2026-12"
        );
    }
}
