//! The leaderboards' queries over the totals mileage keeps per period and
//! owner (`mileage::totals`), and who is left out of others' boards.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    club_leaderboard_defaults as club_defaults, employees, leaderboard_choices as choices,
    leaderboard_totals as totals, ledger_movements, memberships, mileage_earnings,
};
use crate::db::DbConn;
use crate::period::Period;

/// Whose boards: a whole office, a department or a club.
#[derive(Debug, Clone)]
pub enum Among<'a> {
    Office,
    Department(&'a str),
    Club(&'a str),
}

type Boxed<'a, S> = totals::BoxedQuery<'a, crate::db::MultiBackend, S>;

/// The people of a board that others may see, with points: not left out
/// by their own choice or, without one, their club's default; active.
fn visible<'a>(
    organization_id: &'a str,
    period: Period,
    among: &Among<'a>,
    today: NaiveDate,
) -> Boxed<'a, (diesel::sql_types::Text, diesel::sql_types::BigInt)> {
    let hidden_by_choice = choices::table
        .filter(choices::hidden.eq(true))
        .select(choices::employee_id);
    let shown_by_choice = choices::table
        .filter(choices::hidden.eq(false))
        .select(choices::employee_id);
    let hidden_by_club = memberships::table
        .filter(
            memberships::club_id.eq_any(
                club_defaults::table
                    .filter(club_defaults::hidden.eq(true))
                    .select(club_defaults::club_id),
            ),
        )
        .filter(crate::clubs::model::open_on(today))
        .filter(memberships::employee_id.ne_all(shown_by_choice))
        .select(memberships::employee_id);
    let inactive = employees::table
        .filter(employees::organization_id.eq(organization_id))
        .filter(Inactive)
        .select(employees::id);
    let mut query = totals::table
        .filter(totals::organization_id.eq(organization_id))
        .filter(totals::period.eq(period.to_string()))
        .filter(totals::owner_kind.eq("employee"))
        .filter(totals::owner_id.ne_all(hidden_by_choice))
        .filter(totals::owner_id.ne_all(hidden_by_club))
        .filter(totals::owner_id.ne_all(inactive))
        .select((totals::owner_id, totals::points))
        .into_boxed();
    match among {
        Among::Office => {}
        Among::Department(department_id) => {
            query = query.filter(
                totals::owner_id.eq_any(
                    employees::table
                        .filter(employees::department_id.eq(*department_id))
                        .select(employees::id),
                ),
            )
        }
        Among::Club(club_id) => {
            query = query.filter(
                totals::owner_id.eq_any(
                    memberships::table
                        .filter(memberships::club_id.eq(*club_id))
                        .filter(crate::clubs::model::open_on(today))
                        .select(memberships::employee_id),
                ),
            )
        }
    }
    query
}

/// The people of a board with a place in the top `n`, best first: everyone
/// with at least the points of the `n`-th, so that ties at the edge all
/// show. Only positive totals rank.
pub fn top_people(
    conn: &mut DbConn,
    organization_id: &str,
    period: Period,
    among: &Among<'_>,
    n: i64,
    today: NaiveDate,
) -> QueryResult<Vec<(String, i64)>> {
    let edge: Option<i64> = visible(organization_id, period, among, today)
        .filter(totals::points.gt(0))
        .select(totals::points)
        .order(totals::points.desc())
        .offset(n - 1)
        .limit(1)
        .first(conn)
        .optional()?;
    visible(organization_id, period, among, today)
        .filter(totals::points.ge(edge.unwrap_or(1).max(1)))
        .order((totals::points.desc(), totals::owner_id.asc()))
        .load(conn)
}

/// Everyone of a board others see, in no order: a department or a club
/// read by their keys (no condition on the points, which would send SQLite
/// down the office's whole ranking instead), or a whole office when its
/// board is made to be kept.
pub fn all_visible(
    conn: &mut DbConn,
    organization_id: &str,
    period: Period,
    among: &Among<'_>,
    today: NaiveDate,
) -> QueryResult<Vec<(String, i64)>> {
    visible(organization_id, period, among, today).load(conn)
}

/// An owner's total in a period of an office.
pub fn total_of(
    conn: &mut DbConn,
    organization_id: &str,
    period: Period,
    owner_kind: &str,
    owner_id: &str,
) -> QueryResult<i64> {
    Ok(totals::table
        .find((organization_id, period.to_string(), owner_kind, owner_id))
        .select(totals::points)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

crate::fixed_sql!(
    /// Written out, not bound: SQLite then uses the partial index of the
    /// few inactive people (plans here never depend on bound values).
    Inactive: diesel::sql_types::Bool = "employees.active = false", plain
);

/// Every club of an office with points in a period, as (id, points,
/// members on `day`); clubs without members on that day are left out (a
/// dissolved club's memberships end when it is dissolved). One query: each
/// club's size on `day` is its last kept change on or before it
/// (`clubs::size`), one row per club.
pub fn club_standings(
    conn: &mut DbConn,
    organization_id: &str,
    period: Period,
    day: NaiveDate,
) -> QueryResult<Vec<(String, i64, i64)>> {
    let members = crate::clubs::model::size_on(totals::owner_id, day);
    let rows: Vec<(String, i64, Option<i64>)> = totals::table
        .filter(totals::organization_id.eq(organization_id))
        .filter(totals::period.eq(period.to_string()))
        .filter(totals::owner_kind.eq("club"))
        .filter(totals::points.gt(0))
        .select((totals::owner_id, totals::points, members))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, points, members)| {
            let members = members.unwrap_or(0);
            (members > 0).then_some((id, points, members))
        })
        .collect())
}

/// A person's own choice: hidden, shown, or none (their clubs decide).
pub fn choice_of(conn: &mut DbConn, employee_id: &str) -> QueryResult<Option<bool>> {
    choices::table
        .find(employee_id)
        .select(choices::hidden)
        .first(conn)
        .optional()
}

/// Records a person's choice; none forgets it.
pub fn set_choice(
    conn: &mut DbConn,
    employee_id: &str,
    hidden: Option<bool>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(choices::table.find(employee_id)).execute(conn)?;
    if let Some(hidden) = hidden {
        diesel::insert_into(choices::table)
            .values((
                choices::employee_id.eq(employee_id),
                choices::hidden.eq(hidden),
                choices::chosen_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether a club leaves its members out by default.
pub fn club_default(conn: &mut DbConn, club_id: &str) -> QueryResult<bool> {
    Ok(club_defaults::table
        .find(club_id)
        .select(club_defaults::hidden)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

pub fn set_club_default(
    conn: &mut DbConn,
    club_id: &str,
    hidden: bool,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(club_defaults::table.find(club_id)).execute(conn)?;
    diesel::insert_into(club_defaults::table)
        .values((
            club_defaults::club_id.eq(club_id),
            club_defaults::hidden.eq(hidden),
            club_defaults::chosen_by.eq(by),
            club_defaults::chosen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether others see this person on boards today.
/// The rule of [`visible`], for one person.
pub fn is_visible(conn: &mut DbConn, employee_id: &str, today: NaiveDate) -> QueryResult<bool> {
    let active: bool = employees::table
        .find(employee_id)
        .select(employees::active)
        .first(conn)?;
    let own = choice_of(conn, employee_id)?;
    let club_hidden = memberships::table
        .filter(memberships::employee_id.eq(employee_id))
        .filter(crate::clubs::model::open_on(today))
        .filter(
            memberships::club_id.eq_any(
                club_defaults::table
                    .filter(club_defaults::hidden.eq(true))
                    .select(club_defaults::club_id),
            ),
        )
        .select(diesel::dsl::count_star())
        .first::<i64>(conn)?
        > 0;
    Ok(active && !own.unwrap_or(club_hidden))
}

/// For the tie rule of the knowledge king: per person, the points from
/// posts and comments earned in `[from, to)` and when their last earning
/// of it was recorded.
pub fn community_and_last(
    conn: &mut DbConn,
    employee_ids: &[String],
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<std::collections::HashMap<String, (i64, Option<NaiveDateTime>)>> {
    use crate::db::schema::{ledger_movements as movements, mileage_earnings as earnings};
    let community: Vec<(String, i64)> = earnings::table
        .filter(crate::db::any_of(earnings::employee_id, employee_ids))
        .filter(earnings::earned_on.ge(from))
        .filter(earnings::earned_on.lt(to))
        .filter(earnings::activity.eq_any(["post", "comment"]))
        .group_by(earnings::employee_id)
        .select((earnings::employee_id, crate::db::SumOfPoints))
        .load(conn)?;
    let last: Vec<(String, Option<NaiveDateTime>)> = earnings::table
        .inner_join(movements::table.on(movements::id.eq(earnings::movement_id)))
        .filter(crate::db::any_of(earnings::employee_id, employee_ids))
        .filter(earnings::earned_on.ge(from))
        .filter(earnings::earned_on.lt(to))
        .group_by(earnings::employee_id)
        .select((
            earnings::employee_id,
            diesel::dsl::max(movements::recorded_at),
        ))
        .load(conn)?;
    let mut out: std::collections::HashMap<String, (i64, Option<NaiveDateTime>)> = employee_ids
        .iter()
        .map(|id| (id.clone(), (0, None)))
        .collect();
    for (id, points) in community {
        out.entry(id).or_default().0 = points;
    }
    for (id, at) in last {
        out.entry(id).or_default().1 = at;
    }
    Ok(out)
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = crate::db::schema::knowledge_kings)]
pub struct KnowledgeKing {
    pub organization_id: String,
    pub year: i32,
    pub employee_id: String,
    pub points: i64,
    pub proposed_employee_id: Option<String>,
    pub reason: Option<String>,
    pub confirmed_by: String,
    pub confirmed_at: NaiveDateTime,
}

pub fn kings_of(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<KnowledgeKing>> {
    use crate::db::schema::knowledge_kings as kings;
    kings::table
        .filter(kings::organization_id.eq(organization_id))
        .order(kings::year.desc())
        .select(KnowledgeKing::as_select())
        .load(conn)
}

pub fn insert_king(conn: &mut DbConn, king: &KnowledgeKing) -> QueryResult<()> {
    diesel::insert_into(crate::db::schema::knowledge_kings::table)
        .values(king)
        .execute(conn)
        .map(|_| ())
}

/// A page of mileage earnings after `after` (by movement id), each with
/// its owners and when its movement was recorded: what the totals cache.
pub fn earnings_after(
    conn: &mut DbConn,
    after: &str,
    limit: i64,
) -> QueryResult<Vec<(String, String, String, Option<String>, i64, NaiveDateTime)>> {
    mileage_earnings::table
        .inner_join(
            ledger_movements::table.on(ledger_movements::id.eq(mileage_earnings::movement_id)),
        )
        .filter(mileage_earnings::movement_id.gt(after))
        .order(mileage_earnings::movement_id.asc())
        .limit(limit)
        .select((
            mileage_earnings::movement_id,
            mileage_earnings::organization_id,
            mileage_earnings::employee_id,
            mileage_earnings::club_id,
            mileage_earnings::points,
            ledger_movements::recorded_at,
        ))
        .load(conn)
}

/// Every total: (organization, period, owner kind, owner, points).
pub fn all_totals(conn: &mut DbConn) -> QueryResult<Vec<(String, String, String, String, i64)>> {
    totals::table
        .select((
            totals::organization_id,
            totals::period,
            totals::owner_kind,
            totals::owner_id,
            totals::points,
        ))
        .load(conn)
}
