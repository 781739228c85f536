//! Being left out of the leaderboards: each person's choice, and a club's
//! default for its members who have not chosen. Either takes effect at
//! once (boards read it on every request) and is audited.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::model;
use crate::auth::CurrentUser;
use crate::clubs::service::ClubAccess;
use crate::db::DbConn;
use crate::error::AppResult;

/// A person's standing choice and what it comes to today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyChoice {
    /// `true` hidden, `false` shown, none: my clubs' default.
    pub hidden: Option<bool>,
    /// Whether others see me today.
    pub visible: bool,
}

pub fn mine(conn: &mut DbConn, employee_id: &str, today: chrono::NaiveDate) -> AppResult<MyChoice> {
    Ok(MyChoice {
        hidden: model::choice_of(conn, employee_id)?,
        visible: model::is_visible(conn, employee_id, today)?,
    })
}

pub fn choose(
    conn: &mut DbConn,
    employee_id: &str,
    hidden: Option<bool>,
    today: chrono::NaiveDate,
    now: NaiveDateTime,
) -> AppResult<MyChoice> {
    crate::db::write_tx(conn, |conn| {
        model::set_choice(conn, employee_id, hidden, now)?;
        crate::audit::record(
            conn,
            now,
            Some(employee_id),
            "leaderboard.choice",
            employee_id,
            serde_json::json!({ "hidden": hidden }),
        )?;
        mine(conn, employee_id, today)
    })
}

/// A club's default (its president or an administrator).
pub fn set_club_default(
    conn: &mut DbConn,
    club_id: &str,
    user: &CurrentUser,
    hidden: bool,
    now: NaiveDateTime,
) -> AppResult<bool> {
    crate::db::write_tx(conn, |conn| {
        let access = ClubAccess::load(conn, club_id, user)?;
        access.require_manager()?;
        model::set_club_default(conn, club_id, hidden, user.id(), now)?;
        crate::audit::record(
            conn,
            now,
            Some(user.id()),
            "leaderboard.club_default",
            club_id,
            serde_json::json!({ "hidden": hidden }),
        )?;
        Ok(hidden)
    })
}
