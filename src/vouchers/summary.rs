//! My vouchers: the balance from the ledger, what is held by redemptions
//! waiting, what will expire, the rules, and my latest redemptions.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::model;
use super::redemption::RedemptionView;
use super::rules::{self, VoucherRuleInEffect};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::ledger::Unit;

/// Vouchers that will expire, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Expiring {
    pub vouchers: i64,
    /// The last day they can be used.
    pub on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoucherSummary {
    /// Spendable now.
    pub balance: i64,
    /// Taken by redemptions the office has not handled yet.
    pub held: i64,
    pub expiring: Option<Expiring>,
    pub rules: Vec<VoucherRuleInEffect>,
    /// Latest first (at most 50).
    pub redemptions: Vec<RedemptionView>,
}

pub fn of_person(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    employee_id: &str,
    today: NaiveDate,
) -> AppResult<VoucherSummary> {
    let balance = crate::ledger::model::employee_balance(conn, employee_id, Unit::Vouchers)?;
    let redemptions: Vec<RedemptionView> = model::redemptions_of(conn, employee_id, 50)?
        .into_iter()
        .map(|(r, name)| RedemptionView::of(r, name))
        .collect();
    let held = model::held_total(conn, employee_id)?;
    let years = settings.vouchers.expire_after_years;
    let expiring = if years > 0 {
        let year = today.year() - years;
        super::expiry::expiring(conn, organization_id, year, Some(employee_id))?
            .into_iter()
            .next()
            .map(|(_, vouchers)| Expiring {
                vouchers,
                on: NaiveDate::from_ymd_opt(today.year(), 12, 31).expect("valid date"),
            })
    } else {
        None
    };
    Ok(VoucherSummary {
        balance,
        held,
        expiring,
        rules: rules::in_effect(conn, settings, organization_id, today)?,
        redemptions,
    })
}
