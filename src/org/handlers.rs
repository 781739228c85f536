//! The logged-in employee's profile (API and home page); employees,
//! departments and target rules for the API.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{self, JobFamily};
use super::service::{self, Profile};
use super::targets::{self, TargetRule};
use crate::auth::csrf::CsrfToken;
use crate::auth::{Admin, CurrentUser};
use crate::clock::HalfYear;
use crate::clubs::model::{self as club_model, ClubFilter, ClubStatus};
use crate::clubs::views as club_views;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::paging::{Page, PageQuery};
use crate::web::{page_context, render};

async fn load_profile(state: &web::Data<AppState>, user: &CurrentUser) -> AppResult<Profile> {
    let (employee, roles) = (user.employee.clone(), user.roles.clone());
    state
        .db(move |conn| service::profile(conn, &employee, &roles))
        .await
}

/// The logged-in employee with department, roles and annual target hours.
#[utoipa::path(get, path = "/api/v1/me", tag = "org", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(load_profile(&state, &user).await?))
}

pub async fn home(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let half = HalfYear::containing(today);
    let policy = crate::clubs::service::policy(&state.settings.clubs);
    let (employee, roles) = (user.employee.clone(), user.roles.clone());
    let (profile, clubs, hours) = state
        .db(move |conn| {
            let profile = service::profile(conn, &employee, &roles)?;
            let filter = ClubFilter {
                member_id: Some(employee.id.clone()),
                status: Some(ClubStatus::Active),
                ..Default::default()
            };
            let (clubs, _) = club_model::list_clubs(conn, &filter, 0, 50)?;
            let clubs = club_views::club_summaries(conn, clubs, today)?;
            let mut hours = crate::clubs::service::hours_for(
                conn,
                std::slice::from_ref(&employee.id),
                half,
                policy,
            )?;
            let hours: club_views::HoursView = hours
                .remove(&employee.id)
                .map(|h| h.total)
                .expect("hours for the employee")
                .into();
            Ok((profile, clubs, hours))
        })
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("profile", &profile);
    ctx.insert("clubs", &clubs);
    ctx.insert("hours", &hours);
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

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployeeSummary {
    pub id: String,
    pub employee_no: String,
    pub name: String,
    pub email: String,
    pub department_code: Option<String>,
    pub grade: Option<i32>,
    pub job_family: JobFamily,
    pub active: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EmployeeFilter {
    /// Only employees of this department code.
    pub department: Option<String>,
}

/// Employees, by employee number (administrators only).
#[utoipa::path(get, path = "/api/v1/employees", tag = "org", security(("bearer" = [])),
    params(PageQuery, EmployeeFilter),
    responses((status = 200, body = Page<EmployeeSummary>),
        (status = 403, description = "Not an administrator", body = crate::error::ErrorBody)))]
pub async fn list_employees(
    state: web::Data<AppState>,
    admin: Admin,
    paging: web::Query<PageQuery>,
    filter: web::Query<EmployeeFilter>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let department = filter.into_inner().department;
    let page = state
        .db(move |conn| {
            let organization_id = &admin.0.employee.organization_id;
            let department_id =
                service::department_id_for(conn, organization_id, department.as_deref())?;
            let (rows, total) = model::list_employees(
                conn,
                organization_id,
                department_id.as_deref(),
                offset,
                limit,
            )?;
            let items = rows
                .into_iter()
                .map(|(e, department_code)| EmployeeSummary {
                    job_family: JobFamily::parse(&e.job_family).unwrap_or(JobFamily::Other),
                    id: e.id,
                    employee_no: e.employee_no,
                    name: e.name,
                    email: e.email,
                    department_code,
                    grade: e.grade,
                    active: e.active,
                })
                .collect();
            Ok(Page { items, total })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentView {
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
}

/// Every department, 국·소 and 과, with its parent's code.
#[utoipa::path(get, path = "/api/v1/departments", tag = "org", security(("bearer" = [])),
    responses((status = 200, body = Page<DepartmentView>)))]
pub async fn list_departments(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let departments = state
        .db(move |conn| {
            Ok(model::all_departments(
                conn,
                &user.employee.organization_id,
            )?)
        })
        .await?;
    let codes: HashMap<&str, &str> = departments
        .iter()
        .map(|d| (d.id.as_str(), d.code.as_str()))
        .collect();
    let items: Vec<DepartmentView> = departments
        .iter()
        .map(|d| DepartmentView {
            code: d.code.clone(),
            name: d.name.clone(),
            parent_code: d
                .parent_id
                .as_deref()
                .and_then(|p| codes.get(p))
                .map(|c| c.to_string()),
        })
        .collect();
    let total = items.len() as i64;
    Ok(HttpResponse::Ok().json(Page { items, total }))
}

/// The rules that give each employee's annual learning target, in order.
#[utoipa::path(get, path = "/api/v1/target-rules", tag = "org", security(("bearer" = [])),
    responses((status = 200, body = Page<TargetRule>)))]
pub async fn list_target_rules(
    state: web::Data<AppState>,
    _user: CurrentUser,
) -> AppResult<HttpResponse> {
    let items = state.db(|conn| Ok(targets::load_rules(conn)?)).await?;
    let total = items.len() as i64;
    Ok(HttpResponse::Ok().json(Page { items, total }))
}
