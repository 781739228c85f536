//! The statistics' queries: narrow rows, grouped by the database where it
//! can, so that a city hall's year is a few thousand rows, not millions.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use diesel::dsl::count;
use diesel::prelude::*;

use crate::db::schema::{clubs, evaluation_awards, meeting_attendance, meetings, results_reports};
use crate::db::{any_of, DbConn};

/// A meeting of the office: its club's home department, the day, its
/// length and how many attended.
#[derive(Debug)]
pub struct MeetingFact {
    pub home_department_id: Option<String>,
    pub held_on: NaiveDate,
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
    pub attendees: i64,
}

/// The office's meetings held between two days (deleted ones left out),
/// in two statements: the meetings, and their attendance counted by the
/// database.
pub fn meetings_between(
    conn: &mut DbConn,
    organization_id: &str,
    (first, last): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<MeetingFact>> {
    let attendees: HashMap<String, i64> = meeting_attendance::table
        .inner_join(meetings::table.inner_join(clubs::table))
        .filter(clubs::organization_id.eq(organization_id))
        .filter(meetings::held_on.between(first, last))
        .filter(meetings::deleted_at.is_null())
        .group_by(meeting_attendance::meeting_id)
        .select((
            meeting_attendance::meeting_id,
            count(meeting_attendance::employee_id),
        ))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(meetings::table
        .inner_join(clubs::table)
        .filter(clubs::organization_id.eq(organization_id))
        .filter(meetings::held_on.between(first, last))
        .filter(meetings::deleted_at.is_null())
        .select((
            meetings::id,
            clubs::home_department_id,
            meetings::held_on,
            meetings::starts_at,
            meetings::ends_at,
        ))
        .load::<(String, Option<String>, NaiveDate, NaiveTime, NaiveTime)>(conn)?
        .into_iter()
        .map(
            |(id, home_department_id, held_on, starts_at, ends_at)| MeetingFact {
                attendees: attendees.get(&id).copied().unwrap_or(0),
                home_department_id,
                held_on,
                starts_at,
                ends_at,
            },
        )
        .collect())
}

/// The results reports of these rounds, as (round, club's home department).
pub fn results_reports_of(
    conn: &mut DbConn,
    round_ids: &[String],
) -> QueryResult<Vec<(String, Option<String>)>> {
    results_reports::table
        .inner_join(clubs::table)
        .filter(any_of(results_reports::round_id, round_ids))
        .select((results_reports::round_id, clubs::home_department_id))
        .load(conn)
}

/// A prize: (round, club's home department, tier, amount in KRW).
pub type PrizeRow = (String, Option<String>, String, i64);

/// The prizes of these rounds.
pub fn prizes_of(conn: &mut DbConn, round_ids: &[String]) -> QueryResult<Vec<PrizeRow>> {
    evaluation_awards::table
        .inner_join(clubs::table)
        .filter(any_of(evaluation_awards::round_id, round_ids))
        .select((
            evaluation_awards::round_id,
            clubs::home_department_id,
            evaluation_awards::tier,
            evaluation_awards::amount_krw,
        ))
        .load(conn)
}
