//! The ledger's API: a person's statement and target progress, the
//! office's progress, and administrators' adjustments.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{self, AccountRef, Owner, Source, Unit};
use super::posting::issue;
use super::progress::{self, Progress, Summary};
use crate::auth::extractors::{Admin, CurrentUser};
use crate::auth::scope::department_scope;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::fields::{parse_date, required, year_of};
use crate::http::paging::{Page, PageQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatementQuery {
    /// `hours` (minutes), `points`, `vouchers`, `krw` or `leave_days`.
    pub unit: String,
    /// Only entries counting for this year.
    pub year: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DetailView {
    /// What `ref_id` names: `meeting`, `club`, …
    pub kind: String,
    pub ref_id: String,
    pub amount: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementEntry {
    pub seq: i64,
    pub movement_id: String,
    pub amount: i64,
    pub counts_for: chrono::NaiveDate,
    /// RFC 3339, Seoul time.
    pub recorded_at: String,
    pub source: Source,
    pub source_label: &'static str,
    pub source_ref: Option<String>,
    pub rule_version: Option<String>,
    pub approved_by: Option<String>,
    pub reason: Option<String>,
    /// The movement this one cancels.
    pub reverses: Option<String>,
    pub details: Vec<DetailView>,
    /// For learning records (HR imports): their type as the HR learning
    /// system files it, and their title.
    pub learning_type: Option<super::LearningType>,
    pub title: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Statement {
    pub unit: Unit,
    /// Everything ever recorded on the account.
    pub balance: i64,
    /// The entries counting for `year`, when asked.
    pub year_total: Option<i64>,
    pub entries: Page<StatementEntry>,
}

/// My ledger in one unit: the balance and the entries, latest first, each
/// with where it came from (source, the thing that caused it, the rule, who
/// approved it, why, what it is made of).
#[utoipa::path(get, path = "/api/v1/me/ledger", tag = "ledger", security(("bearer" = [])),
    params(StatementQuery, PageQuery),
    responses((status = 200, body = Statement)))]
pub async fn my_ledger(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<StatementQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let unit = Unit::from_query(&query.unit).ok_or_else(|| {
        AppError::validation("unit", "unit is hours, points, vouchers, krw or leave_days")
    })?;
    let period = match query.year {
        Some(_) => Some(progress::year_days(year_of(
            query.year,
            state.clock.today(),
        )?)),
        None => None,
    };
    let employee_id = user.employee.id.clone();
    let statement = state
        .db(move |conn| statement_of(conn, &employee_id, unit, period, offset, limit))
        .await?;
    Ok(HttpResponse::Ok().json(statement))
}

/// A person's statement in one unit: balance, the total counting for the
/// period when one is asked, and a page of entries with their provenance.
pub fn statement_of(
    conn: &mut crate::db::DbConn,
    employee_id: &str,
    unit: Unit,
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    offset: i64,
    limit: i64,
) -> AppResult<Statement> {
    let account = AccountRef {
        owner: Owner::Employee(employee_id.to_string()),
        unit,
    };
    let Some(account_id) = model::account_id_of(conn, &account)? else {
        return Ok(Statement {
            unit,
            balance: 0,
            year_total: period.map(|_| 0),
            entries: Page {
                items: Vec::new(),
                total: 0,
            },
        });
    };
    let balance = model::balance(conn, &account_id)?;
    let (total, sum) = model::count_and_sum(conn, &account_id, period)?;
    let year_total = period.map(|_| sum);
    let rows = model::statement(conn, &account_id, period, offset, limit)?;
    let ids: Vec<String> = rows.iter().map(|(_, m)| m.id.clone()).collect();
    let mut details: HashMap<String, Vec<DetailView>> = HashMap::new();
    for d in model::details_of(conn, &ids)? {
        details.entry(d.movement_id).or_default().push(DetailView {
            kind: d.kind,
            ref_id: d.ref_id,
            amount: d.amount,
        });
    }
    let actors: Vec<String> = rows
        .iter()
        .filter_map(|(_, m)| m.actor_id.clone())
        .collect();
    let names = crate::org::model::names_by_ids(conn, &actors)?;
    let items = rows
        .into_iter()
        .map(|(entry, m)| {
            let source = Source::parse(&m.source).unwrap_or(Source::ManualAdjustment);
            let learning_type = m.learning().map(|l| l.learning_type);
            StatementEntry {
                seq: entry.seq,
                amount: entry.amount,
                counts_for: m.counts_for,
                recorded_at: crate::format::seoul_rfc3339(m.recorded_at),
                source,
                source_label: source.label_ko(),
                approved_by: m.actor_id.as_ref().and_then(|a| names.get(a).cloned()),
                source_ref: m.source_ref,
                rule_version: m.rule_version,
                reason: m.reason,
                reverses: m.reverses_id,
                details: details.remove(&m.id).unwrap_or_default(),
                learning_type,
                title: m.title,
                movement_id: m.id,
            }
        })
        .collect();
    Ok(Statement {
        unit,
        balance,
        year_total,
        entries: Page { items, total },
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// The year (default: this year in Seoul).
    pub year: Option<i32>,
}

/// My annual target progress: the target from the target rules, the hours
/// recognized for the year by source, what remains and the percent.
#[utoipa::path(get, path = "/api/v1/me/progress", tag = "ledger", security(("bearer" = [])),
    params(YearQuery),
    responses((status = 200, body = Progress), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn my_progress(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let year = year_of(query.year, state.clock.today())?;
    let person: crate::org::model::Person = (&user.employee).into();
    let progress = state
        .db(move |conn| progress::of_person_by_rules(conn, &person, year))
        .await?;
    Ok(HttpResponse::Ok().json(progress))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ProgressQuery {
    /// The year (default: this year in Seoul).
    pub year: Option<i32>,
    /// A department code: its people and those of the departments below.
    pub department: Option<String>,
    /// Only people below their target.
    pub below: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeProgress {
    pub year: i32,
    pub summary: Summary,
    /// The furthest behind their target first.
    pub people: Page<Progress>,
}

/// Everyone's progress the user may see — a coordinator their departments,
/// an administrator the office — the furthest behind first.
pub fn office_progress_of(
    conn: &mut crate::db::DbConn,
    user: &CurrentUser,
    query: &ProgressQuery,
    today: chrono::NaiveDate,
) -> AppResult<(i32, Vec<Progress>)> {
    let year = year_of(query.year, today)?;
    let departments = department_scope(conn, user, query.department.as_deref())?;
    let rows = progress::of_office(
        conn,
        &progress::OfficeQuery {
            organization_id: &user.employee.organization_id,
            year,
            departments: departments.as_ref(),
            below_only: query.below.unwrap_or(false),
        },
    )?;
    Ok((year, rows))
}

/// The office's target progress (coordinators: their departments;
/// administrators: everyone), paged, the furthest behind first.
#[utoipa::path(get, path = "/api/v1/ledger/progress", tag = "ledger", security(("bearer" = [])),
    params(ProgressQuery, PageQuery),
    responses((status = 200, body = OfficeProgress), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn office_progress(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ProgressQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let today = state.clock.today();
    let (year, rows) = state
        .db(move |conn| office_progress_of(conn, &user, &query, today))
        .await?;
    let summary = progress::summary(&rows);
    let total = rows.len() as i64;
    let items = rows
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    Ok(HttpResponse::Ok().json(OfficeProgress {
        year,
        summary,
        people: Page { items, total },
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdjustmentBody {
    pub employee_no: String,
    /// `hours` (minutes), `points`, `vouchers` or `leave_days`.
    pub unit: String,
    /// Signed: a negative amount takes away.
    pub amount: i64,
    /// The day it counts for (its half-year and year).
    pub counts_for: String,
    pub reason: String,
    /// Names this adjustment: sent again, it answers the first one.
    pub idempotency_key: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovementView {
    pub id: String,
    pub source: Source,
    pub counts_for: chrono::NaiveDate,
    pub reason: Option<String>,
    pub reverses: Option<String>,
    /// False when the key had been used for the same content already.
    pub newly_recorded: bool,
}

/// A movement as the API answers it: 201 when recorded now, 200 when it
/// was already.
pub fn movement_answer(outcome: super::Outcome) -> HttpResponse {
    let status = if outcome.is_new() {
        actix_web::http::StatusCode::CREATED
    } else {
        actix_web::http::StatusCode::OK
    };
    HttpResponse::build(status).json(MovementView::from(outcome))
}

impl From<super::Outcome> for MovementView {
    fn from(outcome: super::Outcome) -> Self {
        let newly_recorded = outcome.is_new();
        let m = outcome.movement().clone();
        MovementView {
            source: Source::parse(&m.source).unwrap_or(Source::ManualAdjustment),
            id: m.id,
            counts_for: m.counts_for,
            reason: m.reason,
            reverses: m.reverses_id,
            newly_recorded,
        }
    }
}

/// A manual adjustment by an administrator (hours, mileage, vouchers or
/// leave days), with the reason; audited. Answers the movement, 201 when
/// new and 200 when the key was already used for the same adjustment.
#[utoipa::path(post, path = "/api/v1/ledger/adjustments", tag = "ledger", security(("bearer" = [])),
    request_body = AdjustmentBody,
    responses((status = 201, body = MovementView), (status = 200, body = MovementView),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn adjust(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<AdjustmentBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let unit = Unit::from_query(&body.unit)
        .filter(|u| *u != Unit::Krw)
        .ok_or_else(|| {
            AppError::validation("unit", "unit is hours, points, vouchers or leave_days")
        })?;
    if body.amount == 0 || body.amount.abs() > 1_000_000 {
        return Err(AppError::validation(
            "amount",
            "amount is a non-zero whole number up to 1,000,000 either way",
        ));
    }
    let counts_for = parse_date("counts_for", &body.counts_for)?;
    let reason = required("reason", "사유", &body.reason, 1000)?;
    let key = required("idempotency_key", "요청 키", &body.idempotency_key, 200)?;
    let employee_no = required("employee_no", "사원번호", &body.employee_no, 40)?;
    let now = state.clock.now_naive();
    let outcome = state
        .tx(move |conn| {
            let organization_id = admin.0.employee.organization_id.clone();
            let employee = crate::org::model::employee_by_no(conn, &organization_id, &employee_no)?
                .ok_or_else(|| AppError::validation("employee_no", "no such employee in this organization"))?;
            let posting = super::Posting {
                idempotency_key: format!("adjustment/{organization_id}/{key}"),
                source: Source::ManualAdjustment,
                source_ref: None,
                counts_for,
                rule_version: None,
                actor_id: Some(admin.0.id().to_string()),
                reason: Some(reason.clone()),
                legs: issue(&organization_id, Owner::Employee(employee.id.clone()), unit, body.amount),
                details: Vec::new(),
                learning: None,
            };
            let outcome = super::post(conn, posting, now)?;
            if outcome.is_new() {
                crate::audit::record(
                    conn,
                    now,
                    Some(admin.0.id()),
                    "ledger.adjustment",
                    &employee.id,
                    serde_json::json!({ "movement": outcome.movement().id, "unit": unit.code(), "amount": body.amount }),
                )?;
            }
            Ok(outcome)
        })
        .await?;
    Ok(movement_answer(outcome))
}
