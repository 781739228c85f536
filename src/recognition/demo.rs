//! The demo's ledger: the first half's club hours recognized and approved
//! by the administrator (the year's courses come from the HR import's demo).

use chrono::{NaiveDate, NaiveDateTime};

use super::service::{self, Scope};
use crate::clock::HalfYear;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;

/// People recognized for 2026H1; the recognition only once the half is
/// over.
pub fn load(
    conn: &mut DbConn,
    settings: &Settings,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let (office, admin) = crate::org::demo::office_and_administrator(conn)?;
    let half = HalfYear::parse("2026H1").expect("a half");
    if today <= half.last_day() {
        return Ok(0);
    }
    let scope = Scope::of(conn, settings, &office.id, half)?;
    Ok(service::approve(conn, &scope, None, &admin.id, today, now)?.people)
}
