//! The demo's 2025 knowledge king: the proposal confirmed by the
//! administrator, once the demo's December 2025 meetings gave 2025 mileage.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::org::model as org;

/// The confirmed king's name, if 2025 had mileage.
pub fn load(conn: &mut DbConn, today: NaiveDate, now: NaiveDateTime) -> AppResult<Option<String>> {
    let office = crate::org::demo::organization(conn)?;
    let admin = org::employee_by_no(conn, &office.id, "9000001")?
        .ok_or_else(|| AppError::Conflict("the demo administrator is missing".into()))?;
    if super::king::candidates(conn, &office.id, 2025, today)?.is_empty() {
        return Ok(None);
    }
    let view = super::king::confirm(conn, &office.id, 2025, None, "", &admin.id, today, now)?;
    Ok(view.confirmed.map(|c| c.name))
}
