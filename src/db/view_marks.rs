//! The marks of the views kept in memory (`memo::Kept`): the database moves
//! an office's mark of a kind, or a club's, whenever anything such a view
//! is made from changes (the triggers of migrations 23, 24 and 25).

use std::any::Any;
use std::sync::Arc;

use diesel::prelude::*;

use super::schema::{board_marks, meeting_marks, view_marks};
use super::DbConn;
use crate::memo::Kept;

#[derive(Debug, Clone, Copy)]
pub enum ViewKind {
    /// An office's leaderboards of people and of clubs.
    Boards,
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
pub fn mark_of(conn: &mut DbConn, owner: &str, kind: ViewKind) -> QueryResult<i64> {
    let office_mark = |conn: &mut DbConn, code: &str| {
        view_marks::table
            .find((owner, code))
            .select(view_marks::mark)
            .first(conn)
            .optional()
    };
    let mark = match kind {
        ViewKind::Boards => board_marks::table
            .find(owner)
            .select(board_marks::mark)
            .first(conn)
            .optional()?,
        ViewKind::Reports => office_mark(conn, "reports")?,
        ViewKind::Standings => office_mark(conn, "standings")?,
        ViewKind::Clubs => office_mark(conn, "clubs")?,
        ViewKind::Meetings => meeting_marks::table
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
    let mark = mark_of(conn, owner, kind)?;
    kept.get_or_make(format!("{owner}/{key}"), mark, || make(conn))
}
