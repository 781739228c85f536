//! Writing to the ledger: one movement at a time, in one transaction, at
//! the end of the chain.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::chain::{self, Content, LegKey};
use super::model::{
    self, Account, AccountRef, Detail, Learning, Movement, Owner, OwnerKind, Source, SystemPurpose,
    Unit,
};
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};

/// One side of a movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg {
    pub account: AccountRef,
    pub amount: i64,
}

impl Leg {
    fn of(owner: Owner, unit: Unit, amount: i64) -> Leg {
        Leg {
            account: AccountRef { owner, unit },
            amount,
        }
    }
}

/// An office issuing `amount` of `unit` to `owner` (negative: taking it
/// back), the unit's issuer account on the other side.
pub fn issue(organization_id: &str, owner: Owner, unit: Unit, amount: i64) -> Vec<Leg> {
    let issuer = Owner::System {
        purpose: SystemPurpose::issuer_of(unit),
        organization_id: organization_id.to_string(),
    };
    vec![Leg::of(issuer, unit, -amount), Leg::of(owner, unit, amount)]
}

/// A movement to record.
#[derive(Debug, Clone)]
pub struct Posting {
    /// Names the operation, so that doing it again writes nothing new.
    pub idempotency_key: String,
    pub source: Source,
    /// The thing that caused it (a half-year, an import line, a round, …).
    pub source_ref: Option<String>,
    /// The day it counts for: its half-year and year.
    pub counts_for: NaiveDate,
    pub rule_version: Option<String>,
    /// Who approved it; none for an automatic rule.
    pub actor_id: Option<String>,
    /// Why, where a person decided.
    pub reason: Option<String>,
    pub legs: Vec<Leg>,
    /// What it is made of: (kind, id, amount), e.g. the meetings of a grant.
    pub details: Vec<(String, String, i64)>,
    /// The learning it records, as the HR learning system files it.
    pub learning: Option<Learning>,
}

/// What a posting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Recorded(Movement),
    /// The key was already used for the same content: nothing new written.
    AlreadyRecorded(Movement),
}

impl Outcome {
    pub fn movement(&self) -> &Movement {
        match self {
            Outcome::Recorded(m) | Outcome::AlreadyRecorded(m) => m,
        }
    }

    pub fn is_new(&self) -> bool {
        matches!(self, Outcome::Recorded(_))
    }
}

/// Double entry: at least two legs, none zero, and per unit the legs sum to
/// zero with a system account on one side.
fn check_balanced(legs: &[Leg]) -> AppResult<()> {
    if legs.len() < 2 {
        return Err(AppError::validation(
            "legs",
            "a movement has at least two legs",
        ));
    }
    if legs.iter().any(|l| l.amount == 0) {
        return Err(AppError::validation(
            "legs",
            "a leg moves a non-zero amount",
        ));
    }
    let mut per_unit: BTreeMap<&'static str, (i128, bool)> = BTreeMap::new();
    for leg in legs {
        let (sum, has_system) = per_unit.entry(leg.account.unit.code()).or_default();
        *sum += i128::from(leg.amount);
        *has_system |= leg.account.owner.kind() == OwnerKind::System;
    }
    for (unit, (sum, has_system)) in per_unit {
        if sum != 0 {
            return Err(AppError::validation(
                "legs",
                format!("the legs in {unit} sum to {sum}, not zero"),
            ));
        }
        if !has_system {
            return Err(AppError::validation(
                "legs",
                format!("the legs in {unit} have no system account on one side"),
            ));
        }
    }
    Ok(())
}

/// What a posting moves, as its fingerprint.
pub(super) fn fingerprint_of(posting: &Posting, reverses_id: Option<&str>) -> String {
    chain::fingerprint(Content {
        source: posting.source.code(),
        source_ref: posting.source_ref.as_deref(),
        counts_for: posting.counts_for,
        rule_version: posting.rule_version.as_deref(),
        reason: posting.reason.as_deref(),
        reverses_id,
        legs: posting
            .legs
            .iter()
            .map(|l| LegKey {
                owner_kind: l.account.owner.kind().code().to_string(),
                owner_id: l.account.owner.id(),
                unit: l.account.unit.code().to_string(),
                amount: l.amount,
            })
            .collect(),
        details: posting.details.clone(),
        learning: posting
            .learning
            .as_ref()
            .map(|l| (l.learning_type.code(), l.title.as_str())),
    })
}

/// The movement row of a posting, recorded at `now`, with a new id.
pub(super) fn movement_of(
    posting: &Posting,
    fingerprint: String,
    reverses_id: Option<String>,
    now: NaiveDateTime,
) -> Movement {
    Movement {
        id: new_id(),
        idempotency_key: posting.idempotency_key.clone(),
        fingerprint,
        source: posting.source.code().to_string(),
        source_ref: posting.source_ref.clone(),
        counts_for: posting.counts_for,
        rule_version: posting.rule_version.clone(),
        actor_id: posting.actor_id.clone(),
        reason: posting.reason.clone(),
        reverses_id,
        recorded_at: chain::to_micros(now),
        learning_type: posting
            .learning
            .as_ref()
            .map(|l| l.learning_type.code().to_string()),
        title: posting.learning.as_ref().map(|l| l.title.clone()),
    }
}

/// Records a movement, or answers the one already recorded under its key.
/// The same key with other content is a conflict. Runs in a write
/// transaction of its own (a savepoint inside the caller's).
pub fn post(conn: &mut DbConn, posting: Posting, now: NaiveDateTime) -> AppResult<Outcome> {
    check_balanced(&posting.legs)?;
    record(conn, posting, None, now)
}

fn record(
    conn: &mut DbConn,
    posting: Posting,
    reverses_id: Option<String>,
    now: NaiveDateTime,
) -> AppResult<Outcome> {
    let fingerprint = fingerprint_of(&posting, reverses_id.as_deref());
    crate::db::write_tx(conn, |conn| {
        // Taking the chain first makes concurrent postings of one key take
        // turns, so the second sees the first and answers it.
        let (mut seq, mut prev_hash) = model::lock_chain(conn)?;
        let movement = movement_of(&posting, fingerprint, reverses_id, now);
        let recorded = model::insert_movement(conn, &movement)
            .map_err(AppError::unique_as("this movement was already reversed"))?;
        if !recorded {
            let existing =
                model::movement_by_key(conn, &posting.idempotency_key)?.ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!("a used key without its movement"))
                })?;
            return if existing.fingerprint == movement.fingerprint {
                Ok(Outcome::AlreadyRecorded(existing))
            } else {
                Err(AppError::Conflict(format!(
                    "idempotency key {} was used for a different movement",
                    posting.idempotency_key
                )))
            };
        }
        let details: Vec<Detail> = posting
            .details
            .into_iter()
            .map(|(kind, ref_id, amount)| Detail {
                movement_id: movement.id.clone(),
                kind,
                ref_id,
                amount,
            })
            .collect();
        model::insert_details(conn, &details)?;
        let accounts: Vec<&AccountRef> = posting.legs.iter().map(|leg| &leg.account).collect();
        let account_ids = model::open_accounts(conn, &accounts, now)?;
        for (leg, account_id) in posting.legs.into_iter().zip(account_ids) {
            let account = Account {
                id: account_id.clone(),
                owner_kind: leg.account.owner.kind().code().to_string(),
                owner_id: leg.account.owner.id(),
                unit: leg.account.unit.code().to_string(),
                created_at: now,
            };
            seq += 1;
            let hash = chain::leg_hash(&prev_hash, seq, &movement, &account, leg.amount);
            model::insert_entry(
                conn,
                &model::Entry {
                    seq,
                    movement_id: movement.id.clone(),
                    account_id: account_id.clone(),
                    unit: account.unit,
                    amount: leg.amount,
                    prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
                    hash,
                },
            )?;
            model::add_to_balance(conn, &account_id, leg.amount)?;
        }
        model::advance_chain(conn, seq, &prev_hash)?;
        Ok(Outcome::Recorded(movement))
    })
}

/// Cancels a movement with one that moves the opposite amounts, pointing
/// to it, with the reason. A movement is reversed at most once; a reversal
/// is not itself reversed (post the movement anew instead).
pub fn reverse(
    conn: &mut DbConn,
    movement_id: &str,
    idempotency_key: String,
    actor_id: Option<String>,
    reason: String,
    now: NaiveDateTime,
) -> AppResult<Outcome> {
    if reason.trim().is_empty() {
        return Err(AppError::validation("reason", "a reversal says why"));
    }
    crate::db::write_tx(conn, |conn| {
        let original = model::movement_by_id(conn, movement_id)?;
        if original.reverses_id.is_some() {
            return Err(AppError::validation(
                "movement",
                "a reversal cannot be reversed; record the movement again instead",
            ));
        }
        let entries = model::entries_of_movement(conn, movement_id)?;
        let account_ids: Vec<String> = entries.iter().map(|e| e.account_id.clone()).collect();
        let accounts = model::accounts_by_ids(conn, &account_ids)?;
        let mut legs = Vec::with_capacity(entries.len());
        for entry in &entries {
            let account = accounts
                .iter()
                .find(|a| a.id == entry.account_id)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("entry without account")))?;
            legs.push(Leg {
                account: model::account_ref(account)?,
                amount: -entry.amount,
            });
        }
        let details = model::details_of_movement(conn, movement_id)?
            .into_iter()
            .map(|d| (d.kind, d.ref_id, -d.amount))
            .collect();
        let posting = Posting {
            idempotency_key,
            source: Source::Reversal,
            // Filed with what it cancels (the half, the import), so that
            // sums by source see both.
            source_ref: original.source_ref.clone(),
            counts_for: original.counts_for,
            rule_version: original.rule_version.clone(),
            actor_id,
            reason: Some(reason.trim().to_string()),
            legs,
            details,
            learning: original.learning(),
        };
        record(conn, posting, Some(original.id), now)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::model::{Owner, SystemPurpose, Unit};

    fn leg(owner: Owner, unit: Unit, amount: i64) -> Leg {
        Leg {
            account: AccountRef { owner, unit },
            amount,
        }
    }

    fn issuer() -> Owner {
        Owner::System {
            purpose: SystemPurpose::HoursIssuer,
            organization_id: "org".into(),
        }
    }

    #[test]
    fn a_movement_balances_per_unit_with_a_system_side() {
        let person = Owner::Employee("e1".into());
        assert!(check_balanced(&[
            leg(issuer(), Unit::Minutes, -60),
            leg(person.clone(), Unit::Minutes, 60)
        ])
        .is_ok());
        for legs in [
            vec![leg(person.clone(), Unit::Minutes, 60)],
            vec![
                leg(issuer(), Unit::Minutes, -60),
                leg(person.clone(), Unit::Minutes, 50),
            ],
            vec![
                leg(issuer(), Unit::Minutes, 0),
                leg(person.clone(), Unit::Minutes, 0),
            ],
            vec![
                leg(person.clone(), Unit::Minutes, -60),
                leg(Owner::Employee("e2".into()), Unit::Minutes, 60),
            ],
            vec![
                leg(issuer(), Unit::Minutes, -60),
                leg(person.clone(), Unit::Points, 60),
            ],
        ] {
            assert!(check_balanced(&legs).is_err(), "{legs:?}");
        }
    }
}
