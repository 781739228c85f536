//! An organization's own rules (its policy): report months, due day,
//! holiday shift, reminders, the hours cap, meeting defaults, and the
//! rubric, prize table and other defaults of a new evaluation round. Each
//! organization stores only what differs from `config/default.toml`, as a
//! JSON object shaped like the config's `[clubs]`, `[reports]` and
//! `[evaluation]` sections; what it does not say, the config says.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::model;
use crate::audit;
use crate::config::{ClubSettings, EvaluationSettings, ReportSettings, Settings};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, Checks};

crate::text_enum! {
    /// The tiers a prize table names (seed 002), best first.
    pub enum PrizeTier {
        Grand = ("grand", "최우수"),
        Excellent = ("excellent", "우수"),
        Encouragement = ("encouragement", "장려"),
    }
}

impl PrizeTier {
    /// 최우수 and 우수 clubs recommend top contributors.
    pub fn has_top_contributors(self) -> bool {
        matches!(self, PrizeTier::Grand | PrizeTier::Excellent)
    }
}

/// The rules in force in one organization.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    #[schema(value_type = Object)]
    pub clubs: ClubSettings,
    #[schema(value_type = Object)]
    pub reports: ReportSettings,
    #[schema(value_type = Object)]
    pub evaluation: EvaluationSettings,
}

impl Policy {
    /// The configured defaults, overridden by an organization's own keys.
    pub fn with_overrides(settings: &Settings, overrides: &Value) -> AppResult<Self> {
        // Most offices keep the defaults: read on every page, they are
        // copied, not sent through JSON.
        if overrides.as_object().is_some_and(Map::is_empty) {
            return Ok(Policy {
                clubs: settings.clubs.clone(),
                reports: settings.reports.clone(),
                evaluation: settings.evaluation.clone(),
            });
        }
        let mut merged = json!({
            "clubs": settings.clubs,
            "reports": settings.reports,
            "evaluation": settings.evaluation,
        });
        let Some(sections) = overrides.as_object() else {
            return Err(AppError::validation(
                "policy",
                "정책은 JSON 객체여야 합니다.",
            ));
        };
        for (section, keys) in sections {
            let (Some(target), Some(keys)) = (
                merged.get_mut(section).and_then(Value::as_object_mut),
                keys.as_object(),
            ) else {
                return Err(AppError::validation(
                    section,
                    "정책은 clubs, reports, evaluation 항목별 객체입니다.",
                ));
            };
            merge(target, keys);
        }
        let policy: Policy = serde_json::from_value(merged).map_err(|e| {
            AppError::validation("policy", format!("정책 값이 올바르지 않습니다: {e}"))
        })?;
        policy.check()?;
        Ok(policy)
    }

    /// The rules an office may break by editing its policy, each named by
    /// its field, in Korean; every wrong field at once.
    fn check(&self) -> AppResult<()> {
        let mut checks = Checks::default();
        for broken in self
            .reports
            .problems()
            .into_iter()
            .chain(self.clubs.problems())
        {
            checks.problem(&broken.field, broken.message);
        }
        if self.evaluation.special_leave_days < 0 {
            checks.problem("special_leave_days", "특별휴가 일수는 0일 이상입니다.");
        }
        checks.done()
    }
}

fn merge(target: &mut Map<String, Value>, keys: &Map<String, Value>) {
    for (key, value) in keys {
        target.insert(key.clone(), value.clone());
    }
}

/// The rules in force in the organization.
pub fn of(conn: &mut DbConn, settings: &Settings, organization_id: &str) -> AppResult<Policy> {
    let organization = model::organization_by_id(conn, organization_id)?;
    let overrides: Value = serde_json::from_str(&organization.policy)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("organization policy: {e}")))?;
    Policy::with_overrides(settings, &overrides)
}

/// What the organization itself says (its overrides only).
pub fn overrides_of(conn: &mut DbConn, organization_id: &str) -> AppResult<Value> {
    let organization = model::organization_by_id(conn, organization_id)?;
    serde_json::from_str(&organization.policy)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("organization policy: {e}")))
}

/// An administrator replaces the organization's overrides: checked against
/// every rule before it is stored, the change kept in the audit trail.
pub fn save(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    overrides: &Value,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<Policy> {
    let policy = Policy::with_overrides(settings, overrides)?;
    let before = overrides_of(conn, organization_id)?;
    model::set_policy(conn, organization_id, &overrides.to_string())?;
    audit::record(
        conn,
        now,
        Some(by),
        "organization.policy",
        organization_id,
        json!({ "from": before, "to": overrides }),
    )?;
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::load_from(
            std::path::Path::new("/nonexistent"),
            None,
            Vec::<(String, String)>::new(),
        )
        .unwrap()
    }

    #[test]
    fn an_organization_overrides_only_what_it_says() {
        let s = settings();
        let none = Policy::with_overrides(&s, &json!({})).unwrap();
        assert_eq!(none.reports.due_day, 5);
        let own = Policy::with_overrides(
            &s,
            &json!({ "reports": { "due_day": 4, "months": [4, 5, 6] }, "clubs": { "half_year_cap_hours": 16 } }),
        )
        .unwrap();
        assert_eq!(
            (own.reports.due_day, own.reports.months.clone()),
            (4, vec![4, 5, 6])
        );
        assert_eq!(own.reports.overdue_day, 6, "unsaid keys keep the config's");
        assert_eq!(own.clubs.half_year_cap_hours, 16);
        assert_eq!(own.evaluation.prizes.len(), 3);
    }

    #[test]
    fn a_policy_breaking_a_rule_is_refused_naming_it() {
        let s = settings();
        for (bad, field) in [
            (json!({ "reports": { "due_day": 40 } }), "due_day"),
            (json!({ "reports": { "due_day": 6 } }), "overdue_day"),
            (json!({ "clubs": { "work_end": "07:00" } }), "work_end"),
            (json!({ "reports": { "nope": 1 } }), "policy"),
            (json!({ "mail": { "from": "x" } }), "mail"),
            (json!([1]), "policy"),
        ] {
            match Policy::with_overrides(&s, &bad) {
                Err(AppError::Validation { field: f, .. }) => assert_eq!(f, field, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
