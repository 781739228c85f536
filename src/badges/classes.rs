//! Badge classes as an administrator writes them.

use base64::Engine;
use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::ToSchema;

use super::image;
use super::links::checked_link;
use super::model::{self, BadgeClass};
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};
use crate::org::policy::PrizeTier;

crate::text_enum! {
    /// The achievement that earns a badge by itself.
    pub enum BadgeRule {
        MeetingsAttended = ("meetings_attended", "한 해 정기 모임 참석 횟수"),
        ReportsOnTime = ("reports_on_time", "연속 기한 내 월간 보고 (동아리)"),
        Prize = ("prize", "평가 시상 (동아리 회원)"),
        TopContributor = ("top_contributor", "평가 우수 기여자"),
        HoursTarget = ("hours_target", "연간 상시학습 목표 달성"),
        Mileage = ("mileage", "누적 마일리지"),
        Course = ("course", "교육과정 이수 (인사 자료)"),
        Certificate = ("certificate", "자격 취득 (인사 자료)"),
    }
}

impl BadgeRule {
    /// Whether the rule counts something up to a threshold.
    pub fn has_threshold(self) -> bool {
        matches!(
            self,
            BadgeRule::MeetingsAttended | BadgeRule::ReportsOnTime | BadgeRule::Mileage
        )
    }

    /// Whether the rule can be narrowed to what its event names.
    pub fn can_match(self) -> bool {
        matches!(
            self,
            BadgeRule::Prize | BadgeRule::Course | BadgeRule::Certificate
        )
    }
}

/// A class as an administrator writes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ClassInput {
    pub name: String,
    pub description: String,
    /// What a person does to earn it, in words.
    pub criteria: String,
    /// The achievement that earns it by itself; none: awarded by hand.
    pub rule: Option<BadgeRule>,
    /// The rule's number (meetings in a year, months in a row, points),
    /// for the rules that count.
    pub rule_threshold: Option<i64>,
    /// For `prize`, the tier (`grand`, `excellent`, `encouragement`); for
    /// `course` or `certificate`, words its title contains. None: any.
    pub rule_match: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// A competency it stands for.
    pub alignment_name: Option<String>,
    pub alignment_url: Option<String>,
    /// Months an award stays valid; none: no expiry.
    pub valid_months: Option<i32>,
    /// `#rrggbb`, for the generated image.
    #[serde(default = "default_colour")]
    pub colour: String,
    /// An uploaded PNG or SVG, base64; none: generated from the name.
    pub image_base64: Option<String>,
}

fn default_colour() -> String {
    "#2b5ca8".to_string()
}

fn problem(problems: &mut Vec<(&'static str, String)>, field: &'static str, message: &str) {
    problems.push((field, message.to_string()));
}

fn text_within(value: &str, max: usize) -> bool {
    let n = value.trim().chars().count();
    (1..=max).contains(&n)
}

/// The class described by `input`, checked; the first problem is named.
fn checked(
    input: &ClassInput,
    organization_id: &str,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<BadgeClass> {
    let mut problems = Vec::new();
    if !text_within(&input.name, 100) {
        problem(&mut problems, "name", "이름은 1~100자로 적어 주세요.");
    }
    if !text_within(&input.description, 2000) {
        problem(
            &mut problems,
            "description",
            "설명은 1~2,000자로 적어 주세요.",
        );
    }
    if !text_within(&input.criteria, 2000) {
        problem(
            &mut problems,
            "criteria",
            "취득 기준은 1~2,000자로 적어 주세요.",
        );
    }
    let counts = input.rule.is_some_and(BadgeRule::has_threshold);
    match input.rule_threshold {
        None if counts => problem(
            &mut problems,
            "rule_threshold",
            "이 규칙의 기준 숫자를 적어 주세요.",
        ),
        Some(_) if !counts => problem(
            &mut problems,
            "rule_threshold",
            "이 규칙에는 기준 숫자가 없습니다.",
        ),
        Some(n) if !(1..=1_000_000).contains(&n) => problem(
            &mut problems,
            "rule_threshold",
            "기준 숫자는 1~1,000,000입니다.",
        ),
        _ => {}
    }
    let rule_match = input
        .rule_match
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    match (input.rule, rule_match) {
        (_, None) => {}
        (Some(BadgeRule::Prize), Some(tier)) if PrizeTier::parse(tier).is_none() => problem(
            &mut problems,
            "rule_match",
            "시상 등급은 최우수, 우수, 장려 중 하나입니다 (모든 등급이면 비워 두세요).",
        ),
        (Some(rule), Some(words)) if rule.can_match() => {
            if words.chars().count() > 100 {
                problem(&mut problems, "rule_match", "조건은 100자까지입니다.");
            }
        }
        (_, Some(_)) => problem(
            &mut problems,
            "rule_match",
            "이 규칙에는 조건을 붙일 수 없습니다.",
        ),
    }
    let tags: Vec<String> = input
        .tags
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    if tags.len() > 10 || tags.iter().any(|t| t.chars().count() > 30) {
        problem(&mut problems, "tags", "태그는 30자 이내로 10개까지입니다.");
    }
    let alignment_name = input
        .alignment_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let alignment_url = match checked_link("alignment_url", "역량", input.alignment_url.as_deref())
    {
        Ok(url) => url,
        Err(AppError::Validation { message, .. }) => {
            problems.push(("alignment_url", message));
            None
        }
        Err(e) => return Err(e),
    };
    if alignment_name.is_some_and(|n| n.chars().count() > 200) {
        problem(
            &mut problems,
            "alignment_name",
            "역량 이름은 200자까지입니다.",
        );
    }
    if alignment_url.is_some() && alignment_name.is_none() {
        problem(
            &mut problems,
            "alignment_name",
            "역량 주소가 있으면 역량 이름도 적어 주세요.",
        );
    }
    if input.valid_months.is_some_and(|m| !(1..=120).contains(&m)) {
        problem(
            &mut problems,
            "valid_months",
            "유효 기간은 1~120개월입니다 (만료가 없으면 비워 두세요).",
        );
    }
    if image::parse_colour(&input.colour).is_none() {
        problem(&mut problems, "colour", "색은 #rrggbb 형식입니다.");
    }
    let (image_type, image) = match input.image_base64.as_deref().map(str::trim) {
        None | Some("") => ("generated", None),
        Some(encoded) => match base64::engine::general_purpose::STANDARD.decode(encoded) {
            Ok(bytes) => match image::check_upload(&bytes) {
                Ok(kind) => (kind, Some(bytes)),
                Err(AppError::Validation { message, .. }) => {
                    problems.push(("image_base64", message));
                    ("generated", None)
                }
                Err(e) => return Err(e),
            },
            Err(_) => {
                problem(&mut problems, "image_base64", "이미지가 base64가 아닙니다.");
                ("generated", None)
            }
        },
    };
    if let Some((field, message)) = problems.into_iter().next() {
        return Err(AppError::validation(field, message));
    }
    Ok(BadgeClass {
        id: new_id(),
        organization_id: organization_id.to_string(),
        name: input.name.trim().to_string(),
        description: input.description.trim().to_string(),
        criteria: input.criteria.trim().to_string(),
        rule: input.rule.map(|r| r.code().to_string()),
        rule_threshold: input.rule_threshold,
        rule_match: match (input.rule, rule_match) {
            (Some(BadgeRule::Prize), Some(tier)) => {
                PrizeTier::parse(tier).map(|t| t.code().to_string())
            }
            (_, m) => m.map(str::to_string),
        },
        tags: serde_json::to_string(&tags).expect("strings serialize"),
        alignment_name: alignment_name.map(str::to_string),
        alignment_url,
        valid_months: input.valid_months,
        colour: input.colour.to_ascii_lowercase(),
        image_type: image_type.to_string(),
        image,
        created_by: by.to_string(),
        created_at: now,
    })
}

/// Adds a badge class to the office (administrators; audited). A name the
/// office already uses answers 409.
pub fn add(
    conn: &mut DbConn,
    organization_id: &str,
    input: &ClassInput,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<BadgeClass> {
    let class = checked(input, organization_id, by, now)?;
    crate::db::write_tx(conn, |conn| {
        model::insert_class(conn, &class).map_err(AppError::unique_as(
            "this office already has a badge with that name",
        ))?;
        crate::audit::record(
            conn,
            now,
            Some(by),
            "badges.class_added",
            &class.id,
            serde_json::json!({ "name": class.name, "rule": class.rule, "threshold": class.rule_threshold }),
        )?;
        Ok(class.clone().without_image())
    })
}

/// A class of this office; another office's answers 404.
pub fn office_class(
    conn: &mut DbConn,
    organization_id: &str,
    class_id: &str,
) -> AppResult<BadgeClass> {
    let class = model::class_by_id(conn, class_id)?;
    if class.organization_id != organization_id {
        return Err(AppError::NotFound);
    }
    Ok(class)
}
