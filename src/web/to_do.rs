//! What waits for a person, for the home page: a president's monthly
//! reports still owed and join requests to decide, an evaluator's score
//! sheets left in the rounds open for scoring, an administrator's queues
//! (club proposals, voucher redemptions, mileage conversions), and for
//! administrators and coordinators the office at a glance (last month's
//! reports, rounds in progress). Each is read only for those who have the
//! role, so a member's home page costs nothing more.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::clubs::model::{self as club_model, ClubStatus};
use crate::clubs::views::ClubSummary;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::memo::Kept;
use crate::org::model::Employee;
use crate::org::policy::Policy;

/// Whose to-dos, and in which roles.
pub struct Who<'a> {
    pub employee: &'a Employee,
    pub is_evaluator: bool,
    pub is_admin: bool,
    /// For an administrator or a coordinator, the departments they see
    /// (None inside: the whole office); None for anyone else.
    pub office_scope: Option<Option<HashSet<String>>>,
}

#[derive(Serialize)]
pub struct ToDo {
    pub reports: Vec<ReportsOwed>,
    pub sheets: Vec<SheetsLeft>,
    /// Clubs the person leads with join requests waiting.
    pub join_requests: Vec<JoinRequestsWaiting>,
    /// None when nothing waits.
    pub queues: Option<OfficeQueues>,
    pub office: Option<OfficeGlance>,
}

#[derive(Serialize)]
pub struct JoinRequestsWaiting {
    club: ClubSummary,
    waiting: i64,
}

/// Last month's reports by state, and the rounds not yet confirmed.
#[derive(Serialize)]
pub struct OfficeGlance {
    month: String,
    month_label: String,
    on_time: usize,
    late: usize,
    missing: usize,
    not_submitted: usize,
    rounds: Vec<RoundInProgress>,
}

#[derive(Serialize)]
pub struct RoundInProgress {
    id: String,
    title: String,
    phase: &'static str,
}

/// The to-dos of `who`, whose active clubs are `clubs`, at `now`.
pub fn gather(
    conn: &mut DbConn,
    views: &Kept,
    who: &Who<'_>,
    clubs: &[ClubSummary],
    policy: &Policy,
    now: DateTime<Utc>,
) -> AppResult<ToDo> {
    let employee = who.employee;
    let today = crate::clock::seoul_date(now.naive_utc());
    let mut reports = Vec::new();
    let mut join_requests = Vec::new();
    let led = clubs
        .iter()
        .filter(|c| c.president.as_ref().is_some_and(|p| p.id == employee.id));
    for summary in led {
        let club = club_model::club_by_id(conn, &summary.id)?;
        let owed = crate::reports::service::owed(conn, &club, &policy.reports, today, now)?;
        if !owed.is_empty() {
            reports.push(ReportsOwed {
                club: summary.clone(),
                owed,
            });
        }
        let waiting = club_model::pending_request_count(conn, &club.id)?;
        if waiting > 0 {
            join_requests.push(JoinRequestsWaiting {
                club: summary.clone(),
                waiting,
            });
        }
    }
    let sheets = if who.is_evaluator {
        sheets_to_score(
            conn,
            &employee.organization_id,
            &employee.id,
            now.naive_utc(),
        )?
    } else {
        Vec::new()
    };
    let queues = if who.is_admin {
        Some(office_queues(conn, &employee.organization_id)?).filter(OfficeQueues::any)
    } else {
        None
    };
    let office = match &who.office_scope {
        Some(scope) => Some(office_glance(
            conn,
            views,
            &employee.organization_id,
            scope.as_ref(),
            policy,
            now,
        )?),
        None => None,
    };
    Ok(ToDo {
        reports,
        sheets,
        join_requests,
        queues,
        office,
    })
}

fn office_glance(
    conn: &mut DbConn,
    views: &Kept,
    organization_id: &str,
    departments: Option<&HashSet<String>>,
    policy: &Policy,
    now: DateTime<Utc>,
) -> AppResult<OfficeGlance> {
    use crate::clock::YearMonth;
    use crate::reports::service::{self as reports, ReportState};
    let month = YearMonth::of(crate::clock::seoul_date(now.naive_utc())).previous();
    let totals = reports::compliance_totals(
        conn,
        Some(views),
        organization_id,
        &policy.reports,
        month,
        departments,
        now,
    )?;
    let count = |state: ReportState| totals.get(&state).copied().unwrap_or(0);
    let rounds = crate::evaluation::model::all_rounds(conn, organization_id)?
        .into_iter()
        .filter(|r| r.confirmed_at.is_none())
        .map(|r| RoundInProgress {
            phase: crate::evaluation::service::phase(&r, now.naive_utc()).label_ko(),
            id: r.id,
            title: r.title,
        })
        .collect();
    Ok(OfficeGlance {
        month: month.to_string(),
        month_label: month.label_ko(),
        on_time: count(ReportState::OnTime),
        late: count(ReportState::Late),
        missing: count(ReportState::Missing),
        not_submitted: count(ReportState::Draft) + count(ReportState::NotStarted),
        rounds,
    })
}

/// A club the person leads and the monthly reports it still owes.
#[derive(Serialize)]
pub struct ReportsOwed {
    club: ClubSummary,
    owed: Vec<crate::reports::service::Owed>,
}

/// A round open for scoring and the evaluator's sheets left in it.
#[derive(Serialize)]
pub struct SheetsLeft {
    round_id: String,
    title: String,
    left: usize,
    /// When scoring closes, Seoul time.
    until: String,
}

/// The rounds now open for scoring in which the evaluator has sheets left.
fn sheets_to_score(
    conn: &mut DbConn,
    organization_id: &str,
    evaluator_id: &str,
    now: NaiveDateTime,
) -> AppResult<Vec<SheetsLeft>> {
    use crate::evaluation::{model, service};
    let mut out = Vec::new();
    for round in model::all_rounds(conn, organization_id)? {
        if !service::scoring_open(&round, now) {
            continue;
        }
        let left = model::live_assignments_of(conn, &round.id, evaluator_id)?
            .iter()
            .filter(|a| a.scored_at.is_none())
            .count();
        if left > 0 {
            out.push(SheetsLeft {
                round_id: round.id,
                title: round.title,
                left,
                until: crate::format::seoul_datetime(round.score_until),
            });
        }
    }
    Ok(out)
}

/// What waits for an administrator's decision.
#[derive(Serialize)]
pub struct OfficeQueues {
    clubs_proposed: i64,
    redemptions_held: i64,
    conversions_pending: i64,
}

impl OfficeQueues {
    fn any(&self) -> bool {
        self.clubs_proposed + self.redemptions_held + self.conversions_pending > 0
    }
}

fn office_queues(conn: &mut DbConn, organization_id: &str) -> AppResult<OfficeQueues> {
    let proposed = club_model::ClubFilter {
        organization_id: Some(organization_id.to_string()),
        status: Some(ClubStatus::Proposed),
        ..Default::default()
    };
    let held = crate::vouchers::redemption::RedemptionStatus::Held;
    let pending = crate::mileage::conversion::ConversionStatus::Pending;
    Ok(OfficeQueues {
        clubs_proposed: club_model::list_clubs(conn, &proposed, 0, 0)?.1,
        redemptions_held: crate::vouchers::model::queue(conn, organization_id, held.code(), 0, 0)?
            .1,
        conversions_pending: crate::mileage::model::conversion_queue(
            conn,
            organization_id,
            pending.code(),
            0,
            0,
        )?
        .1,
    })
}
