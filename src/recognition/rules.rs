//! Versions of an office's club-hours rule: the half-year cap and whether
//! ad hoc meetings count, numbered per office, each from a date. A half is
//! recognized under the version starting last on or before its first day
//! (of two from the same day, the later one), or under the office's policy
//! when there is none. A version is never changed: a correction is a new
//! version, and the halves it covers that were already granted are
//! recognized again as differences only (the recognition proposal takes
//! back or adds what the new rule changes). The rows and their queries are
//! in `model`.

use chrono::NaiveDateTime;

use crate::clock::HalfYear;
use crate::clubs::hours::HoursPolicy;
use crate::config::Settings;
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};

use super::model;
pub use super::model::HoursRule;

impl HoursRule {
    pub fn policy(&self) -> HoursPolicy {
        HoursPolicy {
            half_year_cap_minutes: self.half_year_cap_minutes,
            count_ad_hoc: self.count_ad_hoc,
        }
    }
}

/// The rule a half is recognized under, and the label written on each
/// movement it makes (`rule_version`).
pub fn governing(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    half: HalfYear,
) -> AppResult<(HoursPolicy, String)> {
    Ok(
        match model::hours_rule_on(conn, organization_id, half.first_day())? {
            Some(v) => {
                let policy = v.policy();
                (
                    policy,
                    format!("{} (v{} from {})", label(policy), v.version, v.valid_from),
                )
            }
            None => {
                let rules = crate::org::policy::of(conn, settings, organization_id)?;
                let policy = HoursPolicy::of(&rules.clubs);
                (policy, label(policy))
            }
        },
    )
}

/// How a rule reads on a movement: `club-hours: cap 720 min, ad hoc not counted`.
pub fn label(policy: HoursPolicy) -> String {
    format!(
        "club-hours: cap {} min, ad hoc {}",
        policy.half_year_cap_minutes,
        if policy.count_ad_hoc {
            "counted"
        } else {
            "not counted"
        }
    )
}

/// A rule as an administrator proposes it.
pub struct RuleInput<'a> {
    pub valid_from: &'a str,
    pub half_year_cap_hours: i64,
    pub count_ad_hoc: bool,
    pub reason: &'a str,
}

/// The cap in minutes, checked: whole hours from 0 to 100.
pub fn cap_minutes(hours: i64) -> AppResult<i64> {
    if !(0..=100).contains(&hours) {
        return Err(AppError::validation(
            "half_year_cap_hours",
            "반기 인정 한도는 0~100시간입니다.",
        ));
    }
    Ok(hours * 60)
}

/// Adds the office's next version (administrators). Audited. Two added at
/// the same moment cannot take one number: the loser answers 409.
pub fn add_version(
    conn: &mut DbConn,
    organization_id: &str,
    input: &RuleInput<'_>,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<HoursRule> {
    let valid_from = crate::fields::parse_date("valid_from", input.valid_from)?;
    let cap = cap_minutes(input.half_year_cap_hours)?;
    let reason = crate::fields::required("reason", "사유", input.reason, 1000)?;
    let last = model::last_hours_rule_version(conn, organization_id)?;
    let rule = HoursRule {
        id: new_id(),
        organization_id: organization_id.to_string(),
        version: last.unwrap_or(0) + 1,
        valid_from,
        half_year_cap_minutes: cap,
        count_ad_hoc: input.count_ad_hoc,
        reason,
        created_by: by.to_string(),
        created_at: now,
    };
    model::insert_hours_rule(conn, &rule).map_err(|e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => AppError::Conflict(
            "다른 관리자가 방금 규칙을 추가했습니다. 목록을 확인한 뒤 다시 시도하세요.".into(),
        ),
        other => other.into(),
    })?;
    crate::audit::record(
        conn,
        now,
        Some(by),
        "ledger.hours_rule_added",
        &rule.id,
        serde_json::json!({
            "version": rule.version,
            "valid_from": rule.valid_from.to_string(),
            "half_year_cap_minutes": rule.half_year_cap_minutes,
            "count_ad_hoc": rule.count_ad_hoc,
            "reason": rule.reason,
        }),
    )?;
    Ok(rule)
}
