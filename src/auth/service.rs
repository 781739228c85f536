//! Logging in (with the failed-login lockout) and changing a password.

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use super::{model, password};
use crate::audit;
use crate::config::AuthSettings;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::org::model::{self as org, Employee};

/// Checks the credentials. Unknown numbers, inactive accounts and wrong
/// passwords all answer `InvalidCredentials`; after `max_failed_logins`
/// failures in a row the number is locked for `lockout_minutes`, whether or
/// not it exists. Not run in a transaction: a failure must stay counted.
pub fn login(
    conn: &mut DbConn,
    employee_no: &str,
    password_given: &str,
    rules: &AuthSettings,
    now: NaiveDateTime,
) -> AppResult<Employee> {
    let key = employee_no.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::InvalidCredentials);
    }
    let throttle = model::throttle_for(conn, key)?;
    if let Some(until) = throttle
        .as_ref()
        .and_then(|t| t.locked_until)
        .filter(|u| *u > now)
    {
        return Err(AppError::TooManyAttempts {
            retry_after_secs: (until - now).num_seconds(),
        });
    }
    let employee = org::employee_by_no(conn, key)?.filter(|e| e.active);
    let hash = employee.as_ref().and_then(|e| e.password_hash.as_deref());
    if password::verify(password_given, hash) {
        if throttle.is_some() {
            model::clear_throttle(conn, key)?;
        }
        return Ok(employee.expect("a matched password has an employee"));
    }
    let failures = throttle.map_or(0, |t| t.failures) + 1;
    if failures >= rules.max_failed_logins {
        let until = now + Duration::minutes(rules.lockout_minutes);
        model::save_throttle(conn, key, 0, Some(until), now)?;
        tracing::warn!(employee_no = key, "login locked after repeated failures");
    } else {
        model::save_throttle(conn, key, failures, None, now)?;
    }
    Err(AppError::InvalidCredentials)
}

/// Changes the password after checking the current one; every other session
/// ends. Returns the employee's new session version.
pub fn change_password(
    conn: &mut DbConn,
    employee: &Employee,
    current: &str,
    new: &str,
    confirm: &str,
    now: NaiveDateTime,
) -> AppResult<i32> {
    if !password::verify(current, employee.password_hash.as_deref()) {
        return Err(AppError::validation(
            "current_password",
            "현재 비밀번호가 올바르지 않습니다.",
        ));
    }
    if new != confirm {
        return Err(AppError::validation(
            "confirm_password",
            "새 비밀번호와 확인이 다릅니다.",
        ));
    }
    if new == current {
        return Err(AppError::validation(
            "new_password",
            "새 비밀번호가 현재 비밀번호와 같습니다.",
        ));
    }
    password::check_policy(new, &employee.employee_no)?;
    let hash = password::hash(new)?;
    org::set_password(conn, &employee.id, &hash, now)?;
    audit::record(
        conn,
        now,
        Some(&employee.id),
        "password.change",
        &employee.id,
        json!({}),
    )?;
    Ok(employee.session_version + 1)
}
