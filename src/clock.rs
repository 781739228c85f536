//! "Now", injected. Domain code asks a `Clock`; tests fix it.
//!
//! Korea has kept UTC+09:00 without daylight saving since 1988, so a fixed
//! offset is exactly Asia/Seoul for every date the portal handles.

use std::sync::{Arc, Mutex};

use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, TimeZone, Utc,
};

pub fn seoul() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// The Seoul date of a stored UTC instant.
pub fn seoul_date(at: NaiveDateTime) -> NaiveDate {
    at.and_utc().with_timezone(&seoul()).date_naive()
}

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

impl dyn Clock {
    pub fn now_seoul(&self) -> DateTime<FixedOffset> {
        self.now().with_timezone(&seoul())
    }

    /// Today's date in Seoul.
    pub fn today(&self) -> NaiveDate {
        self.now_seoul().date_naive()
    }

    /// The instant as stored in the database (UTC, no offset).
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }
}

pub type SharedClock = Arc<dyn Clock>;

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock an operator sets for a whole server (`serve --as-of`): it reads
/// `start` when `run` is called and runs on in real time from there, so a
/// district can rehearse a deadline on a copy, or the portal be tested from
/// outside at any date. Never in production (the settings refuse it).
pub struct OperatorClock {
    start: DateTime<Utc>,
    running_since: Mutex<Option<std::time::Instant>>,
}

impl OperatorClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            start,
            running_since: Mutex::new(None),
        }
    }

    /// Starts time running from `start`: called once the server is ready,
    /// so that start-up does not eat into the instant the operator chose.
    pub fn run(&self) {
        self.running_since
            .lock()
            .expect("clock lock")
            .get_or_insert_with(std::time::Instant::now);
    }
}

impl Clock for OperatorClock {
    fn now(&self) -> DateTime<Utc> {
        let since = *self.running_since.lock().expect("clock lock");
        let elapsed = since.map_or(std::time::Duration::ZERO, |s| s.elapsed());
        self.start + Duration::from_std(elapsed).unwrap_or(Duration::zero())
    }
}

/// An instant given by an operator (`--as-of`): RFC 3339, or a Seoul
/// wall-clock `YYYY-MM-DD[ HH:MM[:SS]]`.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    let (date, time) = match text.split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let date = parse_date(date)?;
    let time = match time {
        None => chrono::NaiveTime::MIN,
        Some(t) if t.len() == 5 => chrono::NaiveTime::parse_from_str(t, "%H:%M").ok()?,
        Some(t) if t.len() == 8 => chrono::NaiveTime::parse_from_str(t, "%H:%M:%S").ok()?,
        Some(_) => return None,
    };
    seoul()
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// A clock that stands still until told to move.
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    /// A clock at a wall-clock time in Seoul, e.g. `at_seoul(2026, 11, 5, 23, 59, 59)`.
    pub fn at_seoul(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Self {
        let local = seoul()
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("a valid Seoul wall-clock time");
        Self::new(local.with_timezone(&Utc))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = at;
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().expect("clock lock") += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// The years any date, month or half-year given to the portal may fall in.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The one parser for dates given to the portal: exactly `2026-11-20` — a
/// four-digit year in `YEARS`, two-digit month and day, no sign, no spaces.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let (year, month) = year_and_month(s.get(..7)?)?;
    let day = s.get(7..)?.strip_prefix('-').filter(|d| d.len() == 2)?;
    NaiveDate::from_ymd_opt(year, month, digits(day)?)
}

/// `2026-11`, exactly: the year and month.
pub fn parse_month(s: &str) -> Option<(i32, u32)> {
    year_and_month(s).filter(|_| s.len() == 7)
}

fn year_and_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let year = i32::try_from(digits(y)?)
        .ok()
        .filter(|y| YEARS.contains(y))?;
    let month = digits(m).filter(|m| (1..=12).contains(m))?;
    Some((year, month))
}

/// Only ASCII digits: no sign, no spaces, no other numerals.
fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A calendar month, written `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    /// `2026-11`, exactly (`clock::parse_month`).
    pub fn parse(s: &str) -> Option<Self> {
        let (year, month) = parse_month(s)?;
        Some(Self { year, month })
    }

    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a day before")
    }

    pub fn next(self) -> Self {
        Self::of(self.first_day() + Months::new(1))
    }

    pub fn previous(self) -> Self {
        Self::of(self.first_day() - Months::new(1))
    }

    pub fn label_ko(self) -> String {
        format!("{}년 {}월", self.year, self.month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A half-year: January–June (H1) or July–December (H2), written `2026H2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfYear {
    pub year: i32,
    /// 1 or 2.
    pub half: u8,
}

impl HalfYear {
    pub fn containing(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            half: if date.month() <= 6 { 1 } else { 2 },
        }
    }

    /// `YYYYH1` or `YYYYH2`, exactly.
    pub fn parse(s: &str) -> Option<Self> {
        let (year, half) = s.split_once('H')?;
        if year.len() != 4 {
            return None;
        }
        let year = i32::try_from(digits(year)?)
            .ok()
            .filter(|y| YEARS.contains(y))?;
        let half = match half {
            "1" => 1,
            "2" => 2,
            _ => return None,
        };
        Some(Self { year, half })
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, if self.half == 1 { 1 } else { 7 }, 1)
            .expect("valid date")
    }

    pub fn last_day(self) -> NaiveDate {
        if self.half == 1 {
            NaiveDate::from_ymd_opt(self.year, 6, 30).expect("valid date")
        } else {
            NaiveDate::from_ymd_opt(self.year, 12, 31).expect("valid date")
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    pub fn label_ko(self) -> String {
        format!(
            "{}년 {}",
            self.year,
            if self.half == 1 {
                "상반기"
            } else {
                "하반기"
            }
        )
    }
}

impl fmt::Display for HalfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}H{}", self.year, self.half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_years_split_at_july() {
        let june30 = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let july1 = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(HalfYear::containing(june30).to_string(), "2026H1");
        assert_eq!(HalfYear::containing(july1).to_string(), "2026H2");
        let h2 = HalfYear::parse("2026H2").unwrap();
        assert_eq!(
            (h2.first_day(), h2.last_day().to_string()),
            (july1, "2026-12-31".to_string())
        );
        assert!(h2.contains(july1) && !h2.contains(june30));
        for bad in [
            "2026H3", "2026", "H1", "1999H1", "2026-H1", "2026h2", " 2026H2", "2026H2 ", "+026H1",
            "2026H01",
        ] {
            assert_eq!(HalfYear::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_and_months_are_parsed_strictly() {
        assert_eq!(
            parse_date("2026-11-20"),
            NaiveDate::from_ymd_opt(2026, 11, 20)
        );
        for bad in [
            "-2026-11-18",
            "2026-11-1",
            " 2026-11-20",
            "2026-11-20 ",
            "20261-1-20",
            "2026/11/20",
            "2026-02-30",
            "1999-12-31",
            "2101-01-01",
            "+026-11-20",
            "２０２６-11-20",
            "2026-11-20T00",
            "",
            "2026-1٢-20",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert_eq!(parse_month("2026-11"), Some((2026, 11)));
        for bad in [
            "2026-1",
            "2026-13",
            " 2026-11",
            "2026-11-01",
            "-2026-11",
            "2026-00",
        ] {
            assert_eq!(parse_month(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn operator_instants_are_seoul_time_unless_they_say_otherwise() {
        let at = |s| parse_instant(s).map(|t| t.to_rfc3339());
        assert_eq!(
            at("2026-06-05 23:59:59").as_deref(),
            Some("2026-06-05T14:59:59+00:00")
        );
        assert_eq!(
            at("2026-12-06").as_deref(),
            Some("2026-12-05T15:00:00+00:00")
        );
        assert_eq!(
            at("2026-12-06T09:00:00+09:00").as_deref(),
            Some("2026-12-06T00:00:00+00:00")
        );
        for bad in [
            "2026-12-6",
            "2026-12-06 9:00",
            "tomorrow",
            "2026-12-06 25:00",
        ] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_operator_clock_stands_until_run_then_runs_on() {
        let start = FixedClock::at_seoul(2026, 6, 5, 23, 59, 59).now();
        let clock = OperatorClock::new(start);
        assert_eq!(clock.now(), start);
        clock.run();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let later = clock.now();
        assert!(later > start && later - start < Duration::seconds(5));
    }

    #[test]
    fn seoul_midnight_is_fifteen_hundred_utc() {
        let clock: Arc<dyn Clock> = Arc::new(FixedClock::at_seoul(2026, 12, 6, 0, 0, 0));
        assert_eq!(clock.now().to_rfc3339(), "2026-12-05T15:00:00+00:00");
        assert_eq!(clock.now_seoul().to_rfc3339(), "2026-12-06T00:00:00+09:00");
    }
}
