//! Random interleavings of earning mileage and vouchers, taking points
//! back, converting points into hours, redeeming, fulfilling and
//! cancelling: every balance equals what the operations did, none goes
//! below zero, no cap is passed, the stock never goes negative, the
//! leaderboard's totals (people's and their club's) equal the earnings,
//! and `ledger verify` passes.

use std::collections::HashSet;

use dongari::error::AppError;
use dongari::ledger::Unit;
use dongari::mileage::earning::{self, Earned, Event};
use dongari::mileage::{conversion, Activity};
use dongari::org::model::{Employee, Role};
use dongari::vouchers::redemption::{self, Redeemer};
use dongari::vouchers::{catalog, VoucherActivity, VoucherEvent};
use proptest::prelude::*;

use crate::helpers::{Backend, TestApp};

#[derive(Debug, Clone)]
enum Op {
    /// A comment on someone's post on day `day` of November.
    Earn {
        person: usize,
        day: u32,
    },
    /// A club meeting on day `day` of November, attended by the people
    /// whose bits are set in `present`.
    Meet {
        present: u8,
        day: u32,
    },
    TakeBack {
        nth: usize,
    },
    Convert {
        person: usize,
        hours: i64,
    },
    Course {
        person: usize,
    },
    Redeem {
        person: usize,
        item: usize,
    },
    Cancel {
        nth: usize,
    },
    Fulfil {
        nth: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, 1u32..4).prop_map(|(person, day)| Op::Earn { person, day }),
        2 => (1u8..8, 1u32..4).prop_map(|(present, day)| Op::Meet { present, day }),
        1 => (0usize..64).prop_map(|nth| Op::TakeBack { nth }),
        1 => (0usize..3, 1i64..3).prop_map(|(person, hours)| Op::Convert { person, hours }),
        2 => (0usize..3).prop_map(|person| Op::Course { person }),
        2 => (0usize..3, 0usize..2).prop_map(|(person, item)| Op::Redeem { person, item }),
        1 => (0usize..64).prop_map(|nth| Op::Cancel { nth }),
        1 => (0usize..64).prop_map(|nth| Op::Fulfil { nth }),
    ]
}

struct World {
    app: TestApp,
    people: Vec<Employee>,
    admin: Employee,
    club: String,
    items: Vec<(String, i64)>,
}

fn world() -> World {
    actix_web::rt::System::new().block_on(async {
        let app = TestApp::spawn(Backend::Sqlite).await;
        let people: Vec<Employee> = (0..3)
            .map(|i| app.employee(&format!("20160{i:02}")).create())
            .collect();
        let club = app
            .club("마일리지 모임", &people[0])
            .member(&people[1])
            .member(&people[2])
            .create()
            .id;
        let admin = app.employee("9000001").role(Role::Admin).create();
        let org = app.org.clone();
        let now = app.clock_naive();
        let items = [(2, Some(2)), (3, None)]
            .iter()
            .map(|&(price, stock)| {
                let input = catalog::ItemInput {
                    kind: "book".into(),
                    name: format!("책 {price}"),
                    description: String::new(),
                    price,
                    stock,
                    active: true,
                };
                let item = app.db(|c| catalog::add(c, &org, &input, &admin.id, now).unwrap());
                (item.id, price)
            })
            .collect();
        World {
            app,
            people,
            admin,
            club,
            items,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn balances_stay_their_entries_and_within_the_rules(ops in prop::collection::vec(op(), 1..40)) {
        let w = world();
        let (org, now, today) = (w.app.org.clone(), w.app.clock_naive(), w.app.today());
        let settings = w.app.state.settings.clone();
        let mut points = [0i64; 3];
        let mut vouchers = [0i64; 3];
        let mut converted = [0i64; 3];
        let mut earnings: Vec<(Activity, String, usize, i64, bool)> = Vec::new(); // event, person, points, taken back
        let mut held: Vec<(String, usize, usize, bool)> = Vec::new(); // redemption, person, item, decided
        let mut stock_taken = 0;
        let mut events = 0;
        let mut courses = 0;
        for op in ops {
            match op {
                Op::Earn { person, day } => {
                    events += 1;
                    let event_ref = format!("comment-{events}");
                    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
                    let event = Event { organization_id: &org, club_id: None, activity: Activity::Comment, event_ref: &event_ref, on };
                    let earned = w.app.db(|c| earning::earn(c, &settings, &event, &w.people[person].id, now)).unwrap();
                    if let Earned::Points(p) = earned {
                        points[person] += p;
                        earnings.push((Activity::Comment, event_ref, person, p, false));
                    }
                }
                Op::Meet { present, day } => {
                    events += 1;
                    let event_ref = format!("meeting-{events}");
                    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
                    let event = Event { organization_id: &org, club_id: Some(&w.club), activity: Activity::Meeting, event_ref: &event_ref, on };
                    let who: Vec<usize> = (0..3).filter(|i| present & (1 << i) != 0).collect();
                    let ids: Vec<String> = who.iter().map(|&i| w.people[i].id.clone()).collect();
                    let earned = w.app.db(|c| earning::earn_all(c, &settings, &event, &ids, now)).unwrap();
                    for (&person, earned) in who.iter().zip(earned) {
                        if let Earned::Points(p) = earned {
                            points[person] += p;
                            earnings.push((Activity::Meeting, event_ref.clone(), person, p, false));
                        }
                    }
                }
                Op::TakeBack { nth } => {
                    if earnings.is_empty() { continue; }
                    let (activity, event_ref) = {
                        let e = &earnings[nth % earnings.len()];
                        (e.0, e.1.clone())
                    };
                    let back = w.app.db(|c| earning::take_back(c, activity, &event_ref, &HashSet::new(), None, "정정", now)).unwrap();
                    let standing: Vec<&mut (Activity, String, usize, i64, bool)> =
                        earnings.iter_mut().filter(|e| e.1 == event_ref && !e.4).collect();
                    prop_assert_eq!(back.len(), standing.len());
                    for e in standing {
                        points[e.2] -= e.3;
                        e.4 = true;
                    }
                }
                Op::Convert { person, hours } => {
                    let who = conversion::Converter { organization_id: &org, employee_id: &w.people[person].id };
                    match w.app.db(|c| conversion::request(c, &settings, &who, hours, today, now)) {
                        Ok(c) => { points[person] -= c.points; converted[person] += c.minutes; }
                        Err(AppError::Validation { .. }) => {
                            prop_assert!(points[person] < hours * 100 || converted[person] + hours * 60 > 600);
                        }
                        Err(e) => prop_assert!(false, "{e:?}"),
                    }
                }
                Op::Course { person } => {
                    courses += 1;
                    let event_ref = format!("course-{courses}");
                    let event = VoucherEvent { organization_id: &org, activity: VoucherActivity::Course, event_ref: &event_ref, on: today };
                    w.app.db(|c| dongari::vouchers::earn(c, &settings, &event, &w.people[person].id, now)).unwrap();
                    vouchers[person] += 3;
                }
                Op::Redeem { person, item } => {
                    let (item_id, price) = w.items[item].clone();
                    let who = Redeemer { organization_id: &org, employee_id: &w.people[person].id };
                    match w.app.db(|c| redemption::redeem(c, &who, &item_id, today, now)) {
                        Ok((r, _)) => {
                            vouchers[person] -= price;
                            if item == 0 { stock_taken += 1; }
                            held.push((r.id, person, item, false));
                        }
                        Err(AppError::Validation { .. }) => prop_assert!(vouchers[person] < price),
                        Err(AppError::Conflict(_)) => prop_assert!(item == 0 && stock_taken == 2),
                        Err(e) => prop_assert!(false, "{e:?}"),
                    }
                }
                Op::Cancel { nth } | Op::Fulfil { nth } => {
                    if held.is_empty() { continue; }
                    let i = nth % held.len();
                    let (id, person, item, decided) = held[i].clone();
                    let cancelling = matches!(op, Op::Cancel { .. });
                    let result = w.app.db(|c| if cancelling {
                        redemption::cancel(c, &id, &org, &w.admin.id, true, "품절", now).map(|_| ())
                    } else {
                        redemption::fulfil(c, &id, &org, &w.admin.id, now).map(|_| ())
                    });
                    match result {
                        Ok(()) => {
                            prop_assert!(!decided);
                            held[i].3 = true;
                            if cancelling {
                                vouchers[person] += w.items[item].1;
                                if item == 0 { stock_taken -= 1; }
                            }
                        }
                        Err(AppError::Conflict(_)) => prop_assert!(decided),
                        Err(e) => prop_assert!(false, "{e:?}"),
                    }
                }
            }
        }
        for (i, person) in w.people.iter().enumerate() {
            let (p, v) = w.app.db(|c| (
                dongari::ledger::model::employee_balance(c, &person.id, Unit::Points).unwrap(),
                dongari::ledger::model::employee_balance(c, &person.id, Unit::Vouchers).unwrap(),
            ));
            prop_assert_eq!((p, v), (points[i], vouchers[i]));
            prop_assert!(p >= 0 && v >= 0);
            prop_assert!(converted[i] <= 600);
            // Comments are capped at 10 a day: at most 30 over three days.
            let mine = || earnings.iter().filter(|e| e.2 == i && !e.4);
            let commented: i64 = mine().filter(|e| e.0 == Activity::Comment).map(|e| e.3).sum();
            prop_assert!(commented <= 3 * 10 * 2);
            let earned: i64 = mine().map(|e| e.3).sum();
            let year = dongari::period::Period::Year(2026);
            let total = w.app.db(|c| dongari::leaderboard::model::total_of(c, &org, year, "employee", &person.id).unwrap());
            prop_assert_eq!(total, earned);
        }
        let stock = w.app.db(|c| dongari::vouchers::model::item_by_id(c, &w.items[0].0).unwrap().stock);
        prop_assert_eq!(stock, Some(2 - stock_taken));
        let year = dongari::period::Period::Year(2026);
        let club_total = w.app.db(|c| dongari::leaderboard::model::total_of(c, &org, year, "club", &w.club).unwrap());
        let met: i64 = earnings.iter().filter(|e| e.0 == Activity::Meeting && !e.4).map(|e| e.3).sum();
        prop_assert_eq!(club_total, met);
        let report = w.app.db(|c| dongari::ledger::verify::verify(c).unwrap());
        prop_assert!(report.is_clean(), "{:?}", report.violations);
        let totals = w.app.db(|c| dongari::leaderboard::verify::check(c).unwrap());
        prop_assert!(totals.is_empty(), "{:?}", totals);
    }
}
