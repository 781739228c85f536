//! The logged-in employee's profile (API and home page); employees,
//! departments and target rules for the API.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::extractors::{load_user, SignedIn};
use crate::auth::{Admin, CurrentUser};
use crate::error::AppResult;
use crate::http::paging::{Page, PageQuery};
use crate::org::model::{self, JobFamily};
use crate::org::policy::{self, Policy};
use crate::org::service::{self, Profile};
use crate::org::targets::{self, TargetRule};
use crate::state::AppState;

/// The logged-in employee with department, roles and annual target hours.
#[utoipa::path(get, path = "/api/v1/me", tag = "org", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(state: web::Data<AppState>, signed_in: SignedIn) -> AppResult<HttpResponse> {
    let claims = signed_in.claims().clone();
    // The person and their profile, in one trip to the pool.
    let profile = state
        .db(move |conn| {
            let user = load_user(conn, &claims)?;
            service::profile(conn, &user.employee, &user.roles)
        })
        .await?;
    Ok(HttpResponse::Ok().json(profile))
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

/// The caller's organization and the rules in force there: its own
/// overrides over the configured defaults.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    pub code: String,
    pub name: String,
    pub policy: Policy,
    /// What the organization itself set; everything else is the default.
    #[schema(value_type = Object)]
    pub overrides: serde_json::Value,
}

pub fn organization_view(
    conn: &mut crate::db::DbConn,
    settings: &crate::config::Settings,
    organization_id: &str,
) -> AppResult<OrganizationView> {
    let organization = model::organization_by_id(conn, organization_id)?;
    Ok(OrganizationView {
        policy: policy::of(conn, settings, organization_id)?,
        overrides: policy::overrides_of(conn, organization_id)?,
        code: organization.code,
        name: organization.name,
    })
}

#[utoipa::path(get, path = "/api/v1/organization", tag = "org", security(("bearer" = [])),
    responses((status = 200, body = OrganizationView)))]
pub async fn get_organization(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let settings = state.settings.clone();
    let view = state
        .db(move |conn| organization_view(conn, &settings, &user.employee.organization_id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Replace the organization's policy overrides (administrators): a JSON
/// object shaped like `{"reports": {"due_day": 10}, "clubs": {…},
/// "evaluation": {…}}` with the keys of the same config sections. Checked
/// whole before it is stored; audited. Answers the organization.
#[utoipa::path(put, path = "/api/v1/organization/policy", tag = "org", security(("bearer" = [])),
    request_body(content = Object, description = "the overrides"),
    responses((status = 200, body = OrganizationView), (status = 422, body = crate::error::ErrorBody)))]
pub async fn put_policy(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<serde_json::Value>,
) -> AppResult<HttpResponse> {
    let (settings, now) = (state.settings.clone(), state.clock.now_naive());
    let view = state
        .tx(move |conn| {
            let organization_id = &admin.0.employee.organization_id;
            policy::save(conn, &settings, organization_id, &body, admin.0.id(), now)?;
            organization_view(conn, &settings, organization_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
