//! What other domains do in the transaction of a club's event: a regular
//! meeting attended, mileage earned at a meeting or on the board. Clubs
//! call the reactions they are handed (`AppState::reactions`); the badge
//! rules that answer them (`badges::rules::club_reactions`) are handed in
//! by `startup` and the CLI's demo, so that clubs need not import the
//! badges, which read the clubs' members and meetings.

use chrono::{NaiveDate, NaiveDateTime};

use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;

/// People of an office and the day of the event.
#[derive(Debug, Clone, Copy)]
pub struct Happened<'a> {
    pub organization_id: &'a str,
    pub people: &'a [String],
    pub on: NaiveDate,
}

/// One reaction: runs in the event's transaction; its error undoes the
/// event.
pub type Reaction = fn(&mut DbConn, &Settings, Happened<'_>, NaiveDateTime) -> AppResult<()>;

#[derive(Clone, Copy)]
pub struct Reactions {
    /// People attended a regular meeting (logged or changed).
    pub regular_meeting_attended: Reaction,
    /// People's mileage grew.
    pub mileage_earned: Reaction,
}
