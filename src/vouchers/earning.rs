//! Earning vouchers in the transaction of the event that earns them: one
//! movement per event and person (its idempotency key), under the office's
//! rule of the event's day.

use chrono::{NaiveDate, NaiveDateTime};

use super::rules::{self, VoucherActivity};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::ledger::model::Movement;
use crate::ledger::{self, Owner, Posting, Source, Unit};

/// Something that happened and may earn vouchers.
#[derive(Debug, Clone, Copy)]
pub struct VoucherEvent<'a> {
    pub organization_id: &'a str,
    pub activity: VoucherActivity,
    /// The course line, badge award or month: one earning per person.
    pub event_ref: &'a str,
    /// The day it counts for (its year, for expiry).
    pub on: NaiveDate,
}

/// Earns an event's vouchers for a person; none when the rule gives none.
/// Again for the same event: the movement already recorded.
pub fn earn(
    conn: &mut DbConn,
    settings: &Settings,
    event: &VoucherEvent<'_>,
    employee_id: &str,
    now: NaiveDateTime,
) -> AppResult<Option<Movement>> {
    let terms = rules::governing(
        conn,
        settings,
        event.organization_id,
        event.activity,
        event.on,
    )?;
    if terms.vouchers == 0 {
        return Ok(None);
    }
    let posting = Posting {
        idempotency_key: format!(
            "voucher/{}/{}/{employee_id}",
            event.activity.code(),
            event.event_ref
        ),
        source: Source::Earning,
        source_ref: Some(event.event_ref.to_string()),
        counts_for: event.on,
        rule_version: Some(terms.label(event.activity)),
        actor_id: None,
        reason: None,
        legs: ledger::issue(
            event.organization_id,
            Owner::Employee(employee_id.to_string()),
            Unit::Vouchers,
            terms.vouchers,
        ),
        details: vec![(
            format!("voucher_{}", event.activity.code()),
            event.event_ref.to_string(),
            terms.vouchers,
        )],
        learning: None,
    };
    Ok(Some(ledger::post(conn, posting, now)?.movement().clone()))
}
