//! The ledger's own guarantees, on both backends: a movement per key,
//! append-only rows the database itself defends, reversals at most once,
//! concurrent postings of one key recorded once, and `ledger verify`
//! finding rows changed behind the application's back.

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use dongari::db::{self, DatabaseUrl, DbConn};
use dongari::error::AppError;
use dongari::ledger::{
    self, verify, AccountRef, Leg, Outcome, Owner, Posting, Source, SystemPurpose, Unit,
};
use proptest::prelude::*;

use crate::both_backends;
use crate::helpers::{empty_database, Backend, EmptyDatabase};

both_backends!(
    a_key_records_one_movement,
    entries_cannot_be_changed_or_removed,
    verify_names_rows_changed_behind_the_ledger,
    a_movement_is_reversed_at_most_once,
    one_key_posted_at_once_records_once,
);

struct Ledger {
    pool: db::DbPool,
    _db: EmptyDatabase,
}

fn ledger(backend: Backend) -> Ledger {
    let database = empty_database(backend);
    let pool = db::connect(&DatabaseUrl::parse(&database.url).unwrap(), 8).unwrap();
    db::migrate(&mut pool.get().unwrap()).unwrap();
    Ledger {
        pool,
        _db: database,
    }
}

impl Ledger {
    fn conn(&self) -> db::PooledConn {
        self.pool.get().unwrap()
    }
}

fn now() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 7, 1)
        .unwrap()
        .and_hms_micro_opt(10, 0, 0, 123_456)
        .unwrap()
}

fn hours(employee: &str) -> AccountRef {
    AccountRef {
        owner: Owner::Employee(employee.into()),
        unit: Unit::Minutes,
    }
}

fn issuer() -> AccountRef {
    AccountRef {
        owner: Owner::System {
            purpose: SystemPurpose::HoursIssuer,
            organization_id: "org-1".into(),
        },
        unit: Unit::Minutes,
    }
}

/// Minutes granted to an employee from the issuer of hours.
fn grant(key: &str, employee: &str, minutes: i64) -> Posting {
    Posting {
        idempotency_key: key.into(),
        source: Source::ClubHours,
        source_ref: Some("2026H1".into()),
        counts_for: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        rule_version: Some("cap-720".into()),
        actor_id: None,
        reason: None,
        legs: vec![
            Leg {
                account: issuer(),
                amount: -minutes,
            },
            Leg {
                account: hours(employee),
                amount: minutes,
            },
        ],
        details: vec![("meeting".into(), format!("m-{key}"), minutes)],
        learning: None,
    }
}

fn balance_of(conn: &mut DbConn, account: &AccountRef) -> i64 {
    match ledger::model::account_id_of(conn, account).unwrap() {
        Some(id) => ledger::model::balance(conn, &id).unwrap(),
        None => 0,
    }
}

fn assert_verifies(conn: &mut DbConn) {
    let report = verify::verify(conn).unwrap();
    assert!(report.is_clean(), "{:?}", report.violations);
}

async fn a_key_records_one_movement(backend: Backend) {
    let l = ledger(backend);
    let conn = &mut l.conn();
    let first = ledger::post(conn, grant("k1", "e1", 90), now()).unwrap();
    assert!(first.is_new());
    let again = ledger::post(conn, grant("k1", "e1", 90), now()).unwrap();
    assert_eq!(again, Outcome::AlreadyRecorded(first.movement().clone()));
    let other = ledger::post(conn, grant("k1", "e1", 60), now()).unwrap_err();
    assert!(matches!(other, AppError::Conflict(_)), "{other:?}");
    assert_eq!(balance_of(conn, &hours("e1")), 90);
    assert_eq!(balance_of(conn, &issuer()), -90);
    // Unbalanced or one-sided movements are refused and write nothing.
    let mut unbalanced = grant("k2", "e1", 30);
    unbalanced.legs[0].amount = -20;
    assert!(matches!(
        ledger::post(conn, unbalanced, now()),
        Err(AppError::Validation { .. })
    ));
    assert_eq!(balance_of(conn, &hours("e1")), 90);
    assert_verifies(conn);
}

async fn entries_cannot_be_changed_or_removed(backend: Backend) {
    let l = ledger(backend);
    let conn = &mut l.conn();
    ledger::post(conn, grant("k1", "e1", 60), now()).unwrap();
    let mut statements = vec![
        "UPDATE ledger_entries SET amount = 600",
        "DELETE FROM ledger_entries",
        "UPDATE ledger_movements SET reason = 'x'",
        "DELETE FROM ledger_movements",
        "UPDATE ledger_entry_details SET amount = 1",
        "DELETE FROM ledger_entry_details",
    ];
    if matches!(backend, Backend::Postgres) {
        statements.push("TRUNCATE ledger_entries CASCADE");
    }
    for sql in statements {
        let err = conn.batch_execute(sql).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(balance_of(conn, &hours("e1")), 60);
    assert_verifies(conn);
}

async fn verify_names_rows_changed_behind_the_ledger(backend: Backend) {
    let l = ledger(backend);
    let conn = &mut l.conn();
    for (key, minutes) in [("k1", 60), ("k2", 120), ("k3", 30)] {
        ledger::post(conn, grant(key, "e1", minutes), now()).unwrap();
    }
    assert_verifies(conn);
    // Someone with the database's keys turns the defence off and edits.
    let off = match backend {
        Backend::Sqlite => {
            "DROP TRIGGER ledger_entries_no_update; DROP TRIGGER ledger_entries_no_delete;"
        }
        Backend::Postgres => "ALTER TABLE ledger_entries DISABLE TRIGGER USER;",
    };
    conn.batch_execute(off).unwrap();
    conn.batch_execute("UPDATE ledger_entries SET amount = 600 WHERE seq = 4")
        .unwrap();
    let report = verify::verify(conn).unwrap();
    let found = report.violations.join("\n");
    assert!(
        found.contains("entry 4: its content does not match its hash"),
        "{found}"
    );
    assert!(found.contains("sum to 480, not zero"), "{found}");
    assert!(
        found.contains("cached balance 210 but its entries sum to 690"),
        "{found}"
    );

    conn.batch_execute("UPDATE ledger_entries SET amount = 120 WHERE seq = 4; DELETE FROM ledger_entries WHERE seq = 5")
        .unwrap();
    let report = verify::verify(conn).unwrap();
    let found = report.violations.join("\n");
    assert!(!found.contains("entry 4:"), "restored: {found}");
    assert!(found.contains("entry 6 follows entry 4"), "{found}");
    assert!(found.contains("fewer than two entries"), "{found}");
}

async fn a_movement_is_reversed_at_most_once(backend: Backend) {
    let l = ledger(backend);
    let conn = &mut l.conn();
    let grant = ledger::post(conn, grant("k1", "e1", 90), now()).unwrap();
    let id = grant.movement().id.clone();
    let no_reason = ledger::reverse(conn, &id, "r1".into(), None, " ".into(), now());
    assert!(matches!(no_reason, Err(AppError::Validation { .. })));
    let reversal =
        ledger::reverse(conn, &id, "r1".into(), None, "출석 정정".into(), now()).unwrap();
    assert!(reversal.is_new());
    assert_eq!(
        reversal.movement().reverses_id.as_deref(),
        Some(id.as_str())
    );
    assert_eq!(balance_of(conn, &hours("e1")), 0);
    // The same request again answers the same reversal; another is refused.
    let again = ledger::reverse(conn, &id, "r1".into(), None, "출석 정정".into(), now()).unwrap();
    assert!(!again.is_new());
    let twice = ledger::reverse(conn, &id, "r2".into(), None, "또".into(), now()).unwrap_err();
    assert!(matches!(twice, AppError::Conflict(_)), "{twice:?}");
    let of_reversal = ledger::reverse(
        conn,
        &reversal.movement().id,
        "r3".into(),
        None,
        "x".into(),
        now(),
    );
    assert!(matches!(of_reversal, Err(AppError::Validation { .. })));
    assert_eq!(balance_of(conn, &hours("e1")), 0);
    assert_verifies(conn);
}

async fn one_key_posted_at_once_records_once(backend: Backend) {
    let l = ledger(backend);
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let pool = l.pool.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                ledger::post(&mut conn, grant("approve-2026H1-e1", "e1", 720), now())
            })
        })
        .collect();
    let outcomes: Vec<Outcome> = handles
        .into_iter()
        .map(|h| h.join().unwrap().expect("no posting fails"))
        .collect();
    assert_eq!(outcomes.iter().filter(|o| o.is_new()).count(), 1);
    let conn = &mut l.conn();
    assert_eq!(balance_of(conn, &hours("e1")), 720);
    assert_verifies(conn);
}

/// What the property test does to the ledger.
#[derive(Debug, Clone)]
enum Op {
    Grant { person: u8, minutes: i64, key: u8 },
    Reverse { nth: usize, key: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..4, 1i64..900, 0u8..12).prop_map(|(person, minutes, key)| Op::Grant {
            person,
            minutes,
            key
        }),
        (0usize..16, 0u8..12).prop_map(|(nth, key)| Op::Reverse { nth, key }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any sequence of grants, repeats and reversals: each balance is what
    /// the operations say, the issuer mirrors the people, and verify passes.
    #[test]
    fn balances_are_the_sum_of_what_happened(ops in prop::collection::vec(op(), 1..24)) {
        let l = ledger(Backend::Sqlite);
        let conn = &mut l.conn();
        let mut expected = [0i64; 4];
        let mut granted: Vec<(String, usize, i64, bool)> = Vec::new(); // movement, person, minutes, reversed
        let mut keys: std::collections::HashMap<String, (usize, i64)> = Default::default();
        for op in ops {
            match op {
                Op::Grant { person, minutes, key } => {
                    let key = format!("g{key}");
                    let result = ledger::post(conn, grant(&key, &format!("e{person}"), minutes), now());
                    match keys.get(&key) {
                        Some(&(p, m)) if (p, m) == (person as usize, minutes) => {
                            prop_assert!(!result.unwrap().is_new());
                        }
                        Some(_) => prop_assert!(matches!(result, Err(AppError::Conflict(_)))),
                        None => {
                            let outcome = result.unwrap();
                            prop_assert!(outcome.is_new());
                            keys.insert(key, (person as usize, minutes));
                            expected[person as usize] += minutes;
                            granted.push((outcome.movement().id.clone(), person as usize, minutes, false));
                        }
                    }
                }
                Op::Reverse { nth, key } => {
                    if granted.is_empty() { continue; }
                    let i = nth % granted.len();
                    let (id, person, minutes, reversed) = granted[i].clone();
                    let result = ledger::reverse(conn, &id, format!("r{key}-{i}"), None, "정정".into(), now());
                    match result {
                        Ok(outcome) if outcome.is_new() => {
                            prop_assert!(!reversed);
                            expected[person] -= minutes;
                            granted[i].3 = true;
                        }
                        Ok(_) => prop_assert!(reversed),
                        Err(AppError::Conflict(_)) => prop_assert!(reversed),
                        Err(e) => prop_assert!(false, "{e:?}"),
                    }
                }
            }
        }
        for (person, minutes) in expected.iter().enumerate() {
            prop_assert_eq!(balance_of(conn, &hours(&format!("e{person}"))), *minutes);
        }
        prop_assert_eq!(balance_of(conn, &issuer()), -expected.iter().sum::<i64>());
        let report = verify::verify(conn).unwrap();
        prop_assert!(report.is_clean(), "{:?}", report.violations);
    }
}
