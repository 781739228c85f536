//! The demo's 2025 knowledge king: the proposal confirmed by the
//! administrator, once the demo's December 2025 meetings gave 2025 mileage.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::DbConn;
use crate::error::AppResult;

/// The confirmed king's name, if 2025 had mileage.
pub fn load(conn: &mut DbConn, today: NaiveDate, now: NaiveDateTime) -> AppResult<Option<String>> {
    let (office, admin) = crate::org::demo::office_and_administrator(conn)?;
    if super::king::candidates(conn, &office.id, 2025, today)?.is_empty() {
        return Ok(None);
    }
    let view = super::king::confirm(conn, &office.id, 2025, None, "", &admin.id, today, now)?;
    Ok(view.confirmed.map(|c| c.name))
}
