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

/// Appends one event. `actor` is None for the command line and the system.
pub fn record(
    conn: &mut DbConn,
    at: NaiveDateTime,
    actor: Option<&str>,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) -> QueryResult<()> {
    let row = (
        audit_events::id.eq(new_id()),
        audit_events::at.eq(at),
        audit_events::actor_id.eq(actor),
        audit_events::action.eq(action),
        audit_events::subject.eq(subject),
        audit_events::detail.eq(detail.to_string()),
    );
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
            .map(|(subject, detail)| {
                (
                    audit_events::id.eq(new_id()),
                    audit_events::at.eq(at),
                    audit_events::actor_id.eq(actor),
                    audit_events::action.eq(action),
                    audit_events::subject.eq(subject),
                    audit_events::detail.eq(detail.to_string()),
                )
            })
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
