//! Mileage totalled per period (month, half-year, year) and per person
//! and club: the rows the leaderboards rank, added to in the transaction
//! of every earning and take-back.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::Earning;
use crate::db::schema::leaderboard_totals as totals;
use crate::db::{Bind, DbConn, FixedStatement};
use crate::period::Period;

/// Adds earnings and take-backs to the totals of the month, half-year and
/// year of `day` (the day they are credited), for each person and for the
/// club they came through: one statement for two owners' three periods
/// (an earning's person and club). Then moves each office's board mark
/// once.
pub fn credit(conn: &mut DbConn, earnings: &[Earning], day: NaiveDate) -> QueryResult<()> {
    let mut sums: BTreeMap<(&str, &'static str, &str), i64> = BTreeMap::new();
    for earning in earnings {
        let office = earning.organization_id.as_str();
        *sums
            .entry((office, "employee", &earning.employee_id))
            .or_default() += earning.points;
        if let Some(club) = &earning.club_id {
            *sums.entry((office, "club", club)).or_default() += earning.points;
        }
    }
    let periods = Period::all_of(day).map(|period| period.to_string());
    let owners: Vec<_> = sums
        .into_iter()
        .filter(|(_, points)| *points != 0)
        .collect();
    for pair in owners.chunks(2) {
        let binds: Vec<Bind<'_>> = pair
            .iter()
            .flat_map(|((organization_id, owner_kind, owner_id), points)| {
                periods.iter().flat_map(move |period| {
                    [
                        Bind::Text(organization_id),
                        Bind::Text(period),
                        Bind::Text(owner_kind),
                        Bind::Text(owner_id),
                        Bind::BigInt(*points),
                    ]
                })
            })
            .collect();
        match pair.len() {
            2 => AddToTwoOwnersTotals::with(&binds).run(conn)?,
            _ => AddToTotals::with(&binds).run(conn)?,
        };
    }
    let offices: BTreeSet<&str> = owners.iter().map(|((office, _, _), _)| *office).collect();
    offices
        .into_iter()
        .try_for_each(|office| move_board_mark(conn, office))
}

/// The office's leaderboards change: those kept in memory are made again.
/// Every write of the totals moves it (no trigger does, see the migration
/// `totals_mark_once`).
fn move_board_mark(conn: &mut DbConn, organization_id: &str) -> QueryResult<()> {
    MoveBoardMark::with(&[Bind::Text(organization_id)])
        .run(conn)
        .map(drop)
}

crate::fixed_statement!(
    MoveBoardMark = "INSERT INTO board_marks (organization_id, mark) VALUES (?, 1) \
        ON CONFLICT (organization_id) DO UPDATE SET mark = board_marks.mark + 1"
);

/// The upsert of the totals with `$rows` rows of values.
macro_rules! add_to_totals {
    ($rows:literal) => {
        concat!(
            "INSERT INTO leaderboard_totals (organization_id, period, owner_kind, owner_id, points) VALUES ",
            $rows,
            " ON CONFLICT (organization_id, period, owner_kind, owner_id) \
            DO UPDATE SET points = leaderboard_totals.points + excluded.points"
        )
    };
}

crate::fixed_statement!(
    AddToTotals = add_to_totals!("(?, ?, ?, ?, ?), (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)")
);

crate::fixed_statement!(
    AddToTwoOwnersTotals = add_to_totals!(
        "(?, ?, ?, ?, ?), (?, ?, ?, ?, ?), (?, ?, ?, ?, ?), \
        (?, ?, ?, ?, ?), (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)"
    )
);

/// An office's totals written at once (the Seoul-scale generator): points
/// by (period, owner kind, owner), each total new.
pub fn insert_totals<'a>(
    conn: &mut DbConn,
    organization_id: &str,
    totals: impl IntoIterator<Item = ((String, &'static str, &'a str), i64)>,
) -> QueryResult<()> {
    let rows: Vec<_> = totals
        .into_iter()
        .map(|((period, kind, owner), points)| {
            (
                totals::organization_id.eq(organization_id),
                totals::period.eq(period),
                totals::owner_kind.eq(kind),
                totals::owner_id.eq(owner.to_string()),
                totals::points.eq(points),
            )
        })
        .collect();
    for chunk in rows.chunks(2_000) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(totals::table)
            .values(chunk.to_vec())
            .execute(c))?;
    }
    move_board_mark(conn, organization_id)
}
