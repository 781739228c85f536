//! The home page: a person's profile, their clubs, this half's hours, the
//! year's target progress, the office's new badges and what waits for them
//! (`to_do`) — gathered from the org, clubs, ledger, badges and other
//! domains, so it lives here.

use actix_web::{web, HttpResponse};
use chrono::Datelike;

use crate::auth::csrf::CsrfToken;
use crate::auth::extractors::{load_user, SignedIn};
use crate::auth::page_context;
use crate::badges::views::FeedItem;
use crate::clock::HalfYear;
use crate::clubs::model::{self as club_model, ClubStatus};
use crate::clubs::service as club_service;
use crate::clubs::views as club_views;
use crate::error::AppResult;
use crate::http::render;
use crate::org::policy;
use crate::org::service as org_service;
use crate::state::AppState;

/// How long a new badge stays on the home page's feed.
const FEED_DAYS: i64 = 30;

pub async fn home(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let half = HalfYear::containing(today);
    let settings = state.settings.clone();
    let year = today.year();
    let now = state.clock.now_naive();
    let instant = state.clock.now();
    let claims = signed_in.claims().clone();
    let views = state.views.clone();
    // The person and everything the page shows, in one trip to the pool
    // and one snapshot.
    let (user, profile, clubs, hours, progress, feed, to_do) = state
        .read(move |conn| {
            let user = load_user(conn, &claims)?;
            let employee = &user.employee;
            let is_evaluator = user.has_role(crate::org::model::Role::Evaluator);
            let is_admin = user.has_role(crate::org::model::Role::Admin);
            let sees_office = is_admin || user.has_role(crate::org::model::Role::Coordinator);
            let office_policy = policy::of(conn, &settings, &employee.organization_id)?;
            let rules = &office_policy.clubs;
            let profile = org_service::profile(conn, employee, &user.roles)?;
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
                &employee.into(),
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
            let office_scope = if sees_office {
                Some(crate::auth::scope::department_scope(conn, &user, None)?)
            } else {
                None
            };
            let who = super::to_do::Who {
                employee,
                is_evaluator,
                is_admin,
                office_scope,
            };
            let to_do = super::to_do::gather(conn, &views, &who, &clubs, &office_policy, instant)?;
            Ok((user, profile, clubs, hours, progress, feed, to_do))
        })
        .await?;
    signed_in.admit(&user);
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("profile", &profile);
    ctx.insert("clubs", &clubs);
    ctx.insert("hours", &hours);
    ctx.insert("progress", &progress);
    ctx.insert("feed", &feed);
    ctx.insert("to_do", &to_do.reports);
    ctx.insert("to_score", &to_do.sheets);
    ctx.insert("queues", &to_do.queues);
    ctx.insert("join_requests", &to_do.join_requests);
    ctx.insert("office", &to_do.office);
    ctx.insert("year", &year);
    ctx.insert("half_label", &half.label_ko());
    ctx.insert("half", &half.to_string());
    ctx.insert("today", &today.to_string());
    render(&state, "home.html", &ctx)
}
