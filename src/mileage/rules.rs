//! The earning rules and the conversion rule: versions an office adds,
//! each from a date, over the defaults of the configuration. A version is
//! never changed and never starts before today, so that what someone has
//! earned is never recomputed under them: a change applies from its day on.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{self, ConversionRule, MileageRule};
use crate::config::Settings;
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};

crate::text_enum! {
    /// What earns mileage.
    pub enum Activity {
        Post = ("post", "학습성과물 게시"),
        Comment = ("comment", "다른 사람 글에 댓글"),
        Meeting = ("meeting", "모임 참석"),
        ReportOnTime = ("report_on_time", "월별 보고서 기한 내 제출"),
        PrizeGrand = ("prize_grand", "평가 최우수 동아리"),
        PrizeExcellent = ("prize_excellent", "평가 우수 동아리"),
        PrizeEncouragement = ("prize_encouragement", "평가 장려 동아리"),
        TopContributor = ("top_contributor", "평가 우수 기여자"),
        Badge = ("badge", "배지 획득"),
    }
}

/// What an activity earns under one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Terms {
    pub points: i64,
    /// Events a person earns for per day; none: no limit.
    pub daily_limit: Option<i32>,
    /// Activities of one pool share its half-year cap.
    pub pool: String,
    /// Points a person earns per half-year from the pool; none: no cap.
    pub half_year_cap: Option<i64>,
}

impl Terms {
    /// How the rule reads on a movement: `post: 10 points, 3 a day, pool
    /// community capped at 300 a half`.
    pub fn label(&self, activity: Activity) -> String {
        let mut label = format!("{}: {} points", activity.code(), self.points);
        if let Some(limit) = self.daily_limit {
            label.push_str(&format!(", {limit} a day"));
        }
        if let Some(cap) = self.half_year_cap {
            label.push_str(&format!(", pool {} capped at {cap} a half", self.pool));
        }
        label
    }
}

fn default_terms(settings: &Settings, activity: Activity) -> Terms {
    settings
        .mileage
        .rules
        .iter()
        .find(|r| r.activity == activity.code())
        .map(|r| Terms {
            points: r.points,
            daily_limit: r.daily_limit,
            pool: r
                .pool
                .clone()
                .unwrap_or_else(|| activity.code().to_string()),
            half_year_cap: r.half_year_cap,
        })
        .unwrap_or(Terms {
            points: 0,
            daily_limit: None,
            pool: activity.code().to_string(),
            half_year_cap: None,
        })
}

fn terms_of(rule: &MileageRule) -> Terms {
    Terms {
        points: rule.points,
        daily_limit: rule.daily_limit,
        pool: rule.cap_pool.clone(),
        half_year_cap: rule.half_year_cap,
    }
}

/// The terms an activity earns under on `day`, with the label written on
/// each movement it makes.
pub fn governing(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    activity: Activity,
    day: NaiveDate,
) -> AppResult<(Terms, String)> {
    Ok(
        match model::rule_on(conn, organization_id, activity.code(), day)? {
            Some(rule) => {
                let terms = terms_of(&rule);
                let label = format!(
                    "{} (v{} from {})",
                    terms.label(activity),
                    rule.version,
                    rule.valid_from
                );
                (terms, label)
            }
            None => {
                let terms = default_terms(settings, activity);
                let label = format!("{} (default)", terms.label(activity));
                (terms, label)
            }
        },
    )
}

/// One activity's rule in effect on a day, as the rules page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InEffect {
    pub activity: Activity,
    pub label: &'static str,
    pub terms: Terms,
    /// The version, or none for the configuration's default.
    pub version: Option<i32>,
    pub valid_from: Option<NaiveDate>,
}

pub fn in_effect(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    day: NaiveDate,
) -> AppResult<Vec<InEffect>> {
    // Latest first within each activity: the first that has begun governs.
    let versions = model::rules_of(conn, organization_id)?;
    let mut rows = Vec::with_capacity(Activity::ALL.len());
    for &activity in Activity::ALL {
        let version = versions
            .iter()
            .find(|v| v.activity == activity.code() && v.valid_from <= day);
        rows.push(InEffect {
            activity,
            label: activity.label_ko(),
            terms: version.map_or_else(|| default_terms(settings, activity), terms_of),
            version: version.map(|v| v.version),
            valid_from: version.map(|v| v.valid_from),
        });
    }
    Ok(rows)
}

/// An earning rule as an administrator proposes it.
pub struct RuleInput<'a> {
    pub activity: &'a str,
    pub valid_from: &'a str,
    pub points: i64,
    pub daily_limit: Option<i32>,
    pub pool: Option<&'a str>,
    pub half_year_cap: Option<i64>,
    pub reason: &'a str,
}

pub fn valid_from(text: &str, today: NaiveDate) -> AppResult<NaiveDate> {
    let day = crate::fields::parse_date("valid_from", text)?;
    if day < today {
        return Err(AppError::validation(
            "valid_from",
            "규칙은 오늘 이후부터 적용할 수 있습니다 (이미 쌓인 마일리지는 바뀌지 않습니다).",
        ));
    }
    Ok(day)
}

pub const TAKEN: &str = "다른 관리자가 방금 규칙을 추가했습니다. 목록을 확인한 뒤 다시 시도하세요.";

/// Adds the office's next version of an activity's rule (administrators;
/// audited). Two added at once cannot take one number: the loser answers 409.
pub fn add_version(
    conn: &mut DbConn,
    organization_id: &str,
    input: &RuleInput<'_>,
    by: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<MileageRule> {
    let activity = Activity::parse(input.activity)
        .ok_or_else(|| AppError::validation("activity", "알 수 없는 활동입니다."))?;
    let valid_from = valid_from(input.valid_from, today)?;
    if !(0..=100_000).contains(&input.points) {
        return Err(AppError::validation("points", "점수는 0~100,000점입니다."));
    }
    if input.daily_limit.is_some_and(|d| !(1..=1000).contains(&d)) {
        return Err(AppError::validation(
            "daily_limit",
            "하루 한도는 1~1,000건입니다 (없으면 비워 두세요).",
        ));
    }
    if input
        .half_year_cap
        .is_some_and(|c| !(1..=1_000_000).contains(&c))
    {
        return Err(AppError::validation(
            "half_year_cap",
            "반기 한도는 1~1,000,000점입니다 (없으면 비워 두세요).",
        ));
    }
    let pool = match input.pool.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) if p.len() <= 40 && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            p.to_string()
        }
        Some(_) => {
            return Err(AppError::validation(
                "pool",
                "한도 묶음 이름은 영문·숫자·밑줄 40자까지입니다.",
            ))
        }
        None => activity.code().to_string(),
    };
    let reason = crate::fields::required("reason", "사유", input.reason, 1000)?;
    let last = model::last_rule_version(conn, organization_id, activity.code())?;
    let rule = MileageRule {
        id: new_id(),
        organization_id: organization_id.to_string(),
        activity: activity.code().to_string(),
        version: last.unwrap_or(0) + 1,
        valid_from,
        points: input.points,
        daily_limit: input.daily_limit,
        cap_pool: pool,
        half_year_cap: input.half_year_cap,
        reason,
        created_by: by.to_string(),
        created_at: now,
    };
    model::insert_rule(conn, &rule).map_err(AppError::unique_as(TAKEN))?;
    crate::audit::record(
        conn,
        now,
        Some(by),
        "mileage.rule_added",
        &rule.id,
        serde_json::json!({
            "activity": rule.activity,
            "version": rule.version,
            "valid_from": rule.valid_from.to_string(),
            "points": rule.points,
            "daily_limit": rule.daily_limit,
            "pool": rule.cap_pool,
            "half_year_cap": rule.half_year_cap,
            "reason": rule.reason,
        }),
    )?;
    Ok(rule)
}

/// How mileage converts into hours under one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ConversionTerms {
    pub points_per_hour: i64,
    pub yearly_cap_minutes: i64,
    pub needs_approval: bool,
    /// The version, or none for the configuration's default.
    pub version: Option<i32>,
}

impl ConversionTerms {
    pub fn label(&self) -> String {
        let mut label = format!(
            "conversion: {} points an hour, at most {} min a year{}",
            self.points_per_hour,
            self.yearly_cap_minutes,
            if self.needs_approval {
                ", approved"
            } else {
                ""
            }
        );
        match self.version {
            Some(v) => label.push_str(&format!(" (v{v})")),
            None => label.push_str(" (default)"),
        }
        label
    }
}

pub fn conversion_terms(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    day: NaiveDate,
) -> AppResult<ConversionTerms> {
    Ok(
        match model::conversion_rule_on(conn, organization_id, day)? {
            Some(rule) => ConversionTerms {
                points_per_hour: rule.points_per_hour,
                yearly_cap_minutes: rule.yearly_cap_minutes,
                needs_approval: rule.needs_approval,
                version: Some(rule.version),
            },
            None => ConversionTerms {
                points_per_hour: settings.mileage.points_per_hour,
                yearly_cap_minutes: settings.mileage.yearly_conversion_cap_hours * 60,
                needs_approval: settings.mileage.conversion_needs_approval,
                version: None,
            },
        },
    )
}

pub struct ConversionRuleInput<'a> {
    pub valid_from: &'a str,
    pub points_per_hour: i64,
    pub yearly_cap_hours: i64,
    pub needs_approval: bool,
    pub reason: &'a str,
}

/// Adds the office's next version of the conversion rule (administrators;
/// audited).
pub fn add_conversion_version(
    conn: &mut DbConn,
    organization_id: &str,
    input: &ConversionRuleInput<'_>,
    by: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<ConversionRule> {
    let valid_from = valid_from(input.valid_from, today)?;
    if !(1..=100_000).contains(&input.points_per_hour) {
        return Err(AppError::validation(
            "points_per_hour",
            "1시간에 필요한 점수는 1~100,000점입니다.",
        ));
    }
    if !(0..=1000).contains(&input.yearly_cap_hours) {
        return Err(AppError::validation(
            "yearly_cap_hours",
            "연간 전환 한도는 0~1,000시간입니다.",
        ));
    }
    let reason = crate::fields::required("reason", "사유", input.reason, 1000)?;
    let last = model::last_conversion_rule_version(conn, organization_id)?;
    let rule = ConversionRule {
        id: new_id(),
        organization_id: organization_id.to_string(),
        version: last.unwrap_or(0) + 1,
        valid_from,
        points_per_hour: input.points_per_hour,
        yearly_cap_minutes: input.yearly_cap_hours * 60,
        needs_approval: input.needs_approval,
        reason,
        created_by: by.to_string(),
        created_at: now,
    };
    model::insert_conversion_rule(conn, &rule).map_err(AppError::unique_as(TAKEN))?;
    crate::audit::record(
        conn,
        now,
        Some(by),
        "mileage.conversion_rule_added",
        &rule.id,
        serde_json::json!({
            "version": rule.version,
            "valid_from": rule.valid_from.to_string(),
            "points_per_hour": rule.points_per_hour,
            "yearly_cap_minutes": rule.yearly_cap_minutes,
            "needs_approval": rule.needs_approval,
            "reason": rule.reason,
        }),
    )?;
    Ok(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_rule_names_an_activity() {
        let settings = Settings::load_from(
            std::path::Path::new("/nonexistent"),
            None,
            Vec::<(String, String)>::new(),
        )
        .expect("default settings");
        for rule in &settings.mileage.rules {
            assert!(
                Activity::parse(&rule.activity).is_some(),
                "{}",
                rule.activity
            );
        }
        let post = default_terms(&settings, Activity::Post);
        assert_eq!(post.points, 10);
        assert_eq!(post.daily_limit, Some(3));
        assert_eq!(default_terms(&settings, Activity::Comment).pool, post.pool);
        assert_eq!(default_terms(&settings, Activity::Meeting).pool, "meeting");
    }

    #[test]
    fn a_rule_reads_on_its_movement() {
        let terms = Terms {
            points: 10,
            daily_limit: Some(3),
            pool: "community".into(),
            half_year_cap: Some(300),
        };
        assert_eq!(
            terms.label(Activity::Post),
            "post: 10 points, 3 a day, pool community capped at 300 a half"
        );
    }
}
