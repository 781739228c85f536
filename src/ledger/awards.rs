//! What a confirmed evaluation round gives, in the ledger: each prize to
//! the winning club's KRW account from the office's prize fund, each top
//! contributor's special-leave days to their leave account. Keyed by round
//! and club (or person), so that confirming, recommending and the one-time
//! migration of rounds confirmed before the ledger
//! (`evaluation::awards::move_confirmed_rounds_into_ledger`) never write
//! twice.

use super::posting::issue;
use chrono::{NaiveDate, NaiveDateTime};

use super::model::{Owner, Source, Unit};
use super::posting::{post, Outcome, Posting};
use crate::db::DbConn;
use crate::error::AppResult;

/// A round, as its movements name it.
pub struct RoundRef<'a> {
    pub id: &'a str,
    pub organization_id: &'a str,
    /// The last day of its half: the period the award counts for.
    pub counts_for: NaiveDate,
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
        legs: issue(
            round.organization_id,
            Owner::Club(club_id.to_string()),
            Unit::Krw,
            amount_krw,
        ),
        details: vec![("club".into(), club_id.to_string(), amount_krw)],
        learning: None,
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
        legs: issue(
            round.organization_id,
            Owner::Employee(employee_id.to_string()),
            Unit::LeaveDays,
            days,
        ),
        details: vec![],
        learning: None,
    };
    post(conn, posting, now).map(Some)
}
