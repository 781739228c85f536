//! The hours recognition's API: a half-year's proposal, its preview under
//! another rule, its approval, and the club-hours rule's versions.

use std::collections::HashSet;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rules::{self, HoursRule, RuleInput};
use super::service::{self, Approval, Line, Scope};
use crate::auth::extractors::Admin;
use crate::clock::HalfYear;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::paging::{Page, PageQuery};
use crate::state::AppState;

fn half_of(text: &str) -> AppResult<HalfYear> {
    HalfYear::parse(text).ok_or_else(|| AppError::validation("half", "반기는 2026H1 형식입니다."))
}

/// The administrator's organization and half, under its hours rule.
pub(super) fn scope_of(
    conn: &mut crate::db::DbConn,
    settings: &crate::config::Settings,
    admin: &Admin,
    half: HalfYear,
) -> AppResult<Scope> {
    Scope::of(conn, settings, &admin.0.employee.organization_id, half)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RecognitionQuery {
    /// Only this department (its code).
    pub department: Option<String>,
    /// Only people who attended this club's meetings.
    pub club: Option<String>,
    /// Only people with something to grant or take back.
    pub pending: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionView {
    pub half: String,
    pub rule_version: String,
    pub cap_minutes: i64,
    pub to_grant_minutes: i64,
    pub people: Page<Line>,
}

/// The hours recognition of a half-year (administrators): for everyone who
/// attended a meeting or was granted hours, earned, countable,
/// recognizable, not recognized (above the cap), granted and to grant now.
#[utoipa::path(get, path = "/api/v1/ledger/recognition/{half}", tag = "ledger", security(("bearer" = [])),
    params(("half" = String, Path, description = "2026H1"), RecognitionQuery, PageQuery),
    responses((status = 200, body = RecognitionView)))]
pub async fn get_recognition(
    state: web::Data<AppState>,
    admin: Admin,
    half: web::Path<String>,
    query: web::Query<RecognitionQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let (offset, limit) = paging.window()?;
    let settings = state.settings.clone();
    let query = query.into_inner();
    let view = state
        .db(move |conn| {
            let scope = scope_of(conn, &settings, &admin, half)?;
            let department = crate::org::service::department_id_for(
                conn,
                &scope.organization_id,
                query.department.as_deref(),
            )?;
            let lines: Vec<Line> = service::proposal(conn, &scope)?
                .into_iter()
                .filter(|l| department.is_none() || l.department_id == department)
                .filter(|l| query.club.as_ref().is_none_or(|c| l.clubs.contains(c)))
                .filter(|l| !query.pending.unwrap_or(false) || l.to_grant_minutes != 0)
                .collect();
            Ok(RecognitionView {
                half: half.to_string(),
                rule_version: scope.rule_version.clone(),
                cap_minutes: scope.policy.half_year_cap_minutes,
                to_grant_minutes: lines.iter().map(|l| l.to_grant_minutes).sum(),
                people: Page {
                    total: lines.len() as i64,
                    items: lines
                        .into_iter()
                        .skip(offset as usize)
                        .take(limit as usize)
                        .collect(),
                },
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PreviewQuery {
    /// The half-year cap to try, in whole hours.
    pub cap_hours: i64,
    /// Whether ad hoc meetings would count.
    #[serde(default)]
    pub count_ad_hoc: bool,
}

/// One person whose recognition a rule would change.
#[derive(Debug, Serialize, ToSchema)]
pub struct Change {
    pub employee_id: String,
    pub employee_no: String,
    pub name: String,
    pub granted_minutes: i64,
    /// Recognizable under the rule tried.
    pub would_be_minutes: i64,
    /// Positive: gains; negative: loses.
    pub difference_minutes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewView {
    pub half: String,
    pub current_rule: String,
    pub tried_rule: String,
    pub gains: usize,
    pub losses: usize,
    pub net_minutes: i64,
    /// The largest changes first.
    pub people: Page<Change>,
}

/// The half replayed under `tried` against what was granted: the changes,
/// the largest first, one page of them.
pub fn preview_of(
    conn: &mut crate::db::DbConn,
    settings: &crate::config::Settings,
    admin: &Admin,
    half: HalfYear,
    tried: crate::clubs::hours::HoursPolicy,
    (offset, limit): (i64, i64),
) -> AppResult<PreviewView> {
    let current = scope_of(conn, settings, admin, half)?;
    let scope = Scope {
        policy: tried,
        rule_version: rules::label(tried),
        ..current.clone()
    };
    let mut changes: Vec<Change> = service::proposal(conn, &scope)?
        .into_iter()
        .filter(|l| l.to_grant_minutes != 0)
        .map(|l| Change {
            employee_id: l.employee_id,
            employee_no: l.employee_no,
            name: l.name,
            granted_minutes: l.granted_minutes,
            would_be_minutes: l.hours.recognizable_minutes,
            difference_minutes: l.to_grant_minutes,
        })
        .collect();
    changes.sort_by(|a, b| {
        b.difference_minutes
            .abs()
            .cmp(&a.difference_minutes.abs())
            .then_with(|| a.employee_no.cmp(&b.employee_no))
    });
    Ok(PreviewView {
        half: half.to_string(),
        current_rule: current.rule_version,
        tried_rule: scope.rule_version,
        gains: changes.iter().filter(|c| c.difference_minutes > 0).count(),
        losses: changes.iter().filter(|c| c.difference_minutes < 0).count(),
        net_minutes: changes.iter().map(|c| c.difference_minutes).sum(),
        people: Page {
            total: changes.len() as i64,
            items: changes
                .into_iter()
                .skip(offset as usize)
                .take(limit as usize)
                .collect(),
        },
    })
}

/// Replays a half already recognized under another rule, as a preview:
/// who would gain, who would lose, and by how much against what was
/// granted. Nothing is written; to apply it, add a rule version from a date
/// that covers the half and approve the half again (differences only).
#[utoipa::path(get, path = "/api/v1/ledger/recognition/{half}/preview", tag = "ledger", security(("bearer" = [])),
    params(("half" = String, Path, description = "2026H1"), PreviewQuery, PageQuery),
    responses((status = 200, body = PreviewView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn preview_recognition(
    state: web::Data<AppState>,
    admin: Admin,
    half: web::Path<String>,
    query: web::Query<PreviewQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let (offset, limit) = paging.window()?;
    let tried = crate::clubs::hours::HoursPolicy {
        half_year_cap_minutes: rules::cap_minutes(query.cap_hours)?,
        count_ad_hoc: query.count_ad_hoc,
    };
    let settings = state.settings.clone();
    let view = state
        .db(move |conn| preview_of(conn, &settings, &admin, half, tried, (offset, limit)))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The office's club-hours rule versions, the latest first (administrators).
#[utoipa::path(get, path = "/api/v1/ledger/hours-rules", tag = "ledger", security(("bearer" = [])),
    responses((status = 200, body = [HoursRule]), (status = 403, body = ErrorBody)))]
pub async fn list_hours_rules(state: web::Data<AppState>, admin: Admin) -> AppResult<HttpResponse> {
    let organization_id = admin.0.employee.organization_id.clone();
    let versions = state
        .db(move |conn| Ok(super::model::hours_rules_of(conn, &organization_id)?))
        .await?;
    Ok(HttpResponse::Ok().json(versions))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HoursRuleBody {
    /// The first day it governs: a half is recognized under the latest
    /// version starting on or before its first day.
    pub valid_from: String,
    pub half_year_cap_hours: i64,
    pub count_ad_hoc: bool,
    pub reason: String,
}

/// Adds a club-hours rule version (administrators; audited). Halves it
/// covers that were granted already show the differences in their
/// recognition, approved like any other.
#[utoipa::path(post, path = "/api/v1/ledger/hours-rules", tag = "ledger", security(("bearer" = [])),
    request_body = HoursRuleBody,
    responses((status = 201, body = HoursRule), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_hours_rule(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<HoursRuleBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let rule = state
        .tx(move |conn| {
            rules::add_version(
                conn,
                &admin.0.employee.organization_id,
                &RuleInput {
                    valid_from: &body.valid_from,
                    half_year_cap_hours: body.half_year_cap_hours,
                    count_ad_hoc: body.count_ad_hoc,
                    reason: &body.reason,
                },
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(rule))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApproveBody {
    /// Only these employees (ids); everyone when absent.
    pub employee_ids: Option<Vec<String>>,
}

/// Approve a half's recognition (administrators): one ledger movement per
/// person with something to grant or take back, listing the meetings; all
/// or none. Approving again writes only what changed since.
#[utoipa::path(post, path = "/api/v1/ledger/recognition/{half}/approve", tag = "ledger", security(("bearer" = [])),
    params(("half" = String, Path, description = "2026H1")), request_body = ApproveBody,
    responses((status = 200, body = Approval), (status = 422, body = crate::error::ErrorBody)))]
pub async fn approve_recognition(
    state: web::Data<AppState>,
    admin: Admin,
    half: web::Path<String>,
    body: web::Json<ApproveBody>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let st = state.clone();
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let only: Option<HashSet<String>> = body
        .into_inner()
        .employee_ids
        .map(|ids| ids.into_iter().collect());
    let approval = state
        .bulk_tx(move |conn| approve_audited(conn, &st, &admin, half, only.as_ref(), today, now))
        .await?;
    Ok(HttpResponse::Ok().json(approval))
}

/// Approves the half for the administrator's organization and records who
/// did, with what result, in the audit trail.
pub(super) fn approve_audited(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    admin: &Admin,
    half: HalfYear,
    only: Option<&HashSet<String>>,
    today: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> AppResult<Approval> {
    let scope = scope_of(conn, &state.settings, admin, half)?;
    let approval = service::approve(conn, &scope, only, admin.0.id(), today, now)?;
    crate::audit::record(
        conn,
        now,
        Some(admin.0.id()),
        "ledger.recognition.approve",
        &service::source_ref(&scope.organization_id, half),
        serde_json::to_value(&approval).unwrap_or_default(),
    )?;
    for (employee_id, minutes) in &approval.taken_back {
        crate::ledger::notices::tell_take_back(
            conn,
            &state.templates,
            &state.settings,
            employee_id,
            *minutes,
            half,
            &scope.rule_version,
            now,
        )?;
    }
    Ok(approval)
}
