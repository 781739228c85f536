//! Awarding a badge, revoking it, and the owner's choice to show it.
//!
//! An award is made once per class, person and achievement (its key, a
//! database constraint); the recipient is fixed as the salted hash of the
//! email it was issued to. It earns the vouchers and mileage of the
//! office's badge rules in the same transaction; a revocation takes them
//! back, with the reason, and tells the person.

use chrono::{Months, NaiveDateTime};
use diesel::OptionalExtension;

use super::links::{checked_link, IssuerProfile, Links};
use super::model::{self, Award, BadgeClass};
use super::ob2::hashed_email;
use super::{keys, ob3};
use crate::config::Settings;
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::templates::Templates;
use crate::mail::outbox;
use crate::mileage::{self, Activity};
use crate::org::model::Employee;
use crate::vouchers::{self, VoucherActivity, VoucherEvent};

/// Why and on what evidence a badge is given.
#[derive(Debug, Clone, Default)]
pub struct Grant {
    /// What earned it: no achievement gives the same badge twice.
    pub achievement_key: String,
    pub narrative: String,
    pub evidence_url: Option<String>,
    /// The administrator; none when a rule awards it.
    pub awarded_by: Option<String>,
}

/// What an award did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Awarded {
    New(Award),
    /// The achievement had earned this badge already.
    Already(Award),
}

impl Awarded {
    pub fn award(&self) -> &Award {
        match self {
            Awarded::New(a) | Awarded::Already(a) => a,
        }
    }
}

/// Awards `class` to `recipient`, once per achievement.
pub fn award(
    conn: &mut DbConn,
    settings: &Settings,
    class: &BadgeClass,
    recipient: &Employee,
    grant: Grant,
    now: NaiveDateTime,
) -> AppResult<Awarded> {
    if recipient.organization_id != class.organization_id {
        return Err(AppError::validation(
            "employee",
            "다른 기관 직원에게는 이 배지를 줄 수 없습니다.",
        ));
    }
    if grant.awarded_by.as_deref() == Some(recipient.id.as_str()) {
        return Err(AppError::validation(
            "employee",
            "자기 자신에게 배지를 줄 수 없습니다.",
        ));
    }
    if grant.narrative.chars().count() > 2000 {
        return Err(AppError::validation(
            "narrative",
            "설명은 2,000자까지입니다.",
        ));
    }
    let salt = crate::password::random_hex(16);
    let award = Award {
        id: new_id(),
        organization_id: class.organization_id.clone(),
        badge_class_id: class.id.clone(),
        employee_id: recipient.id.clone(),
        achievement_key: grant.achievement_key,
        recipient_hash: hashed_email(&recipient.email, &salt),
        recipient_salt: salt,
        narrative: grant.narrative.trim().to_string(),
        evidence_url: checked_link("evidence_url", "증빙", grant.evidence_url.as_deref())?,
        issued_at: now,
        expires_at: class
            .valid_months
            .and_then(|m| now.checked_add_months(Months::new(u32::try_from(m).ok()?))),
        awarded_by: grant.awarded_by,
        public: false,
        in_feed: true,
        revoked_at: None,
        revoked_by: None,
        revocation_reason: None,
        suspended_at: None,
        suspended_by: None,
        suspension_reason: None,
        credential_jwt: String::new(),
        status_index: 0,
    };
    crate::db::write_tx(conn, |conn| {
        // Awarded before: answered without taking a place in the status
        // list or signing anything (a rule fires again on every event).
        if let Some(existing) = model::award_for_achievement(
            conn,
            &award.badge_class_id,
            &award.employee_id,
            &award.achievement_key,
        )
        .optional()?
        {
            return Ok(Awarded::Already(existing));
        }
        let mut award = award.clone();
        award.status_index = model::take_status_index(conn, &award.organization_id)?;
        award.credential_jwt = credential_of(conn, settings, class, &award, now)?;
        // A second award of the same achievement, even a racing one, meets
        // the unique key and writes nothing.
        if !model::insert_award_once(conn, &award)? {
            return Ok(Awarded::Already(model::award_for_achievement(
                conn,
                &award.badge_class_id,
                &award.employee_id,
                &award.achievement_key,
            )?));
        }
        let today = crate::clock::seoul_date(now);
        vouchers::earn(
            conn,
            settings,
            &VoucherEvent {
                organization_id: &award.organization_id,
                activity: VoucherActivity::Badge,
                event_ref: &award.id,
                on: today,
            },
            &award.employee_id,
            now,
        )?;
        mileage::earn(
            conn,
            settings,
            &mileage::Event {
                organization_id: &award.organization_id,
                club_id: None,
                activity: Activity::Badge,
                event_ref: &award.id,
                on: today,
            },
            &award.employee_id,
            now,
        )?;
        crate::audit::record(
            conn,
            now,
            award.awarded_by.as_deref(),
            "badges.awarded",
            &award.id,
            serde_json::json!({
                "class": class.name,
                "employee_id": award.employee_id,
                "achievement": award.achievement_key,
            }),
        )?;
        Ok(Awarded::New(award.clone()))
    })
}

/// The award as a 3.0 credential, signed with the office's key.
fn credential_of(
    conn: &mut DbConn,
    settings: &Settings,
    class: &BadgeClass,
    award: &Award,
    now: NaiveDateTime,
) -> AppResult<String> {
    let organization = crate::org::model::organization_by_id(conn, &award.organization_id)?;
    let links = Links::new(settings);
    let issuer = IssuerProfile::of(settings, &organization);
    let key = keys::signing_key(conn, &award.organization_id, now)?;
    let credential = ob3::credential(&links, &issuer, class, award, &key.id);
    ob3::sign(&links, &key, credential)
}

/// Revokes an award of the office, with the reason: the badge's vouchers
/// and mileage are taken back and the person is told.
#[allow(clippy::too_many_arguments)]
pub fn revoke(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    award_id: &str,
    by: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Award> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::validation(
            "reason",
            "취소 사유를 500자 이내로 적어 주세요.",
        ));
    }
    crate::db::write_tx(conn, |conn| {
        let award = model::award_by_id(conn, award_id)?;
        if award.organization_id != organization_id {
            return Err(AppError::NotFound);
        }
        if !model::revoke(conn, award_id, by, reason, now)? {
            return Err(AppError::Conflict(
                "this badge was already revoked".to_string(),
            ));
        }
        vouchers::earning::take_back(
            conn,
            templates,
            settings,
            VoucherActivity::Badge,
            &award.id,
            &award.employee_id,
            Some(by),
            reason,
            now,
        )?;
        let taken = mileage::earning::take_back(
            conn,
            Activity::Badge,
            &award.id,
            &Default::default(),
            Some(by),
            reason,
            now,
        )?;
        mileage::earning::tell(conn, templates, settings, &taken, now)?;
        let class = model::class_by_id(conn, &award.badge_class_id)?;
        let employee = crate::org::model::employee_by_id(conn, &award.employee_id)?;
        outbox::notice(
            conn,
            templates,
            &crate::mail::outbox::Recipient::new(
                &employee.email,
                &employee.name,
                &employee.language,
            ),
            now,
            "[동아리] 배지 취소 안내",
            &[
                format!("'{}' 배지가 취소되었습니다.", class.name),
                format!("사유: {reason}"),
            ],
            &settings.mail.link("/me/badges"),
        )?;
        crate::audit::record(
            conn,
            now,
            Some(by),
            "badges.revoked",
            &award.id,
            serde_json::json!({ "reason": reason }),
        )?;
        Ok(model::award_by_id(conn, award_id)?)
    })
}

/// Suspends an award of the office for a while, with the reason (3.0's
/// suspension list says so at the next check; the person is told), or
/// lifts the suspension (`reason` none). Audited.
#[allow(clippy::too_many_arguments)]
pub fn suspend_or_resume(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    award_id: &str,
    by: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<Award> {
    let reason = reason.map(str::trim);
    if reason.is_some_and(|r| r.is_empty() || r.chars().count() > 500) {
        return Err(AppError::validation(
            "reason",
            "일시 정지 사유를 500자 이내로 적어 주세요.",
        ));
    }
    crate::db::write_tx(conn, |conn| {
        let award = model::award_by_id(conn, award_id)?;
        if award.organization_id != organization_id {
            return Err(AppError::NotFound);
        }
        let changed = match reason {
            Some(reason) => model::suspend(conn, award_id, by, reason, now)?,
            None => model::resume(conn, award_id)?,
        };
        if !changed {
            return Err(AppError::Conflict(match reason {
                Some(_) => "this badge is revoked or suspended already".into(),
                None => "this badge is not suspended".into(),
            }));
        }
        let class = model::class_by_id(conn, &award.badge_class_id)?;
        let employee = crate::org::model::employee_by_id(conn, &award.employee_id)?;
        let (subject, what) = match reason {
            Some(reason) => (
                "[동아리] 배지 일시 정지 안내",
                vec![
                    format!("'{}' 배지가 일시 정지되었습니다.", class.name),
                    format!("사유: {reason}"),
                ],
            ),
            None => (
                "[동아리] 배지 일시 정지 해제 안내",
                vec![format!("'{}' 배지의 일시 정지가 풀렸습니다.", class.name)],
            ),
        };
        outbox::notice(
            conn,
            templates,
            &crate::mail::outbox::Recipient::new(
                &employee.email,
                &employee.name,
                &employee.language,
            ),
            now,
            subject,
            &what,
            &settings.mail.link("/me/badges"),
        )?;
        crate::audit::record(
            conn,
            now,
            Some(by),
            if reason.is_some() {
                "badges.suspended"
            } else {
                "badges.resumed"
            },
            &award.id,
            serde_json::json!({ "reason": reason }),
        )?;
        Ok(model::award_by_id(conn, award_id)?)
    })
}

/// The owner shows an award to others, or hides it again.
pub fn set_public(
    conn: &mut DbConn,
    employee_id: &str,
    award_id: &str,
    public: bool,
) -> AppResult<Award> {
    crate::db::write_tx(conn, |conn| {
        let award = model::award_by_id(conn, award_id)?;
        if award.employee_id != employee_id {
            return Err(AppError::NotFound);
        }
        model::set_public(conn, award_id, public)?;
        Ok(Award { public, ..award })
    })
}

/// The owner takes an award off the home page's feed.
pub fn hide_from_feed(conn: &mut DbConn, employee_id: &str, award_id: &str) -> AppResult<()> {
    crate::db::write_tx(conn, |conn| {
        let award = model::award_by_id(conn, award_id)?;
        if award.employee_id != employee_id {
            return Err(AppError::NotFound);
        }
        Ok(model::hide_from_feed(conn, award_id)?)
    })
}
