//! Days, times of day and instants read back from SQLite's text without
//! diesel's list of formats. diesel tries its formats one by one, and chrono
//! reads each format string anew on every try: 1,000–2,000 instructions a
//! value, a third of the work of a row of meetings, and a club's page reads
//! hundreds of them. The text diesel writes (`2026-11-23`, `19:00:00`,
//! `2026-11-23 01:00:00.5`) is read here directly; any other text goes to
//! diesel as before, and PostgreSQL's binary values go to diesel unread.
//!
//! A model field takes them with `#[diesel(deserialize_as = Day)]` (or
//! `TimeOfDay`, `Stamp`; `Maybe<Stamp>` for a nullable column) and keeps
//! its chrono type.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::sql_types::{Date, Nullable, Time, Timestamp};
use diesel::sqlite::{Sqlite, SqliteValue};

use super::MultiBackend;

/// A `Date` column's value.
#[derive(diesel::deserialize::FromSqlRow)]
pub struct Day(pub NaiveDate);

/// A `Time` column's value.
#[derive(diesel::deserialize::FromSqlRow)]
pub struct TimeOfDay(pub NaiveTime);

/// A `Timestamp` column's value.
#[derive(diesel::deserialize::FromSqlRow)]
pub struct Stamp(pub NaiveDateTime);

/// A nullable column's value, read as `W` where it is not null.
#[derive(diesel::deserialize::FromSqlRow)]
pub struct Maybe<W>(pub Option<W>);

macro_rules! read_fast {
    ($wrapper:ident, $chrono:ty, $sql:ty, $parse:path) => {
        impl FromSql<$sql, Sqlite> for $wrapper {
            fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
                if let Some(read) = $parse(value.read_text().as_bytes()) {
                    return Ok($wrapper(read));
                }
                <$chrono as FromSql<$sql, Sqlite>>::from_sql(value).map($wrapper)
            }
        }

        impl FromSql<$sql, Pg> for $wrapper {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> deserialize::Result<Self> {
                <$chrono as FromSql<$sql, Pg>>::from_sql(value).map($wrapper)
            }
        }

        impl FromSql<$sql, MultiBackend> for $wrapper {
            fn from_sql(
                value: <MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> deserialize::Result<Self> {
                value.from_sql::<Self, $sql>()
            }
        }

        impl From<$wrapper> for $chrono {
            fn from(value: $wrapper) -> Self {
                value.0
            }
        }

        impl From<Maybe<$wrapper>> for Option<$chrono> {
            fn from(value: Maybe<$wrapper>) -> Self {
                value.0.map(|read| read.0)
            }
        }
    };
}

macro_rules! read_maybe {
    ($backend:ty) => {
        impl<ST, W> FromSql<Nullable<ST>, $backend> for Maybe<W>
        where
            ST: diesel::sql_types::SqlType,
            W: FromSql<ST, $backend>,
        {
            fn from_sql(
                value: <$backend as diesel::backend::Backend>::RawValue<'_>,
            ) -> deserialize::Result<Self> {
                Self::from_nullable_sql(Some(value))
            }

            fn from_nullable_sql(
                value: Option<<$backend as diesel::backend::Backend>::RawValue<'_>>,
            ) -> deserialize::Result<Self> {
                value.map(W::from_sql).transpose().map(Maybe)
            }
        }
    };
}

read_maybe!(Sqlite);
read_maybe!(Pg);
read_maybe!(MultiBackend);

read_fast!(Day, NaiveDate, Date, day);
read_fast!(TimeOfDay, NaiveTime, Time, time_of_day);
read_fast!(Stamp, NaiveDateTime, Timestamp, stamp);

/// `YYYY-MM-DD`.
fn day(text: &[u8]) -> Option<NaiveDate> {
    match text {
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] => NaiveDate::from_ymd_opt(
            number(&[*y0, *y1, *y2, *y3])? as i32,
            number(&[*m0, *m1])?,
            number(&[*d0, *d1])?,
        ),
        _ => None,
    }
}

/// `HH:MM:SS`, with up to nine digits of a second after a dot.
fn time_of_day(text: &[u8]) -> Option<NaiveTime> {
    let (whole, fraction) = match text.split_at_checked(8)? {
        (whole, []) => (whole, 0),
        (whole, [b'.', digits @ ..]) if (1..=9).contains(&digits.len()) => {
            (whole, number(digits)? * 10u32.pow(9 - digits.len() as u32))
        }
        _ => return None,
    };
    match whole {
        [h0, h1, b':', m0, m1, b':', s0, s1] => NaiveTime::from_hms_nano_opt(
            number(&[*h0, *h1])?,
            number(&[*m0, *m1])?,
            number(&[*s0, *s1])?,
            fraction,
        ),
        _ => None,
    }
}

/// `YYYY-MM-DD HH:MM:SS`, with a fraction of a second as above.
fn stamp(text: &[u8]) -> Option<NaiveDateTime> {
    match text.split_at_checked(10)? {
        (date, [b' ', time @ ..]) => Some(day(date)?.and_time(time_of_day(time)?)),
        _ => None,
    }
}

fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &digit| {
        digit
            .is_ascii_digit()
            .then(|| n * 10 + u32::from(digit - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What diesel would read, by its own formats through chrono.
    fn by_chrono(text: &str) -> (Option<NaiveDate>, Option<NaiveTime>, Option<NaiveDateTime>) {
        (
            NaiveDate::parse_from_str(text, "%F").ok(),
            NaiveTime::parse_from_str(text, "%T%.f").ok(),
            NaiveDateTime::parse_from_str(text, "%F %T%.f").ok(),
        )
    }

    #[test]
    fn the_text_diesel_writes_reads_back_the_same() {
        let mut seed: u64 = 0x5eed;
        let mut next = |below: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % below
        };
        for _ in 0..20_000 {
            let at = NaiveDate::from_ymd_opt(2000 + next(60) as i32, 1, 1)
                .and_then(|day| day.and_hms_opt(0, 0, 0))
                .unwrap()
                + chrono::Duration::days(next(366) as i64)
                + chrono::Duration::seconds(next(86_400) as i64)
                + chrono::Duration::nanoseconds(match next(3) {
                    0 => 0,
                    1 => next(1000) as i64 * 1_000_000,
                    _ => next(1_000_000_000) as i64,
                });
            // diesel writes these three formats (ENCODE_*_FORMAT).
            let (d, t, s) = (
                at.date().format("%F").to_string(),
                at.time().format("%T%.f").to_string(),
                at.format("%F %T%.f").to_string(),
            );
            assert_eq!(day(d.as_bytes()), Some(at.date()), "{d}");
            assert_eq!(time_of_day(t.as_bytes()), Some(at.time()), "{t}");
            assert_eq!(stamp(s.as_bytes()), Some(at), "{s}");
        }
    }

    #[test]
    fn what_it_reads_it_reads_as_chrono_does_and_the_rest_goes_to_diesel() {
        for text in [
            "2026-11-23",
            "2026-02-29",
            "2026-13-01",
            "2026-1-05",
            "19:00:00",
            "19:00",
            "24:00:00",
            "23:59:60",
            "19:00:00.5",
            "19:00:00.",
            "19:00:00.1234567891",
            "2026-11-23 01:00:00",
            "2026-11-23 01:00:00.000001",
            "2026-11-23T01:00:00",
            "2026-11-23 01:00:00+09:00",
            "",
            "+2026-11-23",
        ] {
            let fast = (
                day(text.as_bytes()),
                time_of_day(text.as_bytes()),
                stamp(text.as_bytes()),
            );
            let chrono = by_chrono(text);
            // Read here only where chrono reads the same; where it is not
            // read here, diesel's own formats decide.
            assert!(fast.0.is_none() || fast.0 == chrono.0, "{text}");
            assert!(fast.1.is_none() || fast.1 == chrono.1, "{text}");
            assert!(fast.2.is_none() || fast.2 == chrono.2, "{text}");
        }
        assert_eq!(day(b"2026-02-29"), None);
        assert_eq!(time_of_day(b"19:00"), None);
        assert_eq!(stamp(b"2026-11-23T01:00:00"), None);
    }
}
