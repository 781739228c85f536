//! Writing many new movements at once — a whole office's history for the
//! Seoul-scale generator — with the same rows, hashes and chain as
//! [`super::post`] writes one at a time, in a few multi-row statements.
//! Every key must be new: this is for filling, not for retries.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::chain;
use super::model::{self, Account, Detail, Entry, Movement};
use super::posting::{self, Posting};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};

/// Records `postings`, each at its own instant, at the end of the chain in
/// the caller's transaction; answers their movements in order.
pub fn post_all(
    conn: &mut DbConn,
    postings: Vec<(Posting, NaiveDateTime)>,
) -> AppResult<Vec<Movement>> {
    let (mut seq, mut prev_hash) = model::lock_chain(conn)?;
    let mut accounts: HashMap<(String, String, String), Account> = HashMap::new();
    let mut movements = Vec::with_capacity(postings.len());
    let mut details = Vec::new();
    let mut entries = Vec::new();
    let mut balances: HashMap<String, i64> = HashMap::new();
    for (posting, at) in postings {
        let fingerprint = posting::fingerprint_of(&posting, None);
        let movement = posting::movement_of(&posting, fingerprint, None, at);
        details.extend(
            posting
                .details
                .into_iter()
                .map(|(kind, ref_id, amount)| Detail {
                    movement_id: movement.id.clone(),
                    kind,
                    ref_id,
                    amount,
                }),
        );
        for leg in &posting.legs {
            let ident = (
                leg.account.owner.kind().code().to_string(),
                leg.account.owner.id(),
                leg.account.unit.code().to_string(),
            );
            if !accounts.contains_key(&ident) {
                let id = model::open_account(conn, &leg.account, at)?;
                let (owner_kind, owner_id, unit) = ident.clone();
                let account = Account {
                    id,
                    owner_kind,
                    owner_id,
                    unit,
                    created_at: at,
                };
                accounts.insert(ident.clone(), account);
            }
            let account = &accounts[&ident];
            seq += 1;
            let hash = chain::leg_hash(&prev_hash, seq, &movement, account, leg.amount);
            entries.push(Entry {
                seq,
                movement_id: movement.id.clone(),
                account_id: account.id.clone(),
                unit: account.unit.clone(),
                amount: leg.amount,
                prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
                hash,
            });
            *balances.entry(account.id.clone()).or_default() += leg.amount;
        }
        movements.push(movement);
    }
    model::insert_movements(conn, &movements, &details, &entries).map_err(AppError::unique_as(
        "a key of these movements was already used",
    ))?;
    for (account_id, amount) in balances {
        model::add_to_balance(conn, &account_id, amount)?;
    }
    model::advance_chain(conn, seq, &prev_hash)?;
    Ok(movements)
}
