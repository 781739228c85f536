//! Logging in (with the failed-login lockout) and changing a password.

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use super::model;
use crate::audit;
use crate::config::AuthSettings;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, Checks};
use crate::org::model::{self as org, Employee};
use crate::password;

/// A login attempt, counted before its password is checked, so that
/// parallel guesses cannot slip past the lockout: at most
/// `max_failed_logins` attempts on one number are ever checked before it
/// locks.
pub struct Attempt {
    key: String,
    employee: Option<Employee>,
}

impl Attempt {
    /// The stored hash to compare with (none for an unknown number).
    pub fn password_hash(&self) -> Option<String> {
        self.employee.as_ref().and_then(|e| e.password_hash.clone())
    }
}

/// Counts an attempt on `employee_no` (known or not) and reads the account,
/// in one write transaction. A locked number, or one with as many attempts
/// in flight as are allowed, answers `TooManyAttempts` and counts nothing.
pub fn begin_attempt(
    conn: &mut DbConn,
    organization_id: &str,
    employee_no: &str,
    rules: &AuthSettings,
    now: NaiveDateTime,
) -> AppResult<Attempt> {
    let key = employee_no.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(AppError::InvalidCredentials);
    }
    // Numbers are counted per organization: the same number elsewhere is
    // another person.
    let counted = format!("{organization_id}/{key}");
    crate::db::write_tx(conn, |conn| {
        let throttle = model::count_attempt(conn, &counted, now)?;
        if let Some(until) = throttle.locked_until.filter(|u| *u > now) {
            return Err(AppError::TooManyAttempts {
                retry_after_secs: (until - now).num_seconds(),
            });
        }
        if throttle.failures > rules.max_failed_logins {
            return Err(AppError::TooManyAttempts {
                retry_after_secs: rules.lockout_minutes * 60,
            });
        }
        let employee = org::employee_by_no(conn, organization_id, key)?.filter(|e| e.active);
        Ok(Attempt {
            key: counted,
            employee,
        })
    })
}

/// Records the outcome of a checked attempt. Unknown numbers, inactive
/// accounts and wrong passwords all answer `InvalidCredentials`; the
/// failure that reaches `max_failed_logins` locks the number for
/// `lockout_minutes`, whether or not it exists.
pub fn finish_attempt(
    conn: &mut DbConn,
    attempt: Attempt,
    matched: bool,
    rules: &AuthSettings,
    now: NaiveDateTime,
) -> AppResult<Employee> {
    match attempt.employee {
        Some(employee) if matched => {
            model::clear_throttle(conn, &attempt.key)?;
            Ok(employee)
        }
        _ => {
            let until = now + Duration::minutes(rules.lockout_minutes);
            if model::lock_if_exhausted(conn, &attempt.key, rules.max_failed_logins, until)? {
                tracing::warn!(employee_no = attempt.key, "locked after repeated failures");
            }
            Err(AppError::InvalidCredentials)
        }
    }
}

/// What makes a new password acceptable, apart from knowing the current one.
pub fn check_new_password(
    employee_no: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> AppResult<()> {
    let mut checks = Checks::default();
    if new == current {
        checks.problem("new_password", "새 비밀번호가 현재 비밀번호와 같습니다.");
    }
    checks.take(password::check_policy(new, employee_no))?;
    if new != confirm {
        checks.problem("confirm_password", "새 비밀번호와 확인이 다릅니다.");
    }
    checks.done()
}

/// Stores a new password hash; every other session ends. Returns the
/// employee's new session version.
pub fn set_password(
    conn: &mut DbConn,
    employee: &Employee,
    new_hash: &str,
    now: NaiveDateTime,
) -> AppResult<i32> {
    crate::db::write_tx(conn, |conn| {
        org::set_password(conn, &employee.id, new_hash, now)?;
        audit::record(
            conn,
            now,
            Some(&employee.id),
            "password.change",
            &employee.id,
            json!({}),
        )?;
        Ok(employee.session_version + 1)
    })
}
