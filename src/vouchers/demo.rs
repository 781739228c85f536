//! The demo's catalog and a few redemptions: people who earned course
//! vouchers from the HR import spend some — one fulfilled, one waiting.

use chrono::{NaiveDate, NaiveDateTime};

use super::catalog::{self, ItemInput};
use super::redemption::{self, Redeemer};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::ledger::Unit;
use crate::org::model as org;

const ITEMS: [(&str, &str, i64, Option<i32>); 4] = [
    ("book", "공공데이터 활용 실무", 3, Some(20)),
    ("book", "정책 기획의 기술", 3, None),
    ("course", "데이터 시각화 온라인 과정", 6, None),
    ("seminar", "지방행정 혁신 세미나 초대권", 5, Some(10)),
];

/// (items, redemptions) made.
pub fn load(conn: &mut DbConn, today: NaiveDate, now: NaiveDateTime) -> AppResult<(usize, usize)> {
    let (office, admin) = crate::org::demo::office_and_administrator(conn)?;
    let mut item_ids = Vec::new();
    for (kind, name, price, stock) in ITEMS {
        let input = ItemInput {
            kind: kind.into(),
            name: name.into(),
            description: String::new(),
            price,
            stock,
            active: true,
        };
        item_ids.push(catalog::add(conn, &office.id, &input, &admin.id, now)?.id);
    }
    let mut made = 0;
    for person in org::people_of(conn, &office.id)?.iter().take(40) {
        if made == 6 {
            break;
        }
        let balance = crate::ledger::model::employee_balance(conn, &person.id, Unit::Vouchers)?;
        if balance < 6 {
            continue;
        }
        let who = Redeemer {
            organization_id: &office.id,
            employee_id: &person.id,
        };
        let (r, _) = redemption::redeem(conn, &who, &item_ids[made % 2], today, now)?;
        if made % 3 == 0 {
            redemption::fulfil(conn, &r.id, &office.id, &admin.id, now)?;
        }
        made += 1;
    }
    Ok((ITEMS.len(), made))
}
