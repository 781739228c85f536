//! What a confirmed evaluation round gives, in the ledger: each prize to
//! the winning club's KRW account from the office's prize fund, each top
//! contributor's special-leave days to their leave account. Keyed by round
//! and club (or person), so that confirming, recommending and the one-time
//! migration of rounds confirmed before the ledger never write twice.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{AccountRef, Owner, Source, SystemPurpose, Unit};
use super::posting::{post, Leg, Outcome, Posting};
use crate::db::schema::{evaluation_awards, evaluation_rounds, top_contributors};
use crate::db::DbConn;
use crate::error::AppResult;

/// A round, as its movements name it.
pub struct RoundRef<'a> {
    pub id: &'a str,
    pub organization_id: &'a str,
    /// The last day of its half: the period the award counts for.
    pub counts_for: NaiveDate,
}

fn system(purpose: SystemPurpose, organization_id: &str, unit: Unit) -> AccountRef {
    AccountRef {
        owner: Owner::System {
            purpose,
            organization_id: organization_id.to_string(),
        },
        unit,
    }
}

/// The prize money of a club in a round.
pub fn post_prize(
    conn: &mut DbConn,
    round: &RoundRef<'_>,
    club_id: &str,
    tier: &str,
    amount_krw: i64,
    actor_id: &str,
    now: NaiveDateTime,
) -> AppResult<Option<Outcome>> {
    if amount_krw <= 0 {
        return Ok(None);
    }
    let posting = Posting {
        idempotency_key: format!("evaluation-prize/{}/{club_id}", round.id),
        source: Source::EvaluationAward,
        source_ref: Some(round.id.to_string()),
        counts_for: round.counts_for,
        rule_version: Some(format!("prize tier {tier}")),
        actor_id: Some(actor_id.to_string()),
        reason: None,
        legs: vec![
            Leg {
                account: system(SystemPurpose::PrizeFund, round.organization_id, Unit::Krw),
                amount: -amount_krw,
            },
            Leg {
                account: AccountRef {
                    owner: Owner::Club(club_id.to_string()),
                    unit: Unit::Krw,
                },
                amount: amount_krw,
            },
        ],
        details: vec![("club".into(), club_id.to_string(), amount_krw)],
    };
    post(conn, posting, now).map(Some)
}

/// A top contributor's special-leave days for a round.
pub fn post_leave(
    conn: &mut DbConn,
    round: &RoundRef<'_>,
    employee_id: &str,
    days: i64,
    actor_id: &str,
    now: NaiveDateTime,
) -> AppResult<Option<Outcome>> {
    if days <= 0 {
        return Ok(None);
    }
    let posting = Posting {
        idempotency_key: format!("evaluation-leave/{}/{employee_id}", round.id),
        source: Source::EvaluationAward,
        source_ref: Some(round.id.to_string()),
        counts_for: round.counts_for,
        rule_version: Some("top contributor".into()),
        actor_id: Some(actor_id.to_string()),
        reason: None,
        legs: vec![
            Leg {
                account: system(
                    SystemPurpose::LeaveIssuer,
                    round.organization_id,
                    Unit::LeaveDays,
                ),
                amount: -days,
            },
            Leg {
                account: AccountRef {
                    owner: Owner::Employee(employee_id.to_string()),
                    unit: Unit::LeaveDays,
                },
                amount: days,
            },
        ],
        details: vec![],
    };
    post(conn, posting, now).map(Some)
}

/// Writes the prizes and leave days of every round confirmed before the
/// ledger existed; run once, when the ledger's migration is applied.
/// Answers how many movements it wrote.
pub fn migrate_confirmed_rounds(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<usize> {
    let round_columns = (
        evaluation_rounds::id,
        evaluation_rounds::organization_id,
        evaluation_rounds::half,
    );
    let prizes: Vec<(StoredRound, (String, String, i64, String))> = evaluation_awards::table
        .inner_join(
            evaluation_rounds::table.on(evaluation_rounds::id.eq(evaluation_awards::round_id)),
        )
        .filter(evaluation_rounds::confirmed_at.is_not_null())
        .select((
            round_columns,
            (
                evaluation_awards::club_id,
                evaluation_awards::tier,
                evaluation_awards::amount_krw,
                evaluation_awards::awarded_by,
            ),
        ))
        .load(conn)?;
    let leave: Vec<(StoredRound, (String, i32, String))> = top_contributors::table
        .inner_join(
            evaluation_rounds::table.on(evaluation_rounds::id.eq(top_contributors::round_id)),
        )
        .filter(evaluation_rounds::confirmed_at.is_not_null())
        .select((
            round_columns,
            (
                top_contributors::employee_id,
                top_contributors::special_leave_days,
                top_contributors::recommended_by,
            ),
        ))
        .load(conn)?;
    crate::db::write_tx(conn, |conn| {
        let mut written = 0;
        for (round, (club, tier, amount, by)) in &prizes {
            if let Some(round) = round_ref(round) {
                let outcome = post_prize(conn, &round, club, tier, *amount, by, now)?;
                written += usize::from(outcome.is_some_and(|o| o.is_new()));
            }
        }
        for (round, (employee, days, by)) in &leave {
            if let Some(round) = round_ref(round) {
                let outcome = post_leave(conn, &round, employee, (*days).into(), by, now)?;
                written += usize::from(outcome.is_some_and(|o| o.is_new()));
            }
        }
        Ok(written)
    })
}

/// A round's (id, organization, half) as stored.
type StoredRound = (String, String, String);

/// A stored round as the ledger names it.
fn round_ref((id, organization_id, half): &StoredRound) -> Option<RoundRef<'_>> {
    crate::clock::HalfYear::parse(half).map(|half| RoundRef {
        id,
        organization_id,
        counts_for: half.last_day(),
    })
}
