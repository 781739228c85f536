//! Bringing a database up to this version: the schema migrations, then the
//! data some of them call for, once, in the run that applies them.

use chrono::NaiveDateTime;

use crate::db::{self, DbConn};

/// The migration that created the ledger: rounds confirmed before it get
/// their prizes and leave days written as ledger movements.
const LEDGER: &str = "20261126000009";

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
    db::refresh_statistics(conn)?;
    Ok(applied)
}
