//! What earns learning vouchers: versions an office adds, each from a day
//! on, over the configuration's defaults — as with the mileage rules, a
//! version never changes and never starts before today.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{self, VoucherRule};
use crate::config::Settings;
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};

crate::text_enum! {
    /// What earns vouchers.
    pub enum VoucherActivity {
        Course = ("course", "교육과정 이수"),
        Badge = ("badge", "배지 획득"),
        Leaderboard = ("leaderboard", "월간 리더보드 상위"),
    }
}

/// What an activity earns under one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VoucherTerms {
    pub vouchers: i64,
    /// For the leaderboard: the places of a month's board that earn.
    pub top_n: Option<i32>,
    /// The version, or none for the configuration's default.
    pub version: Option<i32>,
    pub valid_from: Option<NaiveDate>,
}

impl VoucherTerms {
    /// How the rule reads on a movement.
    pub fn label(&self, activity: VoucherActivity) -> String {
        let mut label = format!("{}: {} vouchers", activity.code(), self.vouchers);
        if let Some(n) = self.top_n {
            label.push_str(&format!(" to each of the top {n}"));
        }
        match (self.version, self.valid_from) {
            (Some(v), Some(from)) => label.push_str(&format!(" (v{v} from {from})")),
            _ => label.push_str(" (default)"),
        }
        label
    }
}

fn default_terms(settings: &Settings, activity: VoucherActivity) -> VoucherTerms {
    let rule = settings
        .vouchers
        .rules
        .iter()
        .find(|r| r.activity == activity.code());
    VoucherTerms {
        vouchers: rule.map_or(0, |r| r.vouchers),
        top_n: match activity {
            VoucherActivity::Leaderboard => Some(rule.and_then(|r| r.top_n).unwrap_or(10)),
            _ => None,
        },
        version: None,
        valid_from: None,
    }
}

fn terms_of(rule: &VoucherRule) -> VoucherTerms {
    VoucherTerms {
        vouchers: rule.vouchers,
        top_n: rule.top_n,
        version: Some(rule.version),
        valid_from: Some(rule.valid_from),
    }
}

/// The terms an activity earns under on `day`.
pub fn governing(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    activity: VoucherActivity,
    day: NaiveDate,
) -> AppResult<VoucherTerms> {
    Ok(
        match model::rule_on(conn, organization_id, activity.code(), day)? {
            Some(rule) => terms_of(&rule),
            None => default_terms(settings, activity),
        },
    )
}

/// One activity's rule in effect on a day, as the rules page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoucherRuleInEffect {
    pub activity: VoucherActivity,
    pub label: &'static str,
    pub terms: VoucherTerms,
}

pub fn in_effect(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    day: NaiveDate,
) -> AppResult<Vec<VoucherRuleInEffect>> {
    let versions = model::rules_of(conn, organization_id)?;
    Ok(VoucherActivity::ALL
        .iter()
        .map(|&activity| VoucherRuleInEffect {
            activity,
            label: activity.label_ko(),
            terms: versions
                .iter()
                .find(|v| v.activity == activity.code() && v.valid_from <= day)
                .map_or_else(|| default_terms(settings, activity), terms_of),
        })
        .collect())
}

/// A voucher rule as an administrator proposes it.
pub struct VoucherRuleInput<'a> {
    pub activity: &'a str,
    pub valid_from: &'a str,
    pub vouchers: i64,
    pub top_n: Option<i32>,
    pub reason: &'a str,
}

/// Adds the office's next version of an activity's voucher rule
/// (administrators; audited).
pub fn add_version(
    conn: &mut DbConn,
    organization_id: &str,
    input: &VoucherRuleInput<'_>,
    by: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<VoucherRule> {
    let activity = VoucherActivity::parse(input.activity)
        .ok_or_else(|| AppError::validation("activity", "알 수 없는 활동입니다."))?;
    let valid_from = crate::mileage::rules::valid_from(input.valid_from, today)?;
    if !(0..=10_000).contains(&input.vouchers) {
        return Err(AppError::validation(
            "vouchers",
            "바우처 수는 0~10,000입니다.",
        ));
    }
    let top_n = match (activity, input.top_n) {
        (VoucherActivity::Leaderboard, Some(n)) if (1..=100).contains(&n) => Some(n),
        (VoucherActivity::Leaderboard, _) => {
            return Err(AppError::validation(
                "top_n",
                "리더보드 규칙에는 상위 몇 명(1~100)에게 줄지 적어 주세요.",
            ))
        }
        (_, Some(_)) => {
            return Err(AppError::validation(
                "top_n",
                "상위 인원은 리더보드 규칙에만 적습니다.",
            ))
        }
        (_, None) => None,
    };
    let reason = crate::fields::required("reason", "사유", input.reason, 1000)?;
    let last = model::last_rule_version(conn, organization_id, activity.code())?;
    let rule = VoucherRule {
        id: new_id(),
        organization_id: organization_id.to_string(),
        activity: activity.code().to_string(),
        version: last.unwrap_or(0) + 1,
        valid_from,
        vouchers: input.vouchers,
        top_n,
        reason,
        created_by: by.to_string(),
        created_at: now,
    };
    model::insert_rule(conn, &rule).map_err(AppError::unique_as(crate::mileage::rules::TAKEN))?;
    crate::audit::record(
        conn,
        now,
        Some(by),
        "vouchers.rule_added",
        &rule.id,
        serde_json::json!({
            "activity": rule.activity,
            "version": rule.version,
            "valid_from": rule.valid_from.to_string(),
            "vouchers": rule.vouchers,
            "top_n": rule.top_n,
            "reason": rule.reason,
        }),
    )?;
    Ok(rule)
}
