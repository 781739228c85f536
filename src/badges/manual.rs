//! Badges an administrator awards by hand, one person at a time.

use chrono::NaiveDateTime;

use super::awards::{award, Awarded, Grant};
use super::model::{self, BadgeClass};
use super::rules::{self, Total};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::org::model::Employee;

/// What an administrator fills in to award a badge by hand.
#[derive(Debug, Clone, Copy)]
pub struct ByHand<'a> {
    pub class_id: &'a str,
    /// The recipient's employee number in the administrator's office.
    pub employee_no: &'a str,
    pub narrative: &'a str,
    pub evidence_url: Option<&'a str>,
}

/// An administrator's award: once per class and person while it stands
/// (after a revocation, anew); never to themself.
pub fn award_by_hand(
    conn: &mut DbConn,
    settings: &Settings,
    by: &Employee,
    what: ByHand<'_>,
    now: NaiveDateTime,
) -> AppResult<(Awarded, BadgeClass)> {
    let organization_id = &by.organization_id;
    let class = super::classes::office_class(conn, organization_id, what.class_id)?;
    let recipient =
        crate::org::model::employee_by_no(conn, organization_id, what.employee_no.trim())?
            .filter(|e| e.active)
            .ok_or_else(|| {
                AppError::validation("employee_no", "이 기관에 그런 직원이 없습니다.")
            })?;
    let grant = Grant {
        achievement_key: manual_key(conn, &class.id, &recipient.id)?,
        narrative: what.narrative.to_string(),
        evidence_url: what.evidence_url.map(str::to_string),
        awarded_by: Some(by.id.clone()),
    };
    let awarded = award(conn, settings, &class, &recipient, grant, now)?;
    if let Awarded::New(_) = awarded {
        // The badge's points may reach a mileage badge.
        let people = [recipient.id.clone()];
        rules::totals_reached(
            conn,
            settings,
            organization_id,
            &people,
            Total::Mileage,
            now,
        )?;
    }
    Ok((awarded, class))
}

/// The key of an award by hand: "manual", then "manual/1" after the first
/// is revoked, and so on.
fn manual_key(conn: &mut DbConn, class_id: &str, employee_id: &str) -> AppResult<String> {
    let earlier = model::awards_for(conn, class_id, employee_id, "manual")?;
    let revoked = earlier.iter().filter(|a| a.revoked_at.is_some()).count();
    Ok(if revoked == 0 {
        "manual".to_string()
    } else {
        format!("manual/{revoked}")
    })
}
