//! Recognized hours from club meetings (seed 002: at most 12 h a
//! half-year): after a half ends, an administrator reviews what each person
//! earned, what counts and what can be recognized under the cap, against
//! what was already granted, and approves the difference as ledger
//! movements — one per person, listing the meetings that make it up.
//!
//! Approving again after a correction (a meeting deleted, attendance fixed)
//! grants only the difference, or takes back the excess; two administrators
//! approving at once grant once (the movement's key names the person's
//! n-th movement of the half). A person who moved offices during the half
//! has one cap: what another office granted for it counts against it.

use crate::ledger::posting::issue;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use crate::clock::HalfYear;
use crate::clubs::hours::{self, Attended, HalfYearHours, HoursPolicy, Stint};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::ledger::model::{Owner, Source, Unit};
use crate::ledger::posting::{post, Posting};

/// One person's recognition for the half.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Line {
    pub employee_id: String,
    pub employee_no: String,
    pub name: String,
    pub department_id: Option<String>,
    #[serde(flatten)]
    pub hours: HalfYearHours,
    /// Above the cap: earned and countable, not recognized.
    pub not_recognized_minutes: i64,
    pub granted_minutes: i64,
    /// Granted for the half by another office the person was in: it counts
    /// against the same cap.
    pub granted_elsewhere_minutes: i64,
    /// What approving now would write: negative takes back an excess.
    pub to_grant_minutes: i64,
    /// The clubs whose meetings count under the cap now.
    pub clubs: Vec<String>,
    /// (meeting, minutes) under the cap now, in the order the rule takes them.
    #[serde(skip)]
    pub recognized: Vec<(String, i64)>,
    #[serde(skip)]
    granted_by_meeting: HashMap<String, i64>,
    #[serde(skip)]
    movements_so_far: usize,
}

/// One organization's half-year, under an hours rule and the label its
/// movements carry (see `rules::governing`).
#[derive(Debug, Clone)]
pub struct Scope {
    pub organization_id: String,
    pub half: HalfYear,
    pub policy: HoursPolicy,
    pub rule_version: String,
}

impl Scope {
    /// The office's half under the rule version that governs it.
    pub fn of(
        conn: &mut DbConn,
        settings: &crate::config::Settings,
        organization_id: &str,
        half: HalfYear,
    ) -> AppResult<Scope> {
        let (policy, rule_version) =
            super::rules::governing(conn, settings, organization_id, half)?;
        Ok(Scope {
            organization_id: organization_id.to_string(),
            half,
            policy,
            rule_version,
        })
    }
}

/// What an organization's grants for a half are filed under.
pub fn source_ref(organization_id: &str, half: HalfYear) -> String {
    format!("{organization_id}/{half}")
}

/// Everyone of the organization who attended a meeting in the half or was
/// granted hours for it, by employee number.
pub fn proposal(conn: &mut DbConn, scope: &Scope) -> AppResult<Vec<Line>> {
    let (organization_id, half, policy) =
        (scope.organization_id.as_str(), scope.half, scope.policy);
    let attended = crate::clubs::hours::attended(crate::clubs::model::attendance_in_office(
        conn,
        organization_id,
        half.first_day(),
        half.last_day(),
    )?);
    let stints = crate::clubs::model::stints_in_office(conn, organization_id)?;
    let own_ref = source_ref(organization_id, half);
    let granted = granted_so_far(conn, &own_ref)?;
    let elsewhere = crate::ledger::model::club_hours_elsewhere(
        conn,
        &own_ref,
        &half.to_string(),
        half.last_day(),
    )?;

    let mut attended_by: HashMap<String, Vec<Attended>> = HashMap::new();
    for (employee, meeting) in attended {
        attended_by.entry(employee).or_default().push(meeting);
    }
    let mut stints_by: HashMap<String, Vec<Stint>> = HashMap::new();
    for (employee, club_id, joined_on, left_on) in stints {
        stints_by.entry(employee).or_default().push(Stint {
            club_id,
            joined_on,
            left_on,
        });
    }
    let mut people: Vec<String> = attended_by.keys().chain(granted.keys()).cloned().collect();
    people.sort();
    people.dedup();
    let mut names: HashMap<String, (String, String, Option<String>)> =
        crate::org::model::employee_cards(conn, &people)?
            .into_iter()
            .map(|(id, no, name, department)| (id, (no, name, department)))
            .collect();

    let no_meetings = Vec::new();
    let no_stints = Vec::new();
    let mut lines: Vec<Line> = people
        .into_iter()
        .map(|id| {
            let attended = attended_by.get(&id).unwrap_or(&no_meetings);
            let stints = stints_by.get(&id).unwrap_or(&no_stints);
            let granted_elsewhere_minutes = elsewhere.get(&id).copied().unwrap_or(0);
            let policy = HoursPolicy {
                half_year_cap_minutes: (policy.half_year_cap_minutes - granted_elsewhere_minutes)
                    .max(0),
                ..policy
            };
            let hours = hours::half_year_hours(half, attended, stints, policy);
            let recognized = hours::recognized_meetings(half, attended, stints, policy);
            let so_far = granted.get(&id).cloned().unwrap_or_default();
            let granted_minutes: i64 = so_far.by_meeting.values().sum();
            let mut clubs: Vec<String> = attended
                .iter()
                .filter(|m| recognized.iter().any(|(r, _)| *r == m.meeting_id))
                .map(|m| m.club_id.clone())
                .collect();
            clubs.sort();
            clubs.dedup();
            let (no, name, department_id) = names.remove(&id).unwrap_or_default();
            Line {
                employee_no: no,
                name,
                department_id,
                not_recognized_minutes: hours.countable_minutes - hours.recognizable_minutes,
                granted_minutes,
                granted_elsewhere_minutes,
                to_grant_minutes: hours.recognizable_minutes - granted_minutes,
                hours,
                clubs,
                recognized,
                granted_by_meeting: so_far.by_meeting,
                movements_so_far: so_far.movements,
                employee_id: id,
            }
        })
        .collect();
    lines.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    Ok(lines)
}

#[derive(Debug, Clone, Default)]
struct Granted {
    movements: usize,
    by_meeting: HashMap<String, i64>,
}

/// Per person: the minutes each meeting has been granted so far for this
/// organization's half (grants, differences and reversals of them), and how
/// many movements made it.
fn granted_so_far(conn: &mut DbConn, source_ref: &str) -> AppResult<HashMap<String, Granted>> {
    let (owners, details) = crate::ledger::model::club_hours_rows(conn, source_ref)?;
    let owner_of: HashMap<String, String> = owners.into_iter().collect();
    let mut granted: HashMap<String, Granted> = HashMap::new();
    for employee in owner_of.values() {
        granted.entry(employee.clone()).or_default().movements += 1;
    }
    for (movement, meeting, minutes) in details {
        if let Some(employee) = owner_of.get(&movement) {
            *granted
                .entry(employee.clone())
                .or_default()
                .by_meeting
                .entry(meeting)
                .or_default() += minutes;
        }
    }
    Ok(granted)
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Approval {
    /// People given a movement now.
    pub people: usize,
    pub granted_minutes: i64,
    /// Minutes taken back where less is recognizable than was granted.
    pub withdrawn_minutes: i64,
    /// Who had minutes taken back now, and how many: they are told.
    #[serde(skip)]
    pub taken_back: Vec<(String, i64)>,
}

/// Writes the difference for everyone in the proposal (or only `only`), in
/// one transaction: all of it or none.
pub fn approve(
    conn: &mut DbConn,
    scope: &Scope,
    only: Option<&HashSet<String>>,
    actor_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Approval> {
    let (organization_id, half) = (scope.organization_id.as_str(), scope.half);
    if today <= half.last_day() {
        return Err(AppError::validation(
            "half",
            format!("{}가 끝난 뒤에 인정할 수 있습니다.", half.label_ko()),
        ));
    }
    let reference = source_ref(organization_id, half);
    let version = scope.rule_version.clone();
    crate::db::write_tx(conn, |conn| {
        let mut approval = Approval::default();
        for line in proposal(conn, scope)? {
            if line.to_grant_minutes == 0 || only.is_some_and(|o| !o.contains(&line.employee_id)) {
                continue;
            }
            let mut delta: BTreeMap<String, i64> = BTreeMap::new();
            for (meeting, minutes) in &line.recognized {
                *delta.entry(meeting.clone()).or_default() += minutes;
            }
            for (meeting, minutes) in &line.granted_by_meeting {
                *delta.entry(meeting.clone()).or_default() -= minutes;
            }
            let outcome = post(
                conn,
                Posting {
                    idempotency_key: format!(
                        "club-hours/{reference}/{}/{}",
                        line.employee_id, line.movements_so_far
                    ),
                    source: Source::ClubHours,
                    source_ref: Some(reference.clone()),
                    counts_for: half.last_day(),
                    rule_version: Some(version.clone()),
                    actor_id: Some(actor_id.to_string()),
                    reason: None,
                    legs: issue(
                        organization_id,
                        Owner::Employee(line.employee_id.clone()),
                        Unit::Minutes,
                        line.to_grant_minutes,
                    ),
                    details: delta
                        .into_iter()
                        .filter(|(_, m)| *m != 0)
                        .map(|(meeting, minutes)| ("meeting".to_string(), meeting, minutes))
                        .collect(),
                    learning: None,
                },
                now,
            )?;
            if outcome.is_new() {
                approval.people += 1;
                if line.to_grant_minutes > 0 {
                    approval.granted_minutes += line.to_grant_minutes;
                } else {
                    approval.withdrawn_minutes -= line.to_grant_minutes;
                    approval
                        .taken_back
                        .push((line.employee_id.clone(), -line.to_grant_minutes));
                }
            }
        }
        Ok(approval)
    })
}
