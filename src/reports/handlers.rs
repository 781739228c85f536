//! The reports JSON API: a club's monthly reports, compliance, holidays.

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model;
use super::service::{self, Compliance, ReportSummary, ReportView};
use crate::auth::{Admin, CurrentUser};
use crate::clock::YearMonth;
use crate::clubs::service::ClubAccess;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::fields::{optional, parse_date, required};
use crate::http::paging::{Page, PageQuery};
use crate::org::policy;
use crate::state::AppState;

/// The club's monthly reports, newest month first.
#[utoipa::path(get, path = "/api/v1/clubs/{club_id}/reports", tag = "reports", security(("bearer" = [])),
    params(("club_id" = String, Path)), responses((status = 200, body = Page<ReportSummary>)))]
pub async fn list_reports(
    state: web::Data<AppState>,
    access: ClubAccess,
) -> AppResult<HttpResponse> {
    let (settings, now, today) = (
        state.settings.clone(),
        state.clock.now(),
        state.clock.today(),
    );
    let items = state
        .db(move |conn| {
            let rules = policy::of(conn, &settings, &access.club.organization_id)?.reports;
            service::summaries(conn, &access.club, &rules, today, now)
        })
        .await?;
    let total = items.len() as i64;
    Ok(HttpResponse::Ok().json(Page { items, total }))
}

pub async fn load_view(
    state: &web::Data<AppState>,
    access: ClubAccess,
    month: &str,
) -> AppResult<ReportView> {
    let (settings, now, today) = (
        state.settings.clone(),
        state.clock.now(),
        state.clock.today(),
    );
    let insider = access.can_log_meetings();
    let month = month.to_string();
    let mut view = state
        .db(move |conn| {
            let rules = policy::of(conn, &settings, &access.club.organization_id)?.reports;
            let month = service::check_reporting_month(&rules, &access.club, &month, today)?;
            service::view(conn, &access.club, month, &rules, now)
        })
        .await?;
    if !insider {
        view.narrative.clear(); // a draft is the club's own until submitted
    }
    Ok(view)
}

/// A month's report; answers for every reporting month, even before a draft
/// exists (`not_started`, with its due date).
#[utoipa::path(get, path = "/api/v1/clubs/{club_id}/reports/{month}", tag = "reports", security(("bearer" = [])),
    params(("club_id" = String, Path), ("month" = String, Path, description = "2026-11")),
    responses((status = 200, body = ReportView), (status = 422, body = ErrorBody)))]
pub async fn get_report(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(load_view(&state, access, &path.1).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftBody {
    pub narrative: String,
}

/// Save the report's text (the president or an administrator). After
/// submission this prepares an amendment.
#[utoipa::path(put, path = "/api/v1/clubs/{club_id}/reports/{month}", tag = "reports", security(("bearer" = [])),
    params(("club_id" = String, Path), ("month" = String, Path)), request_body = DraftBody,
    responses((status = 200, body = ReportView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_report(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    body: web::Json<DraftBody>,
) -> AppResult<HttpResponse> {
    let narrative =
        optional("narrative", "활동 내용", &body.narrative, 20_000)?.unwrap_or_default();
    let (settings, now, today) = (
        state.settings.clone(),
        state.clock.now_naive(),
        state.clock.today(),
    );
    let (for_tx, month) = (access.clone(), path.1.clone());
    state
        .tx(move |conn| {
            let rules = policy::of(conn, &settings, &for_tx.club.organization_id)?.reports;
            let month = service::check_reporting_month(&rules, &for_tx.club, &month, today)?;
            service::save_draft(conn, &for_tx, month, &narrative, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(load_view(&state, access, &path.1).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SubmitBody {
    /// Required from the second submission on (an amendment).
    pub amendment_reason: Option<String>,
}

/// Submit the report; a submitted version is frozen, and lateness is decided
/// by the first submission for good.
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/reports/{month}/submit", tag = "reports", security(("bearer" = [])),
    params(("club_id" = String, Path), ("month" = String, Path)), request_body = SubmitBody,
    responses((status = 200, body = ReportView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_report(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    body: Option<web::Json<SubmitBody>>,
) -> AppResult<HttpResponse> {
    let reason = body.and_then(|b| b.into_inner().amendment_reason);
    let reason = optional(
        "amendment_reason",
        "수정 사유",
        reason.as_deref().unwrap_or(""),
        1000,
    )?;
    let (settings, now, today) = (
        state.settings.clone(),
        state.clock.now(),
        state.clock.today(),
    );
    let (for_tx, month) = (access.clone(), path.1.clone());
    state
        .tx(move |conn| {
            let rules = policy::of(conn, &settings, &for_tx.club.organization_id)?.reports;
            let month = service::check_reporting_month(&rules, &for_tx.club, &month, today)?;
            service::submit(
                conn,
                &settings,
                &for_tx,
                month,
                &rules,
                reason.as_deref(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(load_view(&state, access, &path.1).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ComplianceQuery {
    /// `2026-11`; default: last month.
    pub month: Option<String>,
    /// A department code: its clubs and those of the departments below it.
    pub department: Option<String>,
    /// Only clubs in this state: `on_time`, `late`, `missing`, `draft` or
    /// `not_started`.
    pub state: Option<String>,
}

/// The compliance view for the query; `window` is one page of the rows
/// (the CSV takes them all).
pub async fn load_compliance(
    state: &web::Data<AppState>,
    user: CurrentUser,
    query: &ComplianceQuery,
    window: Option<(i64, i64)>,
) -> AppResult<Arc<Compliance>> {
    let only = match query
        .state
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => Some(service::ReportState::parse(code).ok_or_else(|| {
            AppError::validation(
                "state",
                "상태는 on_time, late, missing, draft, not_started 중 하나입니다.",
            )
        })?),
    };
    let month = match query
        .month
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(m) => YearMonth::parse(m)
            .ok_or_else(|| AppError::validation("month", "월은 2026-11 형식이어야 합니다."))?,
        None => YearMonth::of(state.clock.today()).previous(),
    };
    let department = query.department.clone();
    let (settings, now) = (state.settings.clone(), state.clock.now());
    let (views, pages) = (state.views.clone(), state.pages.clone());
    state
        .db(move |conn| {
            let scope = crate::auth::scope::department_scope(conn, &user, department.as_deref())?;
            let organization_id = &user.employee.organization_id;
            let rules = policy::of(conn, &settings, organization_id)?.reports;
            let scope = scope.as_ref();
            match window {
                Some(window) => service::kept_compliance(
                    conn,
                    (&views, &pages),
                    organization_id,
                    &rules,
                    month,
                    scope,
                    only,
                    window,
                    now,
                ),
                None => {
                    let ask = (month, scope, only);
                    service::compliance(conn, &views, organization_id, &rules, ask, now)
                        .map(Arc::new)
                }
            }
        })
        .await
}

/// Each club's report state for a month (administrators; coordinators for
/// their department).
#[utoipa::path(get, path = "/api/v1/reports/compliance", tag = "reports", security(("bearer" = [])),
    params(ComplianceQuery, PageQuery), responses((status = 200, body = Compliance), (status = 403, body = ErrorBody)))]
pub async fn get_compliance(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ComplianceQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let window = paging.window()?;
    let view = load_compliance(&state, user, &query, Some(window)).await?;
    Ok(HttpResponse::Ok().json(view.as_ref()))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Holiday {
    /// `2026-12-25`.
    pub day: String,
    pub name: String,
}

/// The holiday calendar used to shift due dates (when enabled).
#[utoipa::path(get, path = "/api/v1/holidays", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = Page<Holiday>)))]
pub async fn list_holidays(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let items: Vec<Holiday> = state
        .db(move |conn| Ok(model::list_holidays(conn, &user.employee.organization_id)?))
        .await?
        .into_iter()
        .map(|(day, name)| Holiday {
            day: day.to_string(),
            name,
        })
        .collect();
    let total = items.len() as i64;
    Ok(HttpResponse::Ok().json(Page { items, total }))
}

/// Add a holiday (administrators).
#[utoipa::path(post, path = "/api/v1/holidays", tag = "reports", security(("bearer" = [])), request_body = Holiday,
    responses((status = 201), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_holiday(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<Holiday>,
) -> AppResult<HttpResponse> {
    let day = parse_date("day", &body.day)?;
    let name = required("name", "휴일 이름", &body.name, 50)?;
    let now = state.clock.now_naive();
    state
        .db(move |conn| {
            let organization_id = &admin.0.employee.organization_id;
            Ok(model::add_holiday(conn, organization_id, day, &name, now)?)
        })
        .await?;
    Ok(HttpResponse::Created().finish())
}

/// Remove a holiday (administrators).
#[utoipa::path(delete, path = "/api/v1/holidays/{day}", tag = "reports", security(("bearer" = [])),
    params(("day" = String, Path, description = "2026-12-25")), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove_holiday(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let day: NaiveDate = parse_date("day", &path)?;
    let removed = state
        .db(move |conn| {
            let organization_id = &admin.0.employee.organization_id;
            Ok(model::remove_holiday(conn, organization_id, day)?)
        })
        .await?;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::NoContent().finish())
}
