//! Part of `dongari ledger verify`: the leaderboards' totals are a cache of
//! the mileage earnings, each counted in the periods of the Seoul day its
//! movement was recorded. Recomputed here and compared, owner by owner.

use std::collections::HashMap;

use super::model;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::period::Period;

const BATCH: i64 = 10_000;

type Key = (String, String, &'static str, String);

/// A violation for each total that differs from its earnings.
pub fn check(conn: &mut DbConn) -> AppResult<Vec<String>> {
    let mut expected: HashMap<Key, i64> = HashMap::new();
    let mut after = String::new();
    loop {
        let rows = model::earnings_after(conn, &after, BATCH)?;
        let Some(last) = rows.last() else { break };
        after = last.0.clone();
        for (_, organization_id, employee_id, club_id, points, recorded_at) in rows {
            for period in Period::all_of(crate::clock::seoul_date(recorded_at)) {
                let mut add = |kind: &'static str, owner: &str| {
                    *expected
                        .entry((
                            organization_id.clone(),
                            period.to_string(),
                            kind,
                            owner.to_string(),
                        ))
                        .or_default() += points;
                };
                add("employee", &employee_id);
                if let Some(club) = &club_id {
                    add("club", club);
                }
            }
        }
    }
    let cached = model::all_totals(conn)?;
    let mut violations = Vec::new();
    for (organization_id, period, kind, owner, points) in cached {
        let kind: &'static str = if kind == "club" { "club" } else { "employee" };
        let want = expected
            .remove(&(organization_id, period.clone(), kind, owner.clone()))
            .unwrap_or(0);
        if want != points {
            violations.push(format!(
                "leaderboard {period} {kind} {owner}: total {points} but its earnings sum to {want}"
            ));
        }
    }
    for ((_, period, kind, owner), want) in expected.into_iter().filter(|(_, w)| *w != 0) {
        violations.push(format!(
            "leaderboard {period} {kind} {owner}: no total but its earnings sum to {want}"
        ));
    }
    Ok(violations)
}
