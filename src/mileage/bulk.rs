//! A year of meetings' mileage written at once, for the Seoul-scale
//! generator: the same movements, earning rows and leaderboard totals that
//! logging each meeting would have made, credited the evening it was held.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::model::Earning;
use super::rules::{self, Activity};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::ledger::{self, Owner, Posting, Source, Unit};
use crate::period::Period;

/// Someone at a meeting.
pub struct Attended {
    pub club_id: String,
    pub meeting_id: String,
    pub held_on: NaiveDate,
    pub employee_id: String,
}

/// Earns each attendance its meeting points under the office's rule;
/// answers how many earned.
pub fn earn_meetings(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    attended: &[Attended],
    today: NaiveDate,
) -> AppResult<usize> {
    let (terms, label) =
        rules::governing(conn, settings, organization_id, Activity::Meeting, today)?;
    if terms.points == 0 || attended.is_empty() {
        return Ok(0);
    }
    let postings = attended
        .iter()
        .map(|a| {
            let at = a.held_on.and_hms_opt(11, 0, 0).expect("a time");
            let posting = Posting {
                idempotency_key: format!("mileage/meeting/{}/{}/0", a.meeting_id, a.employee_id),
                source: Source::Earning,
                source_ref: Some(a.meeting_id.clone()),
                counts_for: a.held_on,
                rule_version: Some(label.clone()),
                actor_id: None,
                reason: None,
                legs: ledger::issue(
                    organization_id,
                    Owner::Employee(a.employee_id.clone()),
                    Unit::Points,
                    terms.points,
                ),
                details: vec![("meeting".into(), a.meeting_id.clone(), terms.points)],
                learning: None,
            };
            (posting, at)
        })
        .collect();
    let movements = ledger::bulk::post_all(conn, postings)?;
    let mut totals: HashMap<(String, &'static str, &str), i64> = HashMap::new();
    let earnings: Vec<Earning> = attended
        .iter()
        .zip(&movements)
        .map(|(a, m)| {
            for period in Period::all_of(crate::clock::seoul_date(m.recorded_at)) {
                *totals
                    .entry((period.to_string(), "employee", &a.employee_id))
                    .or_default() += terms.points;
                *totals
                    .entry((period.to_string(), "club", &a.club_id))
                    .or_default() += terms.points;
            }
            Earning {
                movement_id: m.id.clone(),
                organization_id: organization_id.to_string(),
                employee_id: a.employee_id.clone(),
                activity: Activity::Meeting.code().to_string(),
                cap_pool: terms.pool.clone(),
                event_ref: a.meeting_id.clone(),
                earned_on: a.held_on,
                points: terms.points,
                reverses_id: None,
                club_id: Some(a.club_id.clone()),
            }
        })
        .collect();
    super::model::insert_earnings(conn, &earnings)?;
    super::totals::insert_totals(conn, organization_id, totals)?;
    Ok(earnings.len())
}
