//! The demo's badges: three earned by rule, given for the past year by a
//! backfill, and one an administrator awards by hand.

use chrono::{NaiveDate, NaiveDateTime};

use super::awards::{self, Grant};
use super::classes::{self, BadgeRule, ClassInput};
use super::rules;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;

fn class(
    name: &str,
    description: &str,
    criteria: &str,
    rule: Option<(BadgeRule, Option<i64>)>,
    colour: &str,
) -> ClassInput {
    ClassInput {
        name: name.into(),
        description: description.into(),
        criteria: criteria.into(),
        rule: rule.map(|(r, _)| r),
        rule_threshold: rule.and_then(|(_, n)| n),
        rule_match: None,
        tags: vec!["학습동아리".into()],
        alignment_name: None,
        alignment_url: None,
        valid_months: None,
        colour: colour.into(),
        image_base64: None,
    }
}

/// (classes, awards) made.
pub fn load(
    conn: &mut DbConn,
    settings: &Settings,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(usize, usize)> {
    let (office, admin) = crate::org::demo::office_and_administrator(conn)?;
    let inputs = [
        class(
            "정기 모임 개근",
            "한 해 동안 학습동아리 정기 모임에 꾸준히 참석한 회원",
            "한 해 정기 모임 10회 이상 참석",
            Some((BadgeRule::MeetingsAttended, Some(10))),
            "#2b5ca8",
        ),
        class(
            "성실 보고 동아리",
            "월간 활동보고서를 빠짐없이 기한 안에 낸 동아리의 회원",
            "6개월 연속 기한 내 월간 활동보고서 제출",
            Some((BadgeRule::ReportsOnTime, Some(6))),
            "#1f7a4d",
        ),
        class(
            "우수 학습동아리",
            "반기 성과 평가에서 상을 받은 동아리의 회원",
            "학습동아리 성과 평가 수상",
            Some((BadgeRule::Prize, None)),
            "#b8860b",
        ),
        class(
            "학습 나눔 리더",
            "동료에게 배운 것을 나누어 학습 문화를 이끈 직원",
            "사내 강의나 학습 자료 공유로 추천받은 직원",
            None,
            "#8e3b8e",
        ),
    ];
    let mut made = Vec::new();
    for input in &inputs {
        made.push(classes::add(conn, &office.id, input, &admin.id, now)?);
    }
    let mut awarded = 0;
    for class in made.iter().filter(|c| c.rule.is_some()) {
        let class = super::model::class_by_id(conn, &class.id)?;
        awarded += rules::backfill(conn, settings, &class, today, now)?;
    }
    let by_hand = super::model::class_by_id(conn, &made[3].id)?;
    for person in crate::org::model::people_of(conn, &office.id)?
        .iter()
        .filter(|p| p.id != admin.id)
        .take(2)
    {
        let recipient = crate::org::model::employee_by_id(conn, &person.id)?;
        let grant = Grant {
            achievement_key: "manual".into(),
            narrative: "부서 내 데이터 분석 강의 진행".into(),
            evidence_url: None,
            awarded_by: Some(admin.id.clone()),
        };
        awards::award(conn, settings, &by_hand, &recipient, grant, now)?;
        awarded += 1;
    }
    Ok((made.len(), awarded))
}
