//! Voucher rows and the plain queries over them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{catalog_items, employees, voucher_redemptions, voucher_rules};
use crate::db::DbConn;

/// A version of one activity's voucher rule.
#[derive(Queryable, Selectable, Insertable, Serialize, ToSchema, Debug, Clone)]
#[diesel(table_name = voucher_rules)]
pub struct VoucherRule {
    pub id: String,
    pub organization_id: String,
    pub activity: String,
    pub version: i32,
    pub valid_from: NaiveDate,
    pub vouchers: i64,
    pub top_n: Option<i32>,
    pub reason: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// Something the office offers for vouchers.
#[derive(Queryable, Selectable, Insertable, Serialize, ToSchema, Debug, Clone)]
#[diesel(table_name = catalog_items)]
pub struct CatalogItem {
    pub id: String,
    pub organization_id: String,
    pub kind: String,
    pub name: String,
    pub description: String,
    pub price: i64,
    /// None: unlimited.
    pub stock: Option<i32>,
    pub active: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = voucher_redemptions)]
pub struct Redemption {
    pub id: String,
    pub organization_id: String,
    pub employee_id: String,
    pub item_id: String,
    pub price: i64,
    pub status: String,
    pub hold_movement_id: String,
    pub refund_movement_id: Option<String>,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reason: Option<String>,
}

crate::rule_version_queries!(voucher_rules, VoucherRule);

/// The office's catalog: what is offered first, by name.
pub fn items_of(
    conn: &mut DbConn,
    organization_id: &str,
    only_active: bool,
) -> QueryResult<Vec<CatalogItem>> {
    let mut query = catalog_items::table
        .filter(catalog_items::organization_id.eq(organization_id))
        .order((catalog_items::active.desc(), catalog_items::name.asc()))
        .select(CatalogItem::as_select())
        .into_boxed();
    if only_active {
        query = query.filter(catalog_items::active.eq(true));
    }
    query.load(conn)
}

pub fn item_by_id(conn: &mut DbConn, id: &str) -> QueryResult<CatalogItem> {
    catalog_items::table
        .find(id)
        .select(CatalogItem::as_select())
        .first(conn)
}

pub fn insert_item(conn: &mut DbConn, item: &CatalogItem) -> QueryResult<()> {
    diesel::insert_into(catalog_items::table)
        .values(item)
        .execute(conn)
        .map(|_| ())
}

/// Changes what an administrator edits; stock is set as they see it.
pub fn update_item(conn: &mut DbConn, item: &CatalogItem) -> QueryResult<usize> {
    diesel::update(catalog_items::table.find(&item.id))
        .set((
            catalog_items::kind.eq(&item.kind),
            catalog_items::name.eq(&item.name),
            catalog_items::description.eq(&item.description),
            catalog_items::price.eq(item.price),
            catalog_items::stock.eq(item.stock),
            catalog_items::active.eq(item.active),
            catalog_items::updated_at.eq(item.updated_at),
        ))
        .execute(conn)
}

/// Takes one from an item's stock if it has one left (or is unlimited):
/// false when it has none. The condition is in the update, so parallel
/// redemptions cannot take the last one twice.
pub fn take_one(conn: &mut DbConn, item_id: &str) -> QueryResult<bool> {
    let limited = diesel::update(
        catalog_items::table
            .find(item_id)
            .filter(catalog_items::stock.gt(0)),
    )
    .set(catalog_items::stock.eq(catalog_items::stock - 1))
    .execute(conn)?;
    if limited == 1 {
        return Ok(true);
    }
    let unlimited: i64 = catalog_items::table
        .find(item_id)
        .filter(catalog_items::stock.is_null())
        .count()
        .get_result(conn)?;
    Ok(unlimited == 1)
}

/// Puts one back into a limited item's stock (a cancelled redemption).
pub fn put_back_one(conn: &mut DbConn, item_id: &str) -> QueryResult<()> {
    diesel::update(
        catalog_items::table
            .find(item_id)
            .filter(catalog_items::stock.is_not_null()),
    )
    .set(catalog_items::stock.eq(catalog_items::stock + 1))
    .execute(conn)
    .map(|_| ())
}

pub fn insert_redemption(conn: &mut DbConn, redemption: &Redemption) -> QueryResult<()> {
    diesel::insert_into(voucher_redemptions::table)
        .values(redemption)
        .execute(conn)
        .map(|_| ())
}

pub fn redemption_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Redemption> {
    voucher_redemptions::table
        .find(id)
        .select(Redemption::as_select())
        .first(conn)
}

/// Decides a held redemption: false when it is no longer held (decided in
/// the meantime).
pub fn decide_redemption(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    refund_movement_id: Option<&str>,
    by: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        voucher_redemptions::table
            .find(id)
            .filter(voucher_redemptions::status.eq("held")),
    )
    .set((
        voucher_redemptions::status.eq(status),
        voucher_redemptions::refund_movement_id.eq(refund_movement_id),
        voucher_redemptions::decided_by.eq(by),
        voucher_redemptions::decided_at.eq(now),
        voucher_redemptions::decision_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

crate::fixed_sql!(
    SumOfPrices: diesel::sql_types::BigInt = "CAST(COALESCE(SUM(price), 0) AS BIGINT)", aggregate
);

/// The vouchers a person's waiting redemptions hold.
pub fn held_total(conn: &mut DbConn, employee_id: &str) -> QueryResult<i64> {
    voucher_redemptions::table
        .filter(voucher_redemptions::employee_id.eq(employee_id))
        .filter(voucher_redemptions::status.eq("held"))
        .select(SumOfPrices)
        .first(conn)
}

/// A person's redemptions, latest first, with the item's name.
pub fn redemptions_of(
    conn: &mut DbConn,
    employee_id: &str,
    limit: i64,
) -> QueryResult<Vec<(Redemption, String)>> {
    voucher_redemptions::table
        .inner_join(catalog_items::table)
        .filter(voucher_redemptions::employee_id.eq(employee_id))
        .order(voucher_redemptions::requested_at.desc())
        .limit(limit)
        .select((Redemption::as_select(), catalog_items::name))
        .load(conn)
}

/// An office's redemptions in one status, oldest first, with the item's
/// name and the person's name and number; one page and the count.
pub fn queue(
    conn: &mut DbConn,
    organization_id: &str,
    status: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<(Redemption, String, String, String)>, i64)> {
    let total = voucher_redemptions::table
        .filter(voucher_redemptions::organization_id.eq(organization_id))
        .filter(voucher_redemptions::status.eq(status))
        .count()
        .get_result(conn)?;
    let rows = voucher_redemptions::table
        .inner_join(catalog_items::table)
        .inner_join(employees::table)
        .filter(voucher_redemptions::organization_id.eq(organization_id))
        .filter(voucher_redemptions::status.eq(status))
        .order(voucher_redemptions::requested_at.asc())
        .offset(offset)
        .limit(limit)
        .select((
            Redemption::as_select(),
            catalog_items::name,
            employees::name,
            employees::employee_no,
        ))
        .load(conn)?;
    Ok((rows, total))
}

/// (employee id, account id, balance) of this office's people holding
/// vouchers (or only of `only`), from the balance cache.
pub fn holders(
    conn: &mut DbConn,
    organization_id: &str,
    only: Option<&str>,
) -> QueryResult<Vec<(String, String, i64)>> {
    use crate::db::schema::{ledger_accounts as accounts, ledger_balances as balances};
    let mut query = accounts::table
        .inner_join(balances::table)
        .inner_join(employees::table.on(employees::id.eq(accounts::owner_id)))
        .filter(accounts::owner_kind.eq("employee"))
        .filter(accounts::unit.eq("vouchers"))
        .filter(employees::organization_id.eq(organization_id))
        .filter(balances::balance.gt(0))
        .select((employees::id, accounts::id, balances::balance))
        .into_boxed();
    if let Some(employee_id) = only {
        query = query.filter(accounts::owner_id.eq(employee_id));
    }
    query.load(conn)
}

/// Per account, the vouchers received (earned or granted, net of those
/// taken back) that count for a day on or after `from`; not refunds.
pub fn earned_since(
    conn: &mut DbConn,
    account_ids: &[String],
    from: NaiveDate,
) -> QueryResult<std::collections::HashMap<String, i64>> {
    use crate::db::schema::{ledger_entries as entries, ledger_movements as movements};
    const RECEIVED: [&str; 2] = ["earning", "manual_adjustment"];
    let originals = diesel::alias!(movements as originals);
    let taken_back = originals
        .filter(originals.field(movements::source).eq_any(RECEIVED))
        .select(originals.field(movements::id).nullable());
    let rows: Vec<(String, i64)> = entries::table
        .inner_join(movements::table)
        .filter(crate::db::any_of(entries::account_id, account_ids))
        .filter(movements::counts_for.ge(from))
        .filter(
            movements::source
                .eq_any(RECEIVED)
                .or(movements::reverses_id.eq_any(taken_back)),
        )
        .group_by(entries::account_id)
        .select((entries::account_id, crate::db::SumOfAmounts))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
