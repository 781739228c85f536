//! The marks of the views kept in memory (`memo::Kept`): the database moves
//! an office's mark of a kind, or a club's, whenever anything such a view
//! is made from changes (the triggers of migrations 24 and 25).

use std::any::Any;
use std::sync::Arc;

use diesel::prelude::*;

use super::schema::{meeting_marks, view_marks};
use super::DbConn;
use crate::memo::Kept;

#[derive(Debug, Clone, Copy)]
pub enum ViewKind {
    /// A month's report facts of every club of an office (the compliance
    /// view).
    Reports,
    /// A round's ranking, of an office.
    Standings,
    /// Pages of an office's club list.
    Clubs,
    /// Pages of a club's meetings.
    Meetings,
}

/// The mark of `kind` of `owner`: the office, or for meetings the club.
fn mark(conn: &mut DbConn, owner: &str, kind: ViewKind) -> QueryResult<i64> {
    let office_kind = match kind {
        ViewKind::Reports => Some("reports"),
        ViewKind::Standings => Some("standings"),
        ViewKind::Clubs => Some("clubs"),
        ViewKind::Meetings => None,
    };
    let mark = match office_kind {
        Some(code) => view_marks::table
            .find((owner, code))
            .select(view_marks::mark)
            .first(conn)
            .optional()?,
        None => meeting_marks::table
            .find(owner)
            .select(meeting_marks::mark)
            .first(conn)
            .optional()?,
    };
    Ok(mark.unwrap_or(0))
}

/// The view of `kind` for `key` kept under `owner`'s mark (the office, or
/// for meetings the club), or the one `make` gives. The mark is read
/// before the view is made, so a change landing in between costs one more
/// making, never a stale view.
pub fn kept_view<V, E>(
    conn: &mut DbConn,
    kept: &Kept,
    owner: &str,
    kind: ViewKind,
    key: &str,
    make: impl FnOnce(&mut DbConn) -> Result<V, E>,
) -> Result<Arc<V>, E>
where
    V: Any + Send + Sync,
    E: From<diesel::result::Error>,
{
    let mark = mark(conn, owner, kind)?;
    kept.get_or_make(format!("{owner}/{key}"), mark, || make(conn))
}
