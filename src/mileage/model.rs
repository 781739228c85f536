//! Mileage rows and the plain queries over them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{
    conversion_rules, employees, mileage_conversions, mileage_earnings, mileage_rules,
};
use crate::db::{DbConn, SumOfPoints};

/// A version of one activity's earning rule.
#[derive(Queryable, Selectable, Insertable, Serialize, ToSchema, Debug, Clone)]
#[diesel(table_name = mileage_rules)]
pub struct MileageRule {
    pub id: String,
    pub organization_id: String,
    pub activity: String,
    pub version: i32,
    pub valid_from: NaiveDate,
    pub points: i64,
    pub daily_limit: Option<i32>,
    pub cap_pool: String,
    pub half_year_cap: Option<i64>,
    pub reason: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// A version of the conversion rule.
#[derive(Queryable, Selectable, Insertable, Serialize, ToSchema, Debug, Clone)]
#[diesel(table_name = conversion_rules)]
pub struct ConversionRule {
    pub id: String,
    pub organization_id: String,
    pub version: i32,
    pub valid_from: NaiveDate,
    pub points_per_hour: i64,
    pub yearly_cap_minutes: i64,
    pub needs_approval: bool,
    pub reason: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// An earning (positive points) or the take-back of one (negative,
/// naming it), beside its ledger movement.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
// `None` is bound as NULL rather than leaving the column out, so that the
// insert's text never changes and the statement is prepared once.
#[diesel(table_name = mileage_earnings, treat_none_as_default_value = false)]
pub struct Earning {
    pub movement_id: String,
    pub organization_id: String,
    pub employee_id: String,
    pub activity: String,
    pub cap_pool: String,
    pub event_ref: String,
    pub earned_on: NaiveDate,
    pub points: i64,
    pub reverses_id: Option<String>,
    /// The club it came through, if any.
    pub club_id: Option<String>,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = mileage_conversions)]
pub struct Conversion {
    pub id: String,
    pub organization_id: String,
    pub employee_id: String,
    pub points: i64,
    pub minutes: i64,
    pub year: i32,
    pub rule_version: String,
    pub status: String,
    pub hold_movement_id: String,
    pub grant_movement_id: Option<String>,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reason: Option<String>,
}

crate::rule_version_queries!(mileage_rules, MileageRule);

pub fn conversion_rules_of(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Vec<ConversionRule>> {
    conversion_rules::table
        .filter(conversion_rules::organization_id.eq(organization_id))
        .order((
            conversion_rules::valid_from.desc(),
            conversion_rules::version.desc(),
        ))
        .select(ConversionRule::as_select())
        .load(conn)
}

pub fn conversion_rule_on(
    conn: &mut DbConn,
    organization_id: &str,
    day: NaiveDate,
) -> QueryResult<Option<ConversionRule>> {
    conversion_rules::table
        .filter(conversion_rules::organization_id.eq(organization_id))
        .filter(conversion_rules::valid_from.le(day))
        .order((
            conversion_rules::valid_from.desc(),
            conversion_rules::version.desc(),
        ))
        .select(ConversionRule::as_select())
        .first(conn)
        .optional()
}

pub fn last_conversion_rule_version(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Option<i32>> {
    conversion_rules::table
        .filter(conversion_rules::organization_id.eq(organization_id))
        .select(diesel::dsl::max(conversion_rules::version))
        .first(conn)
}

pub fn insert_conversion_rule(conn: &mut DbConn, rule: &ConversionRule) -> QueryResult<()> {
    diesel::insert_into(conversion_rules::table)
        .values(rule)
        .execute(conn)
        .map(|_| ())
}

/// Records an earning or a take-back; its points reach the leaderboards
/// through [`super::totals::credit`], once for all of an event's people.
pub fn insert_earning(conn: &mut DbConn, earning: &Earning) -> QueryResult<()> {
    crate::on_backend!(&mut *conn, |c| diesel::insert_into(mileage_earnings::table)
        .values(earning)
        .execute(c))?;
    Ok(())
}

/// Every earning and take-back of one event, for everyone.
pub fn earnings_of_event(
    conn: &mut DbConn,
    activity: &str,
    event_ref: &str,
) -> QueryResult<Vec<Earning>> {
    crate::on_backend!(conn, |c| mileage_earnings::table
        .filter(mileage_earnings::activity.eq(activity))
        .filter(mileage_earnings::event_ref.eq(event_ref))
        .select(Earning::as_select())
        .load(c))
}

/// Points a person kept from a pool's activities earned in `[from, to]`.
pub fn earned_in_pool(
    conn: &mut DbConn,
    employee_id: &str,
    pool: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<i64> {
    mileage_earnings::table
        .filter(mileage_earnings::employee_id.eq(employee_id))
        .filter(mileage_earnings::earned_on.between(from, to))
        .filter(mileage_earnings::cap_pool.eq(pool))
        .select(SumOfPoints)
        .first(conn)
}

/// Events of an activity that earned a person points on `day` and were not
/// taken back.
pub fn events_earning_on(
    conn: &mut DbConn,
    employee_id: &str,
    activity: &str,
    day: NaiveDate,
) -> QueryResult<i64> {
    mileage_earnings::table
        .filter(mileage_earnings::employee_id.eq(employee_id))
        .filter(mileage_earnings::earned_on.eq(day))
        .filter(mileage_earnings::activity.eq(activity))
        .select(NetEarnings)
        .first(conn)
}

/// A person's earnings net of take-backs by pool, in `[from, to]`.
pub fn earned_by_pool(
    conn: &mut DbConn,
    employee_id: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(String, i64)>> {
    mileage_earnings::table
        .filter(mileage_earnings::employee_id.eq(employee_id))
        .filter(mileage_earnings::earned_on.between(from, to))
        .group_by(mileage_earnings::cap_pool)
        .select((mileage_earnings::cap_pool, SumOfPoints))
        .load(conn)
}

/// Everything a person ever earned, net of take-backs (누적마일리지):
/// spending does not lower it.
pub fn accumulated(conn: &mut DbConn, employee_id: &str) -> QueryResult<i64> {
    mileage_earnings::table
        .filter(mileage_earnings::employee_id.eq(employee_id))
        .select(SumOfPoints)
        .first(conn)
}

crate::fixed_sql!(
    /// Earnings less take-backs, counted.
    NetEarnings: diesel::sql_types::BigInt =
        "CAST(COALESCE(SUM(CASE WHEN points > 0 THEN 1 ELSE -1 END), 0) AS BIGINT)",
    aggregate
);

crate::fixed_sql!(
    SumOfMinutes: diesel::sql_types::BigInt = "CAST(COALESCE(SUM(minutes), 0) AS BIGINT)", aggregate
);

pub fn insert_conversion(conn: &mut DbConn, conversion: &Conversion) -> QueryResult<()> {
    diesel::insert_into(mileage_conversions::table)
        .values(conversion)
        .execute(conn)
        .map(|_| ())
}

pub fn conversion_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Conversion> {
    mileage_conversions::table
        .find(id)
        .select(Conversion::as_select())
        .first(conn)
}

/// Minutes a person converted in a year or is waiting to: the yearly cap
/// counts both.
pub fn converted_minutes(conn: &mut DbConn, employee_id: &str, year: i32) -> QueryResult<i64> {
    mileage_conversions::table
        .filter(mileage_conversions::employee_id.eq(employee_id))
        .filter(mileage_conversions::year.eq(year))
        .filter(mileage_conversions::status.ne("refused"))
        .select(SumOfMinutes)
        .first(conn)
}

/// A person's conversions, latest first.
pub fn conversions_of(
    conn: &mut DbConn,
    employee_id: &str,
    limit: i64,
) -> QueryResult<Vec<Conversion>> {
    mileage_conversions::table
        .filter(mileage_conversions::employee_id.eq(employee_id))
        .order(mileage_conversions::requested_at.desc())
        .limit(limit)
        .select(Conversion::as_select())
        .load(conn)
}

/// A page of an office's conversions in one status, oldest first, with the
/// person's employee number and name; and how many there are.
pub fn conversion_queue(
    conn: &mut DbConn,
    organization_id: &str,
    status: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<(Conversion, String, String)>, i64)> {
    let base = || {
        mileage_conversions::table
            .filter(mileage_conversions::organization_id.eq(organization_id))
            .filter(mileage_conversions::status.eq(status))
    };
    let total = base().count().get_result(conn)?;
    let rows = base()
        .inner_join(employees::table.on(employees::id.eq(mileage_conversions::employee_id)))
        .order(mileage_conversions::requested_at.asc())
        .offset(offset)
        .limit(limit)
        .select((
            Conversion::as_select(),
            employees::employee_no,
            employees::name,
        ))
        .load(conn)?;
    Ok((rows, total))
}

/// Decides a pending conversion; answers whether it was still pending (a
/// second decision changes nothing).
pub fn decide_conversion(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    grant_movement_id: Option<&str>,
    decided_by: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        mileage_conversions::table
            .filter(mileage_conversions::id.eq(id))
            .filter(mileage_conversions::status.eq("pending")),
    )
    .set((
        mileage_conversions::status.eq(status),
        mileage_conversions::grant_movement_id.eq(grant_movement_id),
        mileage_conversions::decided_by.eq(decided_by),
        mileage_conversions::decided_at.eq(now),
        mileage_conversions::decision_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Many new earnings in multi-row statements (the Seoul-scale generator),
/// each under SQLite's limit of bound values.
pub fn insert_earnings(conn: &mut DbConn, earnings: &[Earning]) -> QueryResult<()> {
    for chunk in earnings.chunks(2_000) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(mileage_earnings::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}
