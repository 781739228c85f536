//! Who sees which part of an office.

use std::collections::HashSet;

use super::CurrentUser;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::org::model::{self as org, Role};

/// Which departments' people and clubs the user may see in an office-wide
/// view (compliance, target progress): None for everything (an
/// administrator who asked for no department), else the department asked
/// for or the coordinator's departments, each with those below it. Anyone
/// else is refused; so is a department outside a coordinator's.
pub fn department_scope(
    conn: &mut DbConn,
    user: &CurrentUser,
    department: Option<&str>,
) -> AppResult<Option<HashSet<String>>> {
    let wanted = match department.map(str::trim).filter(|d| !d.is_empty()) {
        Some(code) => Some(
            org::department_by_code(conn, &user.employee.organization_id, code)?
                .ok_or_else(|| {
                    AppError::validation("department", format!("부서 코드 '{code}'가 없습니다."))
                })?
                .id,
        ),
        None => None,
    };
    if user.has_role(Role::Admin) {
        return Ok(match wanted {
            Some(id) => Some(org::department_and_children(conn, &id)?),
            None => None,
        });
    }
    let mut allowed = HashSet::new();
    for grant in user.roles.iter().filter(|g| g.role == Role::Coordinator) {
        if let Some(id) = &grant.department_id {
            allowed.extend(org::department_and_children(conn, id)?);
        }
    }
    if allowed.is_empty() {
        return Err(AppError::Forbidden);
    }
    match wanted {
        Some(id) if allowed.contains(&id) => Ok(Some(org::department_and_children(conn, &id)?)),
        Some(_) => Err(AppError::Forbidden),
        None => Ok(Some(allowed)),
    }
}
