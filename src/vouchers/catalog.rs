//! The office's catalog: books, courses and seminars, each with a price in
//! vouchers and, if limited, a stock.

use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{self, CatalogItem};
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};

crate::text_enum! {
    pub enum ItemKind {
        Book = ("book", "도서"),
        Course = ("course", "교육과정"),
        Seminar = ("seminar", "세미나"),
    }
}

/// An item as an administrator writes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ItemInput {
    /// `book`, `course` or `seminar`.
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Vouchers, at least 1.
    pub price: i64,
    /// None: unlimited.
    pub stock: Option<i32>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// The checked fields; the first problem names its field.
fn checked(input: &ItemInput) -> AppResult<(ItemKind, String, String)> {
    let kind = ItemKind::parse(input.kind.trim()).ok_or_else(|| {
        AppError::validation("kind", "종류는 도서, 교육과정, 세미나 중 하나입니다.")
    })?;
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push(("name", "이름은 1~200자로 적어 주세요.".to_string()));
    }
    let description = input.description.trim();
    if description.chars().count() > 2000 {
        problems.push(("description", "설명은 2,000자까지입니다.".to_string()));
    }
    if !(1..=10_000).contains(&input.price) {
        problems.push(("price", "가격은 바우처 1~10,000개입니다.".to_string()));
    }
    if input.stock.is_some_and(|s| !(0..=1_000_000).contains(&s)) {
        problems.push((
            "stock",
            "재고는 0~1,000,000개입니다 (제한이 없으면 비워 두세요).".to_string(),
        ));
    }
    match problems.into_iter().next() {
        None => Ok((kind, name.to_string(), description.to_string())),
        Some((field, message)) => Err(AppError::validation(field, message)),
    }
}

/// Adds an item to the office's catalog (administrators; audited).
pub fn add(
    conn: &mut DbConn,
    organization_id: &str,
    input: &ItemInput,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<CatalogItem> {
    let (kind, name, description) = checked(input)?;
    let item = CatalogItem {
        id: new_id(),
        organization_id: organization_id.to_string(),
        kind: kind.code().to_string(),
        name,
        description,
        price: input.price,
        stock: input.stock,
        active: input.active,
        created_by: by.to_string(),
        created_at: now,
        updated_at: now,
    };
    crate::db::write_tx(conn, |conn| {
        model::insert_item(conn, &item)?;
        audit(conn, "vouchers.item_added", &item, by, now)?;
        Ok(item.clone())
    })
}

/// Changes an item: a new price applies to redemptions from now on; those
/// made keep theirs.
pub fn change(
    conn: &mut DbConn,
    organization_id: &str,
    item_id: &str,
    input: &ItemInput,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<CatalogItem> {
    let (kind, name, description) = checked(input)?;
    crate::db::write_tx(conn, |conn| {
        let current = office_item(conn, organization_id, item_id)?;
        let item = CatalogItem {
            kind: kind.code().to_string(),
            name,
            description,
            price: input.price,
            stock: input.stock,
            active: input.active,
            updated_at: now,
            ..current
        };
        model::update_item(conn, &item)?;
        audit(conn, "vouchers.item_changed", &item, by, now)?;
        Ok(item)
    })
}

/// An item of this office; another office's answers 404.
pub fn office_item(
    conn: &mut DbConn,
    organization_id: &str,
    item_id: &str,
) -> AppResult<CatalogItem> {
    let item = model::item_by_id(conn, item_id)?;
    if item.organization_id != organization_id {
        return Err(AppError::NotFound);
    }
    Ok(item)
}

fn audit(
    conn: &mut DbConn,
    action: &str,
    item: &CatalogItem,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    crate::audit::record(
        conn,
        now,
        Some(by),
        action,
        &item.id,
        serde_json::json!({
            "kind": item.kind,
            "name": item.name,
            "price": item.price,
            "stock": item.stock,
            "active": item.active,
        }),
    )?;
    Ok(())
}
