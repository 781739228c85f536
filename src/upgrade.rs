//! Bringing a database up to this version: the schema migrations, then the
//! data some of them call for, once, in the run that applies them.

use chrono::NaiveDateTime;

use crate::db::{self, DbConn};

/// The migration that created the ledger: rounds confirmed before it get
/// their prizes and leave days written as ledger movements.
const LEDGER: &str = "20261126000009";
/// The migration that keeps each scored sheet's points on its assignment.
const SHEET_POINTS: &str = "20261129000012";

/// Applies pending migrations and their data; answers the versions applied.
pub fn migrate(conn: &mut DbConn, now: NaiveDateTime) -> anyhow::Result<Vec<String>> {
    let applied = db::migrate(conn)?;
    if applied.iter().any(|v| v == LEDGER) {
        let written = crate::evaluation::awards::move_confirmed_rounds_into_ledger(conn, now)
            .map_err(|e| anyhow::anyhow!("moving confirmed rounds into the ledger: {e}"))?;
        if written > 0 {
            tracing::info!(
                movements = written,
                "confirmed rounds moved into the ledger"
            );
        }
    }
    if applied.iter().any(|v| v == SHEET_POINTS) {
        let filled = db::write_tx(conn, |conn| {
            Ok::<_, diesel::result::Error>(crate::evaluation::model::fill_sheet_points(conn)?)
        })?;
        if filled > 0 {
            tracing::info!(sheets = filled, "scored sheets given their points in order");
        }
    }
    db::refresh_statistics(conn)?;
    Ok(applied)
}
