//! Organizations, departments, employees and their roles: rows and the
//! queries on them. Departments and employees belong to one organization;
//! codes and employee numbers are unique within it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{departments, employee_roles, employees, organizations};
use crate::db::{any_of, new_id, DbConn};

/// An office (기관): the city hall or a district, with its own clubs,
/// rounds, holidays, administrators and policy.
#[derive(Queryable, Selectable, Identifiable, Debug, Clone, Serialize)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: String,
    pub code: String,
    pub name: String,
    /// Its own policy over the configured defaults (JSON).
    pub policy: String,
    #[diesel(deserialize_as = crate::db::Stamp)]
    pub created_at: NaiveDateTime,
}

pub fn organizations(conn: &mut DbConn) -> QueryResult<Vec<Organization>> {
    organizations::table
        .order(organizations::code.asc())
        .select(Organization::as_select())
        .load(conn)
}

pub fn organization_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<Organization>> {
    organizations::table
        .filter(organizations::code.eq(code))
        .select(Organization::as_select())
        .first(conn)
        .optional()
}

pub fn organization_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Organization> {
    crate::on_backend!(conn, |c| organizations::table
        .find(id)
        .select(Organization::as_select())
        .first(c))
}

/// The organization when there is exactly one (then it is implied).
pub fn sole_organization(conn: &mut DbConn) -> QueryResult<Option<Organization>> {
    let mut two = organizations::table
        .select(Organization::as_select())
        .limit(2)
        .load(conn)?;
    Ok(if two.len() == 1 { two.pop() } else { None })
}

pub fn insert_organization(
    conn: &mut DbConn,
    code: &str,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(&id),
            organizations::code.eq(code),
            organizations::name.eq(name),
            organizations::policy.eq("{}"),
            organizations::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Stores the organization's policy overrides (JSON, checked by the caller).
pub fn set_policy(conn: &mut DbConn, id: &str, policy: &str) -> QueryResult<()> {
    diesel::update(organizations::table.find(id))
        .set(organizations::policy.eq(policy))
        .execute(conn)?;
    Ok(())
}

pub fn rename_organization(conn: &mut DbConn, id: &str, name: &str) -> QueryResult<()> {
    diesel::update(organizations::table.find(id))
        .set(organizations::name.eq(name))
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, Serialize)]
#[diesel(table_name = departments)]
pub struct Department {
    pub id: String,
    pub organization_id: String,
    pub code: String,
    pub name: String,
    pub parent_id: Option<String>,
    #[diesel(deserialize_as = crate::db::Stamp)]
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone)]
#[diesel(table_name = employees)]
pub struct Employee {
    pub id: String,
    pub organization_id: String,
    pub employee_no: String,
    pub name: String,
    pub email: String,
    pub department_id: Option<String>,
    pub grade: Option<i32>,
    pub job_family: String,
    pub active: bool,
    pub password_hash: Option<String>,
    pub session_version: i32,
    #[diesel(deserialize_as = crate::db::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::db::Stamp)]
    pub updated_at: NaiveDateTime,
    /// `ko` or `en`: the language of their pages and mail.
    pub language: String,
}

/// The fields HR owns; validated before they get here (see `forms`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeFields {
    pub employee_no: String,
    pub name: String,
    pub email: String,
    pub department_id: Option<String>,
    pub grade: Option<i32>,
    pub job_family: JobFamily,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Evaluator,
    Coordinator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Member,
        Role::Evaluator,
        Role::Coordinator,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Evaluator => "evaluator",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            Role::Member => "회원",
            Role::Evaluator => "평가위원",
            Role::Coordinator => "국·소 담당",
            Role::Admin => "관리자",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(s) || r.label_ko() == s)
    }
}

/// 직군/직렬. Stored by code; shown and imported by Korean label too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobFamily {
    Administrative,
    Technical,
    Research,
    OperationsOffice,
    OperationsOther,
    FixedTerm,
    Other,
}

impl JobFamily {
    pub const ALL: [JobFamily; 7] = [
        JobFamily::Administrative,
        JobFamily::Technical,
        JobFamily::Research,
        JobFamily::OperationsOffice,
        JobFamily::OperationsOther,
        JobFamily::FixedTerm,
        JobFamily::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            JobFamily::Administrative => "administrative",
            JobFamily::Technical => "technical",
            JobFamily::Research => "research",
            JobFamily::OperationsOffice => "operations_office",
            JobFamily::OperationsOther => "operations_other",
            JobFamily::FixedTerm => "fixed_term",
            JobFamily::Other => "other",
        }
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            JobFamily::Administrative => "행정",
            JobFamily::Technical => "기술",
            JobFamily::Research => "연구지도",
            JobFamily::OperationsOffice => "관리운영-사무운영",
            JobFamily::OperationsOther => "관리운영-기타",
            JobFamily::FixedTerm => "임기제",
            JobFamily::Other => "기타",
        }
    }

    /// Accepts the code, the Korean label, or the label with a space or a
    /// middle dot for the hyphen ("관리운영 사무운영").
    pub fn parse(s: &str) -> Option<JobFamily> {
        let s = s.trim();
        let normalized: String = s
            .chars()
            .map(|c| if c == ' ' || c == '·' { '-' } else { c })
            .collect();
        JobFamily::ALL
            .into_iter()
            .find(|f| f.code().eq_ignore_ascii_case(s) || f.label_ko() == normalized)
    }
}

/// A role an employee holds; a coordinator's is scoped to a department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub role: Role,
    pub department_id: Option<String>,
}

pub fn department_by_code(
    conn: &mut DbConn,
    organization_id: &str,
    code: &str,
) -> QueryResult<Option<Department>> {
    departments::table
        .filter(departments::organization_id.eq(organization_id))
        .filter(departments::code.eq(code))
        .select(Department::as_select())
        .first(conn)
        .optional()
}

pub fn department_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Department> {
    departments::table
        .find(id)
        .select(Department::as_select())
        .first(conn)
}

/// A department and the one above it (its division), if any, in one read.
pub fn department_and_parent(
    conn: &mut DbConn,
    id: &str,
) -> QueryResult<(Department, Option<Department>)> {
    let parent = diesel::alias!(departments as parent);
    // The parent's columns in the order `Department` reads them.
    let parent_columns = <Department as Selectable<crate::db::MultiBackend>>::construct_selection();
    crate::on_backend!(conn, |c| departments::table
        .left_join(
            parent.on(parent
                .field(departments::id)
                .nullable()
                .eq(departments::parent_id))
        )
        .filter(departments::id.eq(id))
        .select((
            Department::as_select(),
            parent.fields(parent_columns).nullable()
        ))
        .first(c))
}

pub fn all_departments(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<Department>> {
    departments::table
        .filter(departments::organization_id.eq(organization_id))
        .order(departments::code.asc())
        .select(Department::as_select())
        .load(conn)
}

/// These departments (an empty list answers none, without a query).
pub fn departments_by_ids(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<Department>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    departments::table
        .filter(any_of(departments::id, ids))
        .select(Department::as_select())
        .load(conn)
}

pub fn insert_department(
    conn: &mut DbConn,
    organization_id: &str,
    code: &str,
    name: &str,
    parent_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(departments::table)
        .values((
            departments::id.eq(&id),
            departments::organization_id.eq(organization_id),
            departments::code.eq(code),
            departments::name.eq(name),
            departments::parent_id.eq(parent_id),
            departments::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn update_department(
    conn: &mut DbConn,
    id: &str,
    name: &str,
    parent_id: Option<&str>,
) -> QueryResult<()> {
    diesel::update(departments::table.find(id))
        .set((
            departments::name.eq(name),
            departments::parent_id.eq(parent_id),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn employee_by_no(
    conn: &mut DbConn,
    organization_id: &str,
    employee_no: &str,
) -> QueryResult<Option<Employee>> {
    employees::table
        .filter(employees::organization_id.eq(organization_id))
        .filter(employees::employee_no.eq(employee_no))
        .select(Employee::as_select())
        .first(conn)
        .optional()
}

/// The organization's employees with these numbers, by number.
pub fn employees_by_nos(
    conn: &mut DbConn,
    organization_id: &str,
    employee_nos: &[&str],
) -> QueryResult<std::collections::HashMap<String, Employee>> {
    Ok(employees::table
        .filter(employees::organization_id.eq(organization_id))
        .filter(any_of(employees::employee_no, employee_nos))
        .select(Employee::as_select())
        .load::<Employee>(conn)?
        .into_iter()
        .map(|e| (e.employee_no.clone(), e))
        .collect())
}

/// What target rules and progress lists need of a person.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = employees)]
pub struct Person {
    pub id: String,
    pub employee_no: String,
    pub name: String,
    pub department_id: Option<String>,
    pub grade: Option<i32>,
    pub job_family: String,
}

impl From<&Employee> for Person {
    fn from(e: &Employee) -> Self {
        Person {
            id: e.id.clone(),
            employee_no: e.employee_no.clone(),
            name: e.name.clone(),
            department_id: e.department_id.clone(),
            grade: e.grade,
            job_family: e.job_family.clone(),
        }
    }
}

pub fn person(conn: &mut DbConn, id: &str) -> QueryResult<Person> {
    employees::table
        .find(id)
        .select(Person::as_select())
        .first(conn)
}

/// The office's active people.
pub fn people_of(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<Person>> {
    employees::table
        .filter(employees::organization_id.eq(organization_id))
        .filter(employees::active.eq(true))
        .select(Person::as_select())
        .load(conn)
}

pub fn employee_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Employee> {
    employees::table
        .find(id)
        .select(Employee::as_select())
        .first(conn)
}

pub fn employee_count(conn: &mut DbConn) -> QueryResult<i64> {
    employees::table.count().get_result(conn)
}

/// The HR-owned columns, written alike on insert and update.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = employees, treat_none_as_null = true)]
struct HrColumns<'a> {
    name: &'a str,
    email: &'a str,
    department_id: Option<&'a str>,
    grade: Option<i32>,
    job_family: &'a str,
    active: bool,
}

impl EmployeeFields {
    fn columns(&self) -> HrColumns<'_> {
        HrColumns {
            name: &self.name,
            email: &self.email,
            department_id: self.department_id.as_deref(),
            grade: self.grade,
            job_family: self.job_family.code(),
            active: self.active,
        }
    }
}

pub fn insert_employee(
    conn: &mut DbConn,
    organization_id: &str,
    fields: &EmployeeFields,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(employees::table)
        .values((
            employees::id.eq(&id),
            employees::organization_id.eq(organization_id),
            employees::employee_no.eq(&fields.employee_no),
            fields.columns(),
            employees::session_version.eq(0),
            employees::created_at.eq(now),
            employees::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn update_employee(
    conn: &mut DbConn,
    id: &str,
    fields: &EmployeeFields,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(employees::table.find(id))
        .set((fields.columns(), employees::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Stores a new password hash and ends every session issued before.
pub fn set_password(
    conn: &mut DbConn,
    id: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(employees::table.find(id))
        .set((
            employees::password_hash.eq(password_hash),
            employees::session_version.eq(employees::session_version + 1),
            employees::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The language the employee reads the portal and its mail in.
pub fn set_language(conn: &mut DbConn, id: &str, language: &str) -> QueryResult<()> {
    diesel::update(employees::table.find(id))
        .set(employees::language.eq(language))
        .execute(conn)?;
    Ok(())
}

/// Ends every session of the employee (logout).
pub fn end_sessions(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::update(employees::table.find(id))
        .set(employees::session_version.eq(employees::session_version + 1))
        .execute(conn)?;
    Ok(())
}

/// A role as stored: its code and the department a coordinator's covers.
type RoleCells = (String, Option<String>);

pub fn roles_of(conn: &mut DbConn, employee_id: &str) -> QueryResult<Vec<RoleGrant>> {
    let rows: Vec<RoleCells> = employee_roles::table
        .filter(employee_roles::employee_id.eq(employee_id))
        .select((employee_roles::role, employee_roles::department_id))
        .load(conn)?;
    Ok(grants_of(rows))
}

/// An employee and the roles they hold, in one read: every signed-in
/// request begins with it.
pub fn employee_with_roles(
    conn: &mut DbConn,
    employee_id: &str,
) -> QueryResult<Option<(Employee, Vec<RoleGrant>)>> {
    let rows: Vec<(Employee, Option<RoleCells>)> = crate::on_backend!(conn, |c| employees::table
        .left_join(employee_roles::table)
        .filter(employees::id.eq(employee_id))
        .select((
            Employee::as_select(),
            (employee_roles::role, employee_roles::department_id).nullable(),
        ))
        .load(c))?;
    let mut rows = rows.into_iter();
    let Some((employee, first)) = rows.next() else {
        return Ok(None);
    };
    let roles = grants_of(first.into_iter().chain(rows.filter_map(|(_, role)| role)));
    Ok(Some((employee, roles)))
}

/// Grants from (role, department) rows, member first and administrator
/// last; a role this build does not know is left out.
fn grants_of(rows: impl IntoIterator<Item = RoleCells>) -> Vec<RoleGrant> {
    let mut grants: Vec<RoleGrant> = rows
        .into_iter()
        .filter_map(|(role, department_id)| {
            Role::parse(&role).map(|role| RoleGrant {
                role,
                department_id,
            })
        })
        .collect();
    grants.sort_by_key(|g| g.role as u8);
    grants
}

/// Grants a role unless the employee already holds it (same scope).
/// Returns whether anything was added.
pub fn grant_role(
    conn: &mut DbConn,
    employee_id: &str,
    grant: &RoleGrant,
    granted_by: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    if roles_of(conn, employee_id)?.contains(grant) {
        return Ok(false);
    }
    diesel::insert_into(employee_roles::table)
        .values((
            employee_roles::id.eq(new_id()),
            employee_roles::employee_id.eq(employee_id),
            employee_roles::role.eq(grant.role.code()),
            employee_roles::department_id.eq(&grant.department_id),
            employee_roles::granted_at.eq(now),
            employee_roles::granted_by.eq(granted_by),
        ))
        .execute(conn)?;
    Ok(true)
}

/// A page of employees (by employee number) with their department code,
/// optionally within one department; and how many there are in all.
pub fn list_employees(
    conn: &mut DbConn,
    organization_id: &str,
    department_id: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<(Employee, Option<String>)>, i64)> {
    let mut count = employees::table
        .filter(employees::organization_id.eq(organization_id))
        .select(diesel::dsl::count_star())
        .into_boxed();
    let mut page = employees::table
        .filter(employees::organization_id.eq(organization_id))
        .left_join(departments::table)
        .select((Employee::as_select(), departments::code.nullable()))
        .order(employees::employee_no.asc())
        .offset(offset)
        .limit(limit)
        .into_boxed();
    if let Some(dept) = department_id {
        count = count.filter(employees::department_id.eq(dept));
        page = page.filter(employees::department_id.eq(dept));
    }
    let total = count.get_result(conn)?;
    Ok((page.load(conn)?, total))
}

/// The organization's active evaluators as (employee number, name), by name.
pub fn evaluators(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<(String, String)>> {
    employee_roles::table
        .inner_join(employees::table)
        .filter(employees::organization_id.eq(organization_id))
        .filter(employee_roles::role.eq(Role::Evaluator.code()))
        .filter(employees::active.eq(true))
        .order((employees::name.asc(), employees::employee_no.asc()))
        .select((employees::employee_no, employees::name))
        .distinct()
        .load(conn)
}

/// The organization's coordinators with the department they look after.
pub fn coordinators(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Vec<(Employee, String)>> {
    let rows: Vec<(Employee, Option<String>)> = employee_roles::table
        .inner_join(employees::table)
        .filter(employees::organization_id.eq(organization_id))
        .filter(employee_roles::role.eq(Role::Coordinator.code()))
        .filter(employees::active.eq(true))
        .select((Employee::as_select(), employee_roles::department_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(e, d)| d.map(|d| (e, d)))
        .collect())
}

/// The department and every department below it.
pub fn department_and_children(
    conn: &mut DbConn,
    department_id: &str,
) -> QueryResult<std::collections::HashSet<String>> {
    let organization_id = department_by_id(conn, department_id)?.organization_id;
    let all = all_departments(conn, &organization_id)?;
    let mut scope = std::collections::HashSet::from([department_id.to_string()]);
    loop {
        let before = scope.len();
        for d in &all {
            if d.parent_id.as_ref().is_some_and(|p| scope.contains(p)) {
                scope.insert(d.id.clone());
            }
        }
        if scope.len() == before {
            return Ok(scope);
        }
    }
}

/// Names of these employees, by id.
pub fn names_by_ids(
    conn: &mut DbConn,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    Ok(employees::table
        .filter(any_of(employees::id, ids))
        .select((employees::id, employees::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// (id, employee number, name, department id) of these employees.
pub fn employee_cards(
    conn: &mut DbConn,
    ids: &[String],
) -> QueryResult<Vec<(String, String, String, Option<String>)>> {
    employees::table
        .filter(any_of(employees::id, ids))
        .select((
            employees::id,
            employees::employee_no,
            employees::name,
            employees::department_id,
        ))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_families_parse_by_code_and_label() {
        assert_eq!(JobFamily::parse("행정"), Some(JobFamily::Administrative));
        assert_eq!(
            JobFamily::parse("관리운영 사무운영"),
            Some(JobFamily::OperationsOffice)
        );
        assert_eq!(
            JobFamily::parse("관리운영-기타"),
            Some(JobFamily::OperationsOther)
        );
        assert_eq!(JobFamily::parse("FIXED_TERM"), Some(JobFamily::FixedTerm));
        assert_eq!(JobFamily::parse("우주비행"), None);
        for f in JobFamily::ALL {
            assert_eq!(JobFamily::parse(f.code()), Some(f));
            assert_eq!(JobFamily::parse(f.label_ko()), Some(f));
        }
    }

    #[test]
    fn roles_parse() {
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("평가위원"), Some(Role::Evaluator));
        assert_eq!(Role::parse("boss"), None);
    }
}
