//! The audit trail: who did what to whom, appended, never edited.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_events;
use crate::db::{new_id, DbConn};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// One event's row: its new id and what it says.
macro_rules! event_row {
    ($at:expr, $actor:expr, $action:expr, $subject:expr, $detail:expr) => {
        (
            audit_events::id.eq(new_id()),
            audit_events::at.eq($at),
            audit_events::actor_id.eq($actor),
            audit_events::action.eq($action),
            audit_events::subject.eq($subject),
            audit_events::detail.eq($detail.to_string()),
        )
    };
}

/// Appends one event. `actor` is None for the command line and the system.
/// A row of its own, not a batch of one: diesel prepares a batch anew on
/// every call.
pub fn record(
    conn: &mut DbConn,
    at: NaiveDateTime,
    actor: Option<&str>,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) -> QueryResult<()> {
    let row = event_row!(at, actor, action, subject, detail);
    crate::on_backend!(&mut *conn, |c| diesel::insert_into(audit_events::table)
        .values(row)
        .execute(c))?;
    Ok(())
}

/// Appends one event per (subject, detail), in as few statements as the
/// backends allow.
pub fn record_many(
    conn: &mut DbConn,
    at: NaiveDateTime,
    actor: Option<&str>,
    action: &str,
    events: &[(String, serde_json::Value)],
) -> QueryResult<()> {
    for chunk in events.chunks(1000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(subject, detail)| event_row!(at, actor, action, subject, detail))
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(audit_events::table)
            .values(rows)
            .execute(c))?;
    }
    Ok(())
}

pub fn for_subject(conn: &mut DbConn, subject: &str) -> QueryResult<Vec<AuditEvent>> {
    audit_events::table
        .filter(audit_events::subject.eq(subject))
        .order(audit_events::at.asc())
        .select(AuditEvent::as_select())
        .load(conn)
}
