//! `dongari ledger verify`: replays the whole ledger from its rows and names
//! everything that does not hold — the chain (an edited, inserted or removed
//! row), each movement's fingerprint and balance, reversals that do not
//! mirror what they cancel, and the balance cache.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;

use super::chain;
use super::model::{self, Account, Detail, Entry, Movement};
use crate::db::schema::{ledger_balances, ledger_entries, ledger_entry_details, ledger_movements};
use crate::db::DbConn;
use crate::error::AppResult;

/// Entries read at a time, so that a ledger of millions fits in memory.
const BATCH: i64 = 10_000;

#[derive(Debug, Default)]
pub struct Report {
    pub entries: i64,
    pub movements: usize,
    pub accounts: usize,
    pub violations: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }
}

/// The legs of one movement as they stream past.
struct Open {
    movement: Movement,
    legs: Vec<(Account, i64)>,
}

pub fn verify(conn: &mut DbConn) -> AppResult<Report> {
    let mut report = Report::default();
    let accounts: HashMap<String, Account> = crate::db::schema::ledger_accounts::table
        .select(Account::as_select())
        .load(conn)?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    report.accounts = accounts.len();
    let reversals: HashMap<String, String> = ledger_movements::table
        .filter(ledger_movements::reverses_id.is_not_null())
        .select((
            ledger_movements::reverses_id.assume_not_null(),
            ledger_movements::id,
        ))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mirrored: HashSet<&String> = reversals.keys().chain(reversals.values()).collect();
    let mut mirror_legs: HashMap<String, BTreeMap<String, i64>> = HashMap::new();
    let mut balances: HashMap<String, i64> = HashMap::new();
    let mut per_unit: BTreeMap<String, i128> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let (mut expected_seq, mut prev_hash) = (1_i64, String::new());
    let mut open: Option<Open> = None;
    let violations = &mut report.violations;

    loop {
        let batch: Vec<Entry> = ledger_entries::table
            .filter(ledger_entries::seq.ge(expected_seq))
            .order(ledger_entries::seq.asc())
            .limit(BATCH)
            .select(Entry::as_select())
            .load(conn)?;
        if batch.is_empty() {
            break;
        }
        let mut ids: Vec<String> = batch.iter().map(|e| e.movement_id.clone()).collect();
        ids.sort();
        ids.dedup();
        let mut movements: HashMap<String, Movement> = HashMap::new();
        for chunk in ids.chunks(500) {
            for m in ledger_movements::table
                .filter(ledger_movements::id.eq_any(chunk))
                .select(Movement::as_select())
                .load(conn)?
            {
                movements.insert(m.id.clone(), m);
            }
        }
        for entry in batch {
            report.entries += 1;
            if entry.seq != expected_seq {
                violations.push(format!(
                    "chain: entry {} follows entry {} (entries {}..{} are missing)",
                    entry.seq,
                    expected_seq - 1,
                    expected_seq,
                    entry.seq - 1
                ));
            }
            if entry.prev_hash != prev_hash {
                violations.push(format!(
                    "chain: entry {} does not link to the entry before it",
                    entry.seq
                ));
            }
            let (Some(movement), Some(account)) = (
                movements.get(&entry.movement_id),
                accounts.get(&entry.account_id),
            ) else {
                violations.push(format!(
                    "entry {}: its movement or account is missing",
                    entry.seq
                ));
                expected_seq = entry.seq + 1;
                prev_hash = entry.hash;
                continue;
            };
            let hash =
                chain::leg_hash(&entry.prev_hash, entry.seq, movement, account, entry.amount);
            if hash != entry.hash {
                violations.push(format!(
                    "entry {}: its content does not match its hash (edited?)",
                    entry.seq
                ));
            }
            if entry.unit != account.unit {
                violations.push(format!(
                    "entry {}: unit {} in an account of {}",
                    entry.seq, entry.unit, account.unit
                ));
            }
            *balances.entry(entry.account_id.clone()).or_default() += entry.amount;
            *per_unit.entry(entry.unit.clone()).or_default() += i128::from(entry.amount);
            if mirrored.contains(&entry.movement_id) {
                *mirror_legs
                    .entry(entry.movement_id.clone())
                    .or_default()
                    .entry(entry.account_id.clone())
                    .or_default() += entry.amount;
            }
            if open
                .as_ref()
                .is_some_and(|o| o.movement.id != entry.movement_id)
            {
                let done = open.take().expect("checked");
                close_movement(conn, done, &mut seen, violations)?;
            }
            open.get_or_insert_with(|| Open {
                movement: movement.clone(),
                legs: Vec::new(),
            })
            .legs
            .push((account.clone(), entry.amount));
            expected_seq = entry.seq + 1;
            prev_hash = entry.hash;
        }
    }
    if let Some(done) = open.take() {
        close_movement(conn, done, &mut seen, violations)?;
    }

    let (head_seq, head_hash) = model::chain_end(conn)?;
    if head_seq != expected_seq - 1 || head_hash != prev_hash {
        violations.push(format!(
            "chain: the recorded end is entry {head_seq}, the entries end at {}",
            expected_seq - 1
        ));
    }
    let all_movements: Vec<String> = ledger_movements::table
        .select(ledger_movements::id)
        .load(conn)?;
    report.movements = all_movements.len();
    for id in all_movements.iter().filter(|id| !seen.contains(*id)) {
        violations.push(format!("movement {id}: has no entries"));
    }
    for (unit, total) in per_unit.iter().filter(|(_, t)| **t != 0) {
        violations.push(format!("unit {unit}: all entries sum to {total}, not zero"));
    }
    for (original, reversal) in &reversals {
        let empty = BTreeMap::new();
        let a = mirror_legs.get(original).unwrap_or(&empty);
        let b = mirror_legs.get(reversal).unwrap_or(&empty);
        let keys: HashSet<&String> = a.keys().chain(b.keys()).collect();
        if keys
            .into_iter()
            .any(|k| a.get(k).copied().unwrap_or(0) + b.get(k).copied().unwrap_or(0) != 0)
        {
            violations.push(format!(
                "movement {reversal}: does not mirror the movement {original} it reverses"
            ));
        }
    }
    let cached: HashMap<String, i64> = ledger_balances::table
        .select((ledger_balances::account_id, ledger_balances::balance))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let mut ids: Vec<&String> = cached.keys().chain(balances.keys()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let (entries, cache) = (
            balances.get(id).copied().unwrap_or(0),
            cached.get(id).copied(),
        );
        if cache != Some(entries) && !(cache.is_none() && entries == 0) {
            violations.push(format!(
                "account {id}: cached balance {} but its entries sum to {entries}",
                cache.map_or("none".to_string(), |c| c.to_string())
            ));
        }
    }
    Ok(report)
}

/// A movement whose legs have all been read: it balances per unit and its
/// fingerprint matches its legs and details.
fn close_movement(
    conn: &mut DbConn,
    open: Open,
    seen: &mut HashSet<String>,
    violations: &mut Vec<String>,
) -> AppResult<()> {
    let id = &open.movement.id;
    if !seen.insert(id.clone()) {
        violations.push(format!(
            "movement {id}: its entries are not together in the chain"
        ));
    }
    if open.legs.len() < 2 {
        violations.push(format!("movement {id}: has fewer than two entries"));
    }
    let mut sums: BTreeMap<&str, i128> = BTreeMap::new();
    for (account, amount) in &open.legs {
        *sums.entry(account.unit.as_str()).or_default() += i128::from(*amount);
    }
    for (unit, sum) in sums.into_iter().filter(|(_, s)| *s != 0) {
        violations.push(format!(
            "movement {id}: its {unit} entries sum to {sum}, not zero"
        ));
    }
    let details: Vec<Detail> = ledger_entry_details::table
        .filter(ledger_entry_details::movement_id.eq(id))
        .select(Detail::as_select())
        .load(conn)?;
    if chain::fingerprint_of(&open.movement, &open.legs, &details) != open.movement.fingerprint {
        violations.push(format!(
            "movement {id}: its entries or details do not match its fingerprint"
        ));
    }
    Ok(())
}
