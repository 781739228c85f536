//! "Now", injected. Domain code asks a `Clock`; tests fix it.
//!
//! Korea has kept UTC+09:00 without daylight saving since 1988, so a fixed
//! offset is exactly Asia/Seoul for every date the portal handles.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, TimeZone, Utc};

pub fn seoul() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

impl dyn Clock {
    pub fn now_seoul(&self) -> DateTime<FixedOffset> {
        self.now().with_timezone(&seoul())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_midnight_is_fifteen_hundred_utc() {
        let clock: Arc<dyn Clock> = Arc::new(FixedClock::at_seoul(2026, 12, 6, 0, 0, 0));
        assert_eq!(clock.now().to_rfc3339(), "2026-12-05T15:00:00+00:00");
        assert_eq!(clock.now_seoul().to_rfc3339(), "2026-12-06T00:00:00+09:00");
    }
}
