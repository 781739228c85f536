//! Earning vouchers in the transaction of the event that earns them: one
//! movement per event and person (its idempotency key), under the office's
//! rule of the event's day.

use chrono::{NaiveDate, NaiveDateTime};

use super::rules::{self, VoucherActivity};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
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
        idempotency_key: earning_key(event.activity, event.event_ref, employee_id),
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

/// The key of what an event earned a person: one earning each.
fn earning_key(activity: VoucherActivity, event_ref: &str, employee_id: &str) -> String {
    format!("voucher/{}/{event_ref}/{employee_id}", activity.code())
}

/// Takes back what an event earned a person with a reversal giving the
/// reason, and tells them; answers whether there was anything to take back.
#[allow(clippy::too_many_arguments)]
pub fn take_back(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    activity: VoucherActivity,
    event_ref: &str,
    employee_id: &str,
    by: Option<&str>,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let key = earning_key(activity, event_ref, employee_id);
    let Some(earning) = ledger::model::movement_by_key(conn, &key)? else {
        return Ok(false);
    };
    let reversal = ledger::reverse(
        conn,
        &earning.id,
        format!("voucher-back/{}", earning.id),
        by.map(str::to_string),
        reason.to_string(),
        now,
    )?;
    if !reversal.is_new() {
        return Ok(false);
    }
    ledger::notices::tell_reversal(
        conn,
        templates,
        settings,
        reversal.movement(),
        &earning,
        now,
    )?;
    Ok(true)
}
