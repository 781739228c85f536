//! Converting mileage into recognized 상시학습 hours (상시학습시간 전환).
//!
//! Without approval, one movement takes the points and grants the hours:
//! both or neither. With approval, asking takes (holds) the points at once;
//! approving grants the hours, refusing gives the points back by a
//! reversal. The balance and the yearly cap are checked while the ledger's
//! chain is held, so that parallel requests cannot spend a point twice or
//! pass the cap together; one waiting conversion per person is the
//! database's rule.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{self, Conversion};
use super::rules::{self, ConversionTerms};
use crate::config::Settings;
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};
use crate::ledger::{self, Learning, LearningType, Owner, Posting, Source, Unit};

crate::text_enum! {
    pub enum ConversionStatus {
        Pending = ("pending", "승인 대기"),
        Approved = ("approved", "전환됨"),
        Refused = ("refused", "반려"),
    }
}

/// A conversion as the API answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConversionView {
    pub id: String,
    pub employee_id: String,
    pub points: i64,
    pub minutes: i64,
    pub year: i32,
    pub status: ConversionStatus,
    pub status_label: &'static str,
    pub rule_version: String,
    /// The movement that took the points.
    pub hold_movement_id: String,
    /// The movement that granted the hours (the same one without approval).
    pub grant_movement_id: Option<String>,
    /// RFC 3339, Seoul time.
    pub requested_at: String,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
}

impl From<Conversion> for ConversionView {
    fn from(c: Conversion) -> Self {
        let status = ConversionStatus::parse(&c.status).unwrap_or(ConversionStatus::Pending);
        ConversionView {
            id: c.id,
            employee_id: c.employee_id,
            points: c.points,
            minutes: c.minutes,
            year: c.year,
            status,
            status_label: status.label_ko(),
            rule_version: c.rule_version,
            hold_movement_id: c.hold_movement_id,
            grant_movement_id: c.grant_movement_id,
            requested_at: crate::format::seoul_rfc3339(c.requested_at),
            decided_at: c.decided_at.map(crate::format::seoul_rfc3339),
            decision_reason: c.decision_reason,
        }
    }
}

/// Who converts, and in which office.
pub struct Converter<'a> {
    pub organization_id: &'a str,
    pub employee_id: &'a str,
}

/// Converts `hours` whole hours of a person's mileage, under the rule of
/// `today`: at once, or waiting for approval with the points held.
pub fn request(
    conn: &mut DbConn,
    settings: &Settings,
    who: &Converter<'_>,
    hours: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Conversion> {
    if !(1..=1000).contains(&hours) {
        return Err(AppError::validation(
            "hours",
            "전환할 시간은 1시간 이상의 정수로 적어 주세요.",
        ));
    }
    crate::db::write_tx(conn, |conn| {
        ledger::model::take_chain(conn)?;
        let terms = rules::conversion_terms(conn, settings, who.organization_id, today)?;
        let (points, minutes) = (hours * terms.points_per_hour, hours * 60);
        let year = today.year();
        let used = model::converted_minutes(conn, who.employee_id, year)?;
        if used + minutes > terms.yearly_cap_minutes {
            return Err(AppError::validation(
                "hours",
                format!(
                    "올해 전환 한도는 {}이고 이미 {}을 전환했거나 승인을 기다립니다.",
                    crate::format::hours_ko(terms.yearly_cap_minutes),
                    crate::format::hours_ko(used)
                ),
            ));
        }
        let balance = ledger::model::employee_balance(conn, who.employee_id, Unit::Points)?;
        if balance < points {
            return Err(AppError::validation(
                "hours",
                format!("마일리지가 부족합니다: {hours}시간에 {points}점이 필요하고 잔액은 {balance}점입니다."),
            ));
        }
        let id = new_id();
        let hold = ledger::post(
            conn,
            movement(&id, who, &terms, points, minutes, today),
            now,
        )?
        .movement()
        .clone();
        let conversion = Conversion {
            id,
            organization_id: who.organization_id.to_string(),
            employee_id: who.employee_id.to_string(),
            points,
            minutes,
            year,
            rule_version: terms.label(),
            status: if terms.needs_approval {
                ConversionStatus::Pending
            } else {
                ConversionStatus::Approved
            }
            .code()
            .to_string(),
            grant_movement_id: (!terms.needs_approval).then(|| hold.id.clone()),
            hold_movement_id: hold.id,
            requested_at: now,
            decided_by: None,
            decided_at: (!terms.needs_approval).then_some(now),
            decision_reason: None,
        };
        model::insert_conversion(conn, &conversion).map_err(AppError::unique_as(
            "승인을 기다리는 전환이 이미 있습니다. 결정된 뒤 다시 신청하세요.",
        ))?;
        Ok(conversion)
    })
}

/// The points leaving the person for the office's pool and, unless an
/// administrator must approve, the hours arriving: one movement.
fn movement(
    id: &str,
    who: &Converter<'_>,
    terms: &ConversionTerms,
    points: i64,
    minutes: i64,
    today: NaiveDate,
) -> Posting {
    let person = Owner::Employee(who.employee_id.to_string());
    let mut legs = ledger::issue(who.organization_id, person.clone(), Unit::Points, -points);
    let mut details = vec![("conversion".to_string(), id.to_string(), -points)];
    let mut learning = None;
    if !terms.needs_approval {
        legs.extend(ledger::issue(
            who.organization_id,
            person,
            Unit::Minutes,
            minutes,
        ));
        details.push(("conversion_hours".to_string(), id.to_string(), minutes));
        learning = Some(converted_learning(points));
    }
    Posting {
        idempotency_key: format!("conversion/{id}"),
        source: Source::Conversion,
        source_ref: Some(id.to_string()),
        counts_for: today,
        rule_version: Some(terms.label()),
        actor_id: None,
        reason: None,
        legs,
        details,
        learning,
    }
}

/// How the HR learning system files converted hours.
fn converted_learning(points: i64) -> Learning {
    Learning {
        learning_type: LearningType::Other,
        title: format!("마일리지 전환 ({points}점)"),
    }
}

fn pending_in_office(conn: &mut DbConn, id: &str, organization_id: &str) -> AppResult<Conversion> {
    let conversion = model::conversion_by_id(conn, id)?;
    if conversion.organization_id != organization_id {
        return Err(AppError::NotFound);
    }
    if conversion.status != ConversionStatus::Pending.code() {
        return Err(AppError::Conflict("이미 결정된 전환입니다.".into()));
    }
    Ok(conversion)
}

/// Approves a waiting conversion: the hours granted, counting for the day
/// it was asked; audited.
pub fn approve(
    conn: &mut DbConn,
    id: &str,
    organization_id: &str,
    admin_id: &str,
    now: NaiveDateTime,
) -> AppResult<Conversion> {
    crate::db::write_tx(conn, |conn| {
        let conversion = pending_in_office(conn, id, organization_id)?;
        let hold = ledger::model::movement_by_id(conn, &conversion.hold_movement_id)?;
        let grant = ledger::post(
            conn,
            Posting {
                idempotency_key: format!("conversion/{id}/grant"),
                source: Source::Conversion,
                source_ref: Some(id.to_string()),
                counts_for: hold.counts_for,
                rule_version: Some(conversion.rule_version.clone()),
                actor_id: Some(admin_id.to_string()),
                reason: None,
                legs: ledger::issue(
                    organization_id,
                    Owner::Employee(conversion.employee_id.clone()),
                    Unit::Minutes,
                    conversion.minutes,
                ),
                details: vec![
                    (
                        "conversion_hours".into(),
                        id.to_string(),
                        conversion.minutes,
                    ),
                    ("mileage".into(), hold.id.clone(), -conversion.points),
                ],
                learning: Some(converted_learning(conversion.points)),
            },
            now,
        )?
        .movement()
        .clone();
        decide(
            conn,
            &conversion,
            ConversionStatus::Approved,
            Some(&grant.id),
            admin_id,
            None,
            now,
        )
    })
}

/// Refuses a waiting conversion with a reason: the held points given back
/// by a reversal (the person is told by the caller); audited.
pub fn refuse(
    conn: &mut DbConn,
    id: &str,
    organization_id: &str,
    admin_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<(Conversion, ledger::model::Movement)> {
    let reason = crate::fields::required("reason", "반려 사유", reason, 1000)?;
    crate::db::write_tx(conn, |conn| {
        let conversion = pending_in_office(conn, id, organization_id)?;
        let refund = ledger::reverse(
            conn,
            &conversion.hold_movement_id,
            format!("conversion/{id}/refund"),
            Some(admin_id.to_string()),
            reason.clone(),
            now,
        )?
        .movement()
        .clone();
        let decided = decide(
            conn,
            &conversion,
            ConversionStatus::Refused,
            None,
            admin_id,
            Some(&reason),
            now,
        )?;
        Ok((decided, refund))
    })
}

fn decide(
    conn: &mut DbConn,
    conversion: &Conversion,
    status: ConversionStatus,
    grant: Option<&str>,
    admin_id: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<Conversion> {
    if !model::decide_conversion(
        conn,
        &conversion.id,
        status.code(),
        grant,
        admin_id,
        reason,
        now,
    )? {
        return Err(AppError::Conflict("이미 결정된 전환입니다.".into()));
    }
    crate::audit::record(
        conn,
        now,
        Some(admin_id),
        &format!("mileage.conversion_{}", status.code()),
        &conversion.id,
        serde_json::json!({
            "employee_id": conversion.employee_id,
            "points": conversion.points,
            "minutes": conversion.minutes,
            "reason": reason,
        }),
    )?;
    Ok(model::conversion_by_id(conn, &conversion.id)?)
}
