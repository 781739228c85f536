//! Rules over the organization: creating accounts, a person's profile.

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::forms::EmployeeInput;
use super::model::{self, Department, Employee, EmployeeFields, JobFamily, Role, RoleGrant};
use super::targets;
use crate::audit;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};

/// The organization a login or a command means: the one named by its code,
/// or, when none is named, the only one there is. With several, one must
/// be chosen.
pub fn resolve_organization(
    conn: &mut DbConn,
    code: Option<&str>,
) -> AppResult<model::Organization> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => model::organization_by_code(conn, code)?.ok_or_else(|| {
            AppError::validation("organization", format!("기관 코드 '{code}'가 없습니다."))
        }),
        None => model::sole_organization(conn)?
            .ok_or_else(|| AppError::validation("organization", "기관을 선택하세요.")),
    }
}

/// Resolves a department code to its id, naming the field when unknown.
pub fn department_id_for(
    conn: &mut DbConn,
    organization_id: &str,
    code: Option<&str>,
) -> AppResult<Option<String>> {
    match code {
        None => Ok(None),
        Some(code) => model::department_by_code(conn, organization_id, code)?
            .map(|d| Some(d.id))
            .ok_or_else(|| {
                AppError::validation("department", format!("부서 코드 '{code}'가 없습니다."))
            }),
    }
}

/// Creates an employee with roles (and a password hash, if given), audited.
/// Run inside a transaction.
pub fn create_employee(
    conn: &mut DbConn,
    organization_id: &str,
    input: &EmployeeInput,
    roles: &[RoleGrant],
    password_hash: Option<&str>,
    actor: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<String> {
    if model::employee_by_no(conn, organization_id, &input.employee_no)?.is_some() {
        return Err(AppError::Conflict(format!(
            "사원번호 {} 이미 있습니다 (already exists).",
            crate::korean::with(&input.employee_no, crate::korean::Particle::Topic)
        )));
    }
    let fields = EmployeeFields {
        employee_no: input.employee_no.clone(),
        name: input.name.clone(),
        email: input.email.clone(),
        department_id: department_id_for(conn, organization_id, input.department_code.as_deref())?,
        grade: input.grade,
        job_family: input.job_family,
        active: input.active,
    };
    let id = model::insert_employee(conn, organization_id, &fields, now).map_err(
        AppError::unique_as("이 기관에 같은 사원번호가 이미 있습니다."),
    )?;
    if let Some(hash) = password_hash {
        model::set_password(conn, &id, hash, now)?;
    }
    audit::record(
        conn,
        now,
        actor,
        "employee.create",
        &id,
        json!({ "employee_no": input.employee_no }),
    )?;
    for grant in roles {
        grant_role(conn, &id, grant, actor, now)?;
    }
    Ok(id)
}

/// Grants a role with an audit event; a coordinator needs a department.
pub fn grant_role(
    conn: &mut DbConn,
    employee_id: &str,
    grant: &RoleGrant,
    actor: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<()> {
    if grant.role == Role::Coordinator && grant.department_id.is_none() {
        return Err(AppError::validation(
            "department",
            "국·소 담당 역할에는 부서가 필요합니다.",
        ));
    }
    if model::grant_role(conn, employee_id, grant, actor, now)? {
        audit::record(
            conn,
            now,
            actor,
            "role.grant",
            employee_id,
            json!({ "role": grant.role.code(), "department_id": grant.department_id }),
        )?;
    }
    Ok(())
}

/// What the home page and `GET /api/v1/me` show about a person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Profile {
    pub id: String,
    pub employee_no: String,
    pub name: String,
    pub email: String,
    pub department: Option<DepartmentRef>,
    /// The 국·소 above the department, if any.
    pub division: Option<DepartmentRef>,
    pub grade: Option<i32>,
    pub job_family: JobFamily,
    pub job_family_label: String,
    pub roles: Vec<RoleView>,
    /// Annual continuous-learning target in hours; null means none applies.
    pub annual_target_hours: Option<i32>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DepartmentRef {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleView {
    pub role: Role,
    pub label: String,
    /// For a coordinator: the department they look after.
    pub department_code: Option<String>,
}

impl From<&Department> for DepartmentRef {
    fn from(d: &Department) -> Self {
        Self {
            code: d.code.clone(),
            name: d.name.clone(),
        }
    }
}

pub fn profile(conn: &mut DbConn, employee: &Employee, roles: &[RoleGrant]) -> AppResult<Profile> {
    let (department, division) = match &employee.department_id {
        Some(id) => {
            let (department, division) = model::department_and_parent(conn, id)?;
            (Some(department), division)
        }
        None => (None, None),
    };
    let job_family = JobFamily::parse(&employee.job_family).unwrap_or(JobFamily::Other);
    let rules = targets::load_rules(conn)?;
    let mut role_views = Vec::with_capacity(roles.len());
    for grant in roles {
        let department_code = match &grant.department_id {
            Some(id) => Some(model::department_by_id(conn, id)?.code),
            None => None,
        };
        role_views.push(RoleView {
            role: grant.role,
            label: grant.role.label_ko().to_string(),
            department_code,
        });
    }
    Ok(Profile {
        id: employee.id.clone(),
        employee_no: employee.employee_no.clone(),
        name: employee.name.clone(),
        email: employee.email.clone(),
        department: department.as_ref().map(DepartmentRef::from),
        division: division.as_ref().map(DepartmentRef::from),
        grade: employee.grade,
        job_family,
        job_family_label: job_family.label_ko().to_string(),
        roles: role_views,
        annual_target_hours: targets::annual_target_hours(&rules, employee.grade, job_family),
    })
}
