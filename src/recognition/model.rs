//! The versions of an office's club-hours rule (`hours_rules`) and their
//! queries.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::hours_rules;
use crate::db::DbConn;

#[derive(Queryable, Selectable, Insertable, Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = hours_rules)]
pub struct HoursRule {
    pub id: String,
    #[serde(skip)]
    pub organization_id: String,
    pub version: i32,
    pub valid_from: NaiveDate,
    pub half_year_cap_minutes: i64,
    pub count_ad_hoc: bool,
    pub reason: String,
    pub created_by: String,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
}

/// The office's versions, the one that would govern latest first.
pub fn hours_rules_of(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<HoursRule>> {
    hours_rules::table
        .filter(hours_rules::organization_id.eq(organization_id))
        .order((hours_rules::valid_from.desc(), hours_rules::version.desc()))
        .select(HoursRule::as_select())
        .load(conn)
}

/// The version in force on `day`: the latest starting on or before it, of
/// two from the same day the later one.
pub fn hours_rule_on(
    conn: &mut DbConn,
    organization_id: &str,
    day: NaiveDate,
) -> QueryResult<Option<HoursRule>> {
    hours_rules::table
        .filter(hours_rules::organization_id.eq(organization_id))
        .filter(hours_rules::valid_from.le(day))
        .order((hours_rules::valid_from.desc(), hours_rules::version.desc()))
        .select(HoursRule::as_select())
        .first(conn)
        .optional()
}

/// The office's highest version number so far.
pub fn last_hours_rule_version(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Option<i32>> {
    hours_rules::table
        .filter(hours_rules::organization_id.eq(organization_id))
        .select(diesel::dsl::max(hours_rules::version))
        .first(conn)
}

pub fn insert_hours_rule(conn: &mut DbConn, rule: &HoursRule) -> QueryResult<()> {
    diesel::insert_into(hours_rules::table)
        .values(rule)
        .execute(conn)
        .map(drop)
}
