//! The mileage API: my mileage and conversions; the office's rules and
//! conversion queue (administrators).

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::conversion::{self, ConversionStatus, ConversionView, Converter};
use super::model::{self, ConversionRule, MileageRule};
use super::rules::{self, ConversionRuleInput, InEffect, RuleInput};
use super::summary::{self, MileageSummary};
use crate::auth::{Admin, CurrentUser};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::paging::{Page, PageQuery};
use crate::state::AppState;

/// My mileage: accumulated and spendable points, this half's pools against
/// their caps, the conversion rule and what I can convert now, and my
/// latest conversions. The entries themselves: `/api/v1/me/ledger?unit=points`.
#[utoipa::path(get, path = "/api/v1/me/mileage", tag = "mileage", security(("bearer" = [])),
    responses((status = 200, body = MileageSummary), (status = 401, body = ErrorBody)))]
pub async fn my_mileage(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let st = state.clone();
    let summary = state
        .db(move |conn| {
            summary::of_person(
                conn,
                &st.settings,
                &user.employee.organization_id,
                &user.employee.id,
                today,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(summary))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConversionBody {
    /// Whole hours to convert.
    pub hours: i64,
}

/// Convert mileage into 상시학습 hours: at once (201, `approved`), or held
/// for an administrator's approval (201, `pending`) when the office's rule
/// says so. 422 naming `hours` past the balance or the yearly cap; 409 when
/// a conversion is already waiting.
#[utoipa::path(post, path = "/api/v1/me/mileage/conversions", tag = "mileage", security(("bearer" = [])),
    request_body = ConversionBody,
    responses((status = 201, body = ConversionView), (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn convert(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ConversionBody>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let st = state.clone();
    let conversion = state
        .tx(move |conn| {
            conversion::request(
                conn,
                &st.settings,
                &Converter {
                    organization_id: &user.employee.organization_id,
                    employee_id: &user.employee.id,
                },
                body.hours,
                today,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(ConversionView::from(conversion)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `pending` (default), `approved` or `refused`.
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedConversion {
    #[serde(flatten)]
    pub conversion: ConversionView,
    pub employee_no: String,
    pub employee_name: String,
}

/// The office's conversions in one status (administrators), oldest first.
#[utoipa::path(get, path = "/api/v1/mileage/conversions", tag = "mileage", security(("bearer" = [])),
    params(QueueQuery, PageQuery),
    responses((status = 200, body = Page<QueuedConversion>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn conversion_queue(
    state: web::Data<AppState>,
    admin: Admin,
    query: web::Query<QueueQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let status = match query.status.as_deref() {
        None | Some("") => ConversionStatus::Pending,
        Some(s) => ConversionStatus::parse(s).ok_or_else(|| {
            AppError::validation("status", "status is pending, approved or refused")
        })?,
    };
    let page = state
        .db(move |conn| {
            queue_page(
                conn,
                &admin.0.employee.organization_id,
                status,
                offset,
                limit,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

pub fn queue_page(
    conn: &mut crate::db::DbConn,
    organization_id: &str,
    status: ConversionStatus,
    offset: i64,
    limit: i64,
) -> AppResult<Page<QueuedConversion>> {
    let (rows, total) =
        model::conversion_queue(conn, organization_id, status.code(), offset, limit)?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|(c, employee_no, employee_name)| QueuedConversion {
                conversion: c.into(),
                employee_no,
                employee_name,
            })
            .collect(),
        total,
    })
}

/// Approve a waiting conversion (administrators): the hours are granted.
#[utoipa::path(post, path = "/api/v1/mileage/conversions/{id}/approve", tag = "mileage", security(("bearer" = [])),
    params(("id" = String, Path, description = "the conversion")),
    responses((status = 200, body = ConversionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let conversion = state
        .tx(move |conn| {
            conversion::approve(
                conn,
                &id,
                &admin.0.employee.organization_id,
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(ConversionView::from(conversion)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefusalBody {
    pub reason: String,
}

/// Refuse a waiting conversion with a reason (administrators): the held
/// points go back to the person, who is told why.
#[utoipa::path(post, path = "/api/v1/mileage/conversions/{id}/refuse", tag = "mileage", security(("bearer" = [])),
    params(("id" = String, Path, description = "the conversion")), request_body = RefusalBody,
    responses((status = 200, body = ConversionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn refuse(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<RefusalBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let conversion = state
        .tx(move |conn| refuse_and_tell(conn, &st, &admin, &id, &body.reason, now))
        .await?;
    Ok(HttpResponse::Ok().json(ConversionView::from(conversion)))
}

/// Refuses and mails the person the refund with the reason.
pub fn refuse_and_tell(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    admin: &Admin,
    id: &str,
    reason: &str,
    now: chrono::NaiveDateTime,
) -> AppResult<model::Conversion> {
    let (conversion, refund) = conversion::refuse(
        conn,
        id,
        &admin.0.employee.organization_id,
        admin.0.id(),
        reason,
        now,
    )?;
    let hold = crate::ledger::model::movement_by_id(conn, &conversion.hold_movement_id)?;
    crate::ledger::notices::tell_reversal(
        conn,
        &state.templates,
        &state.settings,
        &refund,
        &hold,
        now,
    )?;
    Ok(conversion)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleBook {
    /// Each activity's rule in effect today.
    pub in_effect: Vec<InEffect>,
    pub conversion: rules::ConversionTerms,
    /// Every version the office added, latest first.
    pub versions: Vec<MileageRule>,
    pub conversion_versions: Vec<ConversionRule>,
}

pub fn rule_book(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    organization_id: &str,
    today: chrono::NaiveDate,
) -> AppResult<RuleBook> {
    Ok(RuleBook {
        in_effect: rules::in_effect(conn, &state.settings, organization_id, today)?,
        conversion: rules::conversion_terms(conn, &state.settings, organization_id, today)?,
        versions: model::rules_of(conn, organization_id)?,
        conversion_versions: model::conversion_rules_of(conn, organization_id)?,
    })
}

/// The office's mileage rules (administrators): in effect today, and every
/// version.
#[utoipa::path(get, path = "/api/v1/mileage/rules", tag = "mileage", security(("bearer" = [])),
    responses((status = 200, body = RuleBook), (status = 403, body = ErrorBody)))]
pub async fn list_rules(state: web::Data<AppState>, admin: Admin) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let st = state.clone();
    let book = state
        .db(move |conn| rule_book(conn, &st, &admin.0.employee.organization_id, today))
        .await?;
    Ok(HttpResponse::Ok().json(book))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RuleBody {
    /// `post`, `comment`, `meeting`, `report_on_time`, `prize_grand`,
    /// `prize_excellent`, `prize_encouragement`, `top_contributor`, `badge`.
    pub activity: String,
    /// From this day on (today or later).
    pub valid_from: String,
    pub points: i64,
    pub daily_limit: Option<i32>,
    /// Activities of one pool share its half-year cap (default: alone).
    pub pool: Option<String>,
    pub half_year_cap: Option<i64>,
    pub reason: String,
}

/// Add a version of an activity's earning rule (administrators; audited).
#[utoipa::path(post, path = "/api/v1/mileage/rules", tag = "mileage", security(("bearer" = [])),
    request_body = RuleBody,
    responses((status = 201, body = MileageRule), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_rule(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<RuleBody>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let rule = state
        .tx(move |conn| {
            rules::add_version(
                conn,
                &admin.0.employee.organization_id,
                &RuleInput {
                    activity: &body.activity,
                    valid_from: &body.valid_from,
                    points: body.points,
                    daily_limit: body.daily_limit,
                    pool: body.pool.as_deref(),
                    half_year_cap: body.half_year_cap,
                    reason: &body.reason,
                },
                admin.0.id(),
                today,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(rule))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConversionRuleBody {
    pub valid_from: String,
    pub points_per_hour: i64,
    pub yearly_cap_hours: i64,
    pub needs_approval: bool,
    pub reason: String,
}

/// Add a version of the conversion rule (administrators; audited).
#[utoipa::path(post, path = "/api/v1/mileage/conversion-rules", tag = "mileage", security(("bearer" = [])),
    request_body = ConversionRuleBody,
    responses((status = 201, body = ConversionRule), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_conversion_rule(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<ConversionRuleBody>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let rule = state
        .tx(move |conn| {
            rules::add_conversion_version(
                conn,
                &admin.0.employee.organization_id,
                &ConversionRuleInput {
                    valid_from: &body.valid_from,
                    points_per_hour: body.points_per_hour,
                    yearly_cap_hours: body.yearly_cap_hours,
                    needs_approval: body.needs_approval,
                    reason: &body.reason,
                },
                admin.0.id(),
                today,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(rule))
}
