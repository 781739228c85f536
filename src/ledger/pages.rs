//! The ledger's pages: the HR export, a person's own ledger, and the
//! office's target progress.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::handlers::{office_progress_of, statement_of, ProgressQuery};
use super::model::Unit;
use super::progress;
use crate::auth::csrf::CsrfToken;
use crate::auth::extractors::{load_user, SignedIn};
use crate::auth::page_context;
use crate::auth::{Admin, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::export::Format;
use crate::fields::year_of;
use crate::http::paging::PageQuery;
use crate::http::{download, render};
use crate::state::AppState;

/// People shown on one page.
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
    // The person and the page, in one trip to the pool and one snapshot.
    let (user, statement, progress) = state
        .read(move |conn| {
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
