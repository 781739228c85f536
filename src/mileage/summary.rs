//! A person's mileage at a glance: what they have earned in all
//! (누적마일리지), what they can still spend, this half's pools against
//! their caps, and what they can convert into hours now.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::conversion::ConversionView;
use super::model;
use super::rules::{self, ConversionTerms};
use crate::clock::HalfYear;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PoolProgress {
    pub pool: String,
    /// Points kept from the pool's activities this half.
    pub earned: i64,
    /// The pool's half-year cap; none: uncapped.
    pub cap: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MileageSummary {
    /// Every point ever earned, net of take-backs; spending never lowers it.
    pub accumulated: i64,
    /// Points there are to convert or spend.
    pub balance: i64,
    /// The half-year, e.g. `2026H2`.
    pub half: String,
    pub pools: Vec<PoolProgress>,
    pub conversion: ConversionTerms,
    pub converted_minutes_this_year: i64,
    /// Whole hours the balance and the yearly cap allow now.
    pub convertible_hours: i64,
    /// The latest conversions, newest first.
    pub conversions: Vec<ConversionView>,
}

pub fn of_person(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    employee_id: &str,
    today: NaiveDate,
) -> AppResult<MileageSummary> {
    let half = HalfYear::containing(today);
    let mut pools: BTreeMap<String, PoolProgress> = BTreeMap::new();
    for rule in rules::in_effect(conn, settings, organization_id, today)? {
        let pool = pools
            .entry(rule.terms.pool.clone())
            .or_insert(PoolProgress {
                pool: rule.terms.pool.clone(),
                earned: 0,
                cap: None,
            });
        pool.cap = match (pool.cap, rule.terms.half_year_cap) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    for (pool, earned) in
        model::earned_by_pool(conn, employee_id, (half.first_day(), half.last_day()))?
    {
        pools
            .entry(pool.clone())
            .or_insert(PoolProgress {
                pool,
                earned: 0,
                cap: None,
            })
            .earned = earned;
    }
    let conversion = rules::conversion_terms(conn, settings, organization_id, today)?;
    let balance =
        crate::ledger::model::employee_balance(conn, employee_id, crate::ledger::Unit::Points)?;
    let converted = model::converted_minutes(conn, employee_id, today.year())?;
    let convertible_hours = (balance / conversion.points_per_hour)
        .min((conversion.yearly_cap_minutes - converted) / 60)
        .max(0);
    Ok(MileageSummary {
        accumulated: model::accumulated(conn, employee_id)?,
        balance,
        half: half.to_string(),
        pools: pools.into_values().collect(),
        conversion,
        converted_minutes_this_year: converted,
        convertible_hours,
        conversions: model::conversions_of(conn, employee_id, 20)?
            .into_iter()
            .map(ConversionView::from)
            .collect(),
    })
}
