//! The ledger's pages: a half's hours recognition (administrators), person
//! by person, with approval of everyone or of those ticked; the HR export;
//! a person's own ledger; and the office's target progress.

use std::collections::HashSet;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::handlers::{
    approve_audited, office_progress_of, preview_of, scope_of, statement_of, ProgressQuery,
};
use super::model::Unit;
use super::progress;
use super::recognition::{self, Line};
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::extractors::{load_user, SignedIn};
use crate::auth::page_context;
use crate::auth::{Admin, CurrentUser};
use crate::clock::HalfYear;
use crate::error::{AppError, AppResult};
use crate::export::Format;
use crate::fields::year_of;
use crate::http::paging::PageQuery;
use crate::http::{download, render};
use crate::state::AppState;

/// People shown on one page.
const PER_PAGE: usize = 100;

fn half_of(text: &str) -> AppResult<HalfYear> {
    HalfYear::parse(text).ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    pub page: Option<usize>,
    /// `all` shows everyone, not only those with something to approve.
    pub show: Option<String>,
    pub done: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    half: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let settings = state.settings.clone();
    let user = admin.0.clone();
    let (scope, lines) = state
        .db(move |conn| {
            let scope = scope_of(conn, &settings, &admin, half)?;
            let lines = recognition::proposal(conn, &scope)?;
            Ok((scope, lines))
        })
        .await?;
    let everyone = query.show.as_deref() == Some("all");
    let total_to_grant: i64 = lines.iter().map(|l| l.to_grant_minutes).sum();
    let pending = lines.iter().filter(|l| l.to_grant_minutes != 0).count();
    let shown: Vec<&Line> = lines
        .iter()
        .filter(|l| everyone || l.to_grant_minutes != 0)
        .collect();
    let pages = shown.len().div_ceil(PER_PAGE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    let rows: Vec<&&Line> = shown
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();

    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("half", &half.to_string());
    ctx.insert("half_label", &half.label_ko());
    ctx.insert("over", &(state.clock.today() > half.last_day()));
    ctx.insert("rule_version", &scope.rule_version);
    ctx.insert("cap_minutes", &scope.policy.half_year_cap_minutes);
    ctx.insert("people", &lines.len());
    ctx.insert("pending", &pending);
    ctx.insert("total_to_grant", &total_to_grant);
    ctx.insert(
        "not_recognized",
        &lines.iter().map(|l| l.not_recognized_minutes).sum::<i64>(),
    );
    ctx.insert("rows", &rows);
    ctx.insert("everyone", &everyone);
    ctx.insert("page", &page);
    ctx.insert("pages", &pages);
    ctx.insert("done", &query.done);
    render(&state, "ledger/recognition.html", &ctx)
}

pub async fn approve(
    state: web::Data<AppState>,
    admin: Admin,
    half: web::Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let form = form.0;
    let everyone = form.iter().any(|(k, _)| k == "all");
    let chosen: HashSet<String> = form
        .iter()
        .filter(|(k, _)| k == "employee_ids")
        .map(|(_, v)| v.clone())
        .collect();
    if !everyone && chosen.is_empty() {
        return Err(AppError::validation(
            "employee_ids",
            "인정할 사람을 한 명 이상 고르거나 '모두 인정'을 누르세요.",
        ));
    }
    let st = state.clone();
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let approval = state
        .bulk_tx(move |conn| {
            let only = (!everyone).then_some(&chosen);
            approve_audited(conn, &st, &admin, half, only, today, now)
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/ledger/recognition/{half}?done={}", approval.people),
        ))
        .finish())
}

/// The HR export of a half-year or year: `/ledger/hr-export/2026H1.csv`
/// (UTF-8 with BOM) or `/ledger/hr-export/2026.xlsx` (administrators).
pub async fn hr_export(
    state: web::Data<AppState>,
    admin: Admin,
    file: web::Path<String>,
) -> AppResult<HttpResponse> {
    let file = file.into_inner();
    let (period, extension) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let period = super::hr_export::Period::parse(period).ok_or(AppError::NotFound)?;
    let format = Format::from_extension(extension).ok_or(AppError::NotFound)?;
    let organization_id = admin.0.employee.organization_id.clone();
    let body = state
        .db(move |conn| {
            let table = super::hr_export::table(conn, &organization_id, period)?;
            format.encode(table)
        })
        .await?;
    Ok(download(
        format.content_type(),
        &format!("hr-hours-{}.{}", period.label(), format.extension()),
        body,
    ))
}

#[derive(Debug, Deserialize)]
pub struct MineQuery {
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub page: Option<i64>,
}

/// The units a person holds, in the order the tabs show them.
const MY_UNITS: [Unit; 4] = [Unit::Minutes, Unit::Points, Unit::Vouchers, Unit::LeaveDays];

/// My ledger: a unit's balance, this year's total, its entries with where
/// each came from; for hours, the year's target progress too.
pub async fn mine(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    csrf: CsrfToken,
    query: web::Query<MineQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let unit = match query.unit.as_deref() {
        None | Some("") => Unit::Minutes,
        Some(text) => Unit::from_query(text)
            .filter(|u| MY_UNITS.contains(u))
            .ok_or(AppError::NotFound)?,
    };
    let year = year_of(query.year, state.clock.today())?;
    let paging = PageQuery {
        page: query.page,
        per_page: None,
    };
    let (offset, limit) = paging.window()?;
    let claims = signed_in.claims().clone();
    // The person and the page, in one trip to the pool.
    let (user, statement, progress) = state
        .db(move |conn| {
            let user = load_user(conn, &claims)?;
            let person: crate::org::model::Person = (&user.employee).into();
            let period = Some(progress::year_days(year));
            let statement = statement_of(conn, &person.id, unit, period, offset, limit)?;
            let progress = match unit {
                Unit::Minutes => Some(progress::of_person_by_rules(conn, &person, year)?),
                _ => None,
            };
            Ok((user, statement, progress))
        })
        .await?;
    signed_in.admit(&user);
    let mut ctx = page_context(Some(&user), &csrf);
    let tabs: Vec<serde_json::Value> = MY_UNITS
        .iter()
        .map(|u| serde_json::json!({ "code": u.query_name(), "label": u.label_ko(), "current": *u == unit }))
        .collect();
    ctx.insert("tabs", &tabs);
    ctx.insert("unit", unit.query_name());
    ctx.insert("unit_label", unit.label_ko());
    ctx.insert("year", &year);
    ctx.insert("page", &paging.page.unwrap_or(1));
    ctx.insert(
        "pages",
        &((statement.entries.total + limit - 1) / limit).max(1),
    );
    ctx.insert("statement", &statement);
    ctx.insert("progress", &progress);
    render(&state, "ledger/mine.html", &ctx)
}

#[derive(Debug, Deserialize)]
pub struct ProgressPageQuery {
    pub year: Option<i32>,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub below: String,
    pub page: Option<i64>,
}

impl ProgressPageQuery {
    fn office_query(&self) -> ProgressQuery {
        ProgressQuery {
            year: self.year,
            department: Some(self.department.clone()).filter(|d| !d.trim().is_empty()),
            below: Some(!self.below.is_empty()),
        }
    }
}

/// Target progress of the people a coordinator or administrator sees, the
/// furthest behind first, with CSV and XLSX of the same list.
pub async fn progress(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    query: web::Query<ProgressPageQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let paging = PageQuery {
        page: query.page,
        per_page: Some(50),
    };
    let (offset, limit) = paging.window()?;
    let today = state.clock.today();
    let office_query = query.office_query();
    let viewer = user.clone();
    let (year, rows, departments) = state
        .db(move |conn| {
            let (year, rows) = office_progress_of(conn, &viewer, &office_query, today)?;
            let departments =
                crate::org::model::all_departments(conn, &viewer.employee.organization_id)?;
            Ok((year, rows, departments))
        })
        .await?;
    let summary = progress::summary(&rows);
    let total = rows.len() as i64;
    let shown: Vec<&progress::Progress> = rows
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("year", &year);
    ctx.insert("summary", &summary);
    ctx.insert("rows", &shown);
    ctx.insert("q_department", &query.department);
    ctx.insert("departments", &departments);
    ctx.insert("below", &!query.below.is_empty());
    ctx.insert("page", &paging.page.unwrap_or(1));
    ctx.insert("pages", &((total + limit - 1) / limit).max(1));
    render(&state, "ledger/progress.html", &ctx)
}

/// `/ledger/progress.csv` or `.xlsx`: the whole list the page pages.
pub async fn progress_file(
    state: web::Data<AppState>,
    user: CurrentUser,
    extension: web::Path<String>,
    query: web::Query<ProgressPageQuery>,
) -> AppResult<HttpResponse> {
    let format = Format::from_extension(&extension).ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let office_query = query.into_inner().office_query();
    let (year, body) = state
        .db(move |conn| {
            let (year, rows) = office_progress_of(conn, &user, &office_query, today)?;
            Ok((year, format.encode(progress::table(&rows, year))?))
        })
        .await?;
    Ok(download(
        format.content_type(),
        &format!("target-progress-{year}.{}", format.extension()),
        body,
    ))
}

#[derive(Debug, Deserialize)]
pub struct PreviewPageQuery {
    pub cap_hours: Option<i64>,
    #[serde(default)]
    pub count_ad_hoc: String,
}

/// A half replayed under a rule the administrator tries (nothing written),
/// with the form that makes it a version from a date.
pub async fn preview(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    half: web::Path<String>,
    query: web::Query<PreviewPageQuery>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let settings = state.settings.clone();
    let user = admin.0.clone();
    let cap_hours = query
        .cap_hours
        .unwrap_or(settings.clubs.half_year_cap_hours);
    let tried = crate::clubs::hours::HoursPolicy {
        half_year_cap_minutes: super::rules::cap_minutes(cap_hours)?,
        count_ad_hoc: !query.count_ad_hoc.is_empty(),
    };
    let view = state
        .db(move |conn| preview_of(conn, &settings, &admin, half, tried, (0, 200)))
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("view", &view);
    ctx.insert("half", &half.to_string());
    ctx.insert("half_label", &half.label_ko());
    ctx.insert("cap_hours", &cap_hours);
    ctx.insert("count_ad_hoc", &tried.count_ad_hoc);
    ctx.insert("valid_from", &half.first_day().to_string());
    render(&state, "ledger/preview.html", &ctx)
}

#[derive(Debug, Deserialize)]
pub struct RuleForm {
    pub half: String,
    pub valid_from: String,
    pub cap_hours: i64,
    #[serde(default)]
    pub count_ad_hoc: String,
    #[serde(default)]
    pub reason: String,
}

/// Makes the tried rule a version from a date, then shows the half's
/// recognition with the differences to approve.
pub async fn add_rule(
    state: web::Data<AppState>,
    admin: Admin,
    form: CsrfForm<RuleForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let half = half_of(&form.half)?;
    let now = state.clock.now_naive();
    state
        .tx(move |conn| {
            super::rules::add_version(
                conn,
                &admin.0.employee.organization_id,
                &super::rules::RuleInput {
                    valid_from: &form.valid_from,
                    half_year_cap_hours: form.cap_hours,
                    count_ad_hoc: !form.count_ad_hoc.is_empty(),
                    reason: &form.reason,
                },
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/ledger/recognition/{half}")))
        .finish())
}
