//! The home page: a person's profile, their clubs, this half's hours, the
//! year's target progress, the office's new badges and, for a president,
//! the monthly reports still owed — gathered from the org, clubs, ledger,
//! reports and badges domains, so it lives here.

use actix_web::{web, HttpResponse};
use chrono::Datelike;

use crate::auth::csrf::CsrfToken;
use crate::auth::extractors::CurrentUser;
use crate::badges::views::FeedItem;
use crate::clock::HalfYear;
use crate::clubs::model::{self as club_model, ClubStatus};
use crate::clubs::service as club_service;
use crate::clubs::views as club_views;
use crate::error::AppResult;
use crate::org::policy;
use crate::org::service as org_service;
use crate::state::AppState;
use crate::web::{page_context, render};

/// A club the person leads and the monthly reports it still owes.
#[derive(serde::Serialize)]
struct ReportsOwed {
    club: club_views::ClubSummary,
    owed: Vec<crate::reports::service::Owed>,
}

/// A round open for scoring and the evaluator's sheets left in it.
#[derive(serde::Serialize)]
struct SheetsLeft {
    round_id: String,
    title: String,
    left: usize,
    /// When scoring closes, Seoul time.
    until: String,
}

/// The rounds now open for scoring in which the evaluator has sheets left.
fn sheets_to_score(
    conn: &mut crate::db::DbConn,
    organization_id: &str,
    evaluator_id: &str,
    now: chrono::NaiveDateTime,
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
#[derive(serde::Serialize)]
struct OfficeQueues {
    clubs_proposed: i64,
    redemptions_held: i64,
    conversions_pending: i64,
}

impl OfficeQueues {
    fn any(&self) -> bool {
        self.clubs_proposed + self.redemptions_held + self.conversions_pending > 0
    }
}

fn office_queues(conn: &mut crate::db::DbConn, organization_id: &str) -> AppResult<OfficeQueues> {
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

/// How long a new badge stays on the home page's feed.
const FEED_DAYS: i64 = 30;

pub async fn home(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let half = HalfYear::containing(today);
    let settings = state.settings.clone();
    let (employee, roles) = (user.employee.clone(), user.roles.clone());
    let year = today.year();
    let now = state.clock.now_naive();
    let instant = state.clock.now();
    let is_evaluator = user.has_role(crate::org::model::Role::Evaluator);
    let is_admin = user.has_role(crate::org::model::Role::Admin);
    let (profile, clubs, hours, progress, feed, to_do, to_score, queues) = state
        .db(move |conn| {
            let office_policy = policy::of(conn, &settings, &employee.organization_id)?;
            let rules = &office_policy.clubs;
            let profile = org_service::profile(conn, &employee, &roles)?;
            let clubs = club_model::clubs_of_member(conn, &employee.id, ClubStatus::Active, 50)?;
            let clubs = club_views::club_summaries(conn, clubs, today)?;
            let mut hours = club_service::hours_for(
                conn,
                std::slice::from_ref(&employee.id),
                half,
                crate::clubs::hours::HoursPolicy::of(rules),
            )?;
            let hours: club_views::HoursView = hours
                .remove(&employee.id)
                .map(|h| h.total)
                .expect("hours for the employee")
                .into();
            let progress = crate::ledger::progress::of_person(
                conn,
                &(&employee).into(),
                profile.annual_target_hours.map(|h| i64::from(h) * 60),
                year,
            )?;
            let links = crate::badges::links::Links::new(&settings);
            let feed: Vec<FeedItem> = crate::badges::model::feed(
                conn,
                &employee.organization_id,
                &employee.id,
                now - chrono::Duration::days(FEED_DAYS),
                8,
            )?
            .iter()
            .map(|row| FeedItem::of(&links, row, &employee.id))
            .collect();
            let led: Vec<&club_views::ClubSummary> = clubs
                .iter()
                .filter(|c| c.president.as_ref().is_some_and(|p| p.id == employee.id))
                .collect();
            let mut to_do = Vec::new();
            for summary in led {
                let club = club_model::club_by_id(conn, &summary.id)?;
                let reports = &office_policy.reports;
                let owed = crate::reports::service::owed(conn, &club, reports, today, instant)?;
                if !owed.is_empty() {
                    to_do.push(ReportsOwed {
                        club: summary.clone(),
                        owed,
                    });
                }
            }
            let to_score = if is_evaluator {
                sheets_to_score(conn, &employee.organization_id, &employee.id, now)?
            } else {
                Vec::new()
            };
            let queues = if is_admin {
                Some(office_queues(conn, &employee.organization_id)?).filter(OfficeQueues::any)
            } else {
                None
            };
            Ok((
                profile, clubs, hours, progress, feed, to_do, to_score, queues,
            ))
        })
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("profile", &profile);
    ctx.insert("clubs", &clubs);
    ctx.insert("hours", &hours);
    ctx.insert("progress", &progress);
    ctx.insert("feed", &feed);
    ctx.insert("to_do", &to_do);
    ctx.insert("to_score", &to_score);
    ctx.insert("queues", &queues);
    ctx.insert("year", &year);
    ctx.insert("half_label", &half.label_ko());
    ctx.insert(
        "today",
        &state
            .clock
            .now_seoul()
            .format("%Y년 %-m월 %-d일")
            .to_string(),
    );
    render(&state, "home.html", &ctx)
}
