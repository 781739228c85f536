//! Redeeming vouchers for a catalog item (바우처 사용): the price is held at
//! once by one movement from the person to the office's catalog account;
//! the office then fulfils it (done: the vouchers stay spent) or cancels it
//! (a reversal gives them back). The balance and the stock are checked
//! while the ledger's chain is held, and the stock is taken by a
//! conditional update: neither goes below zero under parallel redemptions.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::catalog::office_item;
use super::model::{self, Redemption};
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};
use crate::ledger::model::{AccountRef, Movement, SystemPurpose};
use crate::ledger::{self, Leg, Owner, Posting, Source, Unit};

crate::text_enum! {
    pub enum RedemptionStatus {
        Held = ("held", "처리 대기"),
        Fulfilled = ("fulfilled", "지급 완료"),
        Cancelled = ("cancelled", "취소"),
    }
}

/// A redemption as the API answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RedemptionView {
    pub id: String,
    pub employee_id: String,
    pub item_id: String,
    pub item_name: String,
    /// Vouchers, as the item cost when it was redeemed.
    pub price: i64,
    pub status: RedemptionStatus,
    pub status_label: &'static str,
    pub hold_movement_id: String,
    pub refund_movement_id: Option<String>,
    /// RFC 3339, Seoul time.
    pub requested_at: String,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
}

impl RedemptionView {
    pub fn of(r: Redemption, item_name: String) -> Self {
        let status = RedemptionStatus::parse(&r.status).unwrap_or(RedemptionStatus::Held);
        RedemptionView {
            id: r.id,
            employee_id: r.employee_id,
            item_id: r.item_id,
            item_name,
            price: r.price,
            status,
            status_label: status.label_ko(),
            hold_movement_id: r.hold_movement_id,
            refund_movement_id: r.refund_movement_id,
            requested_at: crate::format::seoul_rfc3339(r.requested_at),
            decided_at: r.decided_at.map(crate::format::seoul_rfc3339),
            decision_reason: r.decision_reason,
        }
    }
}

/// Who redeems, and in which office.
pub struct Redeemer<'a> {
    pub organization_id: &'a str,
    pub employee_id: &'a str,
}

/// Redeems one of an item: 422 naming `item_id` when the balance is short
/// or the item is not offered, 409 when its stock is gone.
pub fn redeem(
    conn: &mut DbConn,
    who: &Redeemer<'_>,
    item_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(Redemption, String)> {
    crate::db::write_tx(conn, |conn| {
        ledger::model::take_chain(conn)?;
        let item = office_item(conn, who.organization_id, item_id)?;
        if !item.active {
            return Err(AppError::validation(
                "item_id",
                "지금은 신청을 받지 않는 품목입니다.",
            ));
        }
        let balance = ledger::model::employee_balance(conn, who.employee_id, Unit::Vouchers)?;
        if balance < item.price {
            return Err(AppError::validation(
                "item_id",
                format!(
                    "바우처가 부족합니다: {}개가 필요하고 잔액은 {balance}개입니다.",
                    item.price
                ),
            ));
        }
        if !model::take_one(conn, &item.id)? {
            return Err(AppError::Conflict("재고가 모두 소진되었습니다.".into()));
        }
        let id = new_id();
        let catalog = Owner::System {
            purpose: SystemPurpose::Catalog,
            organization_id: who.organization_id.to_string(),
        };
        let hold = ledger::post(
            conn,
            Posting {
                idempotency_key: format!("redemption/{id}"),
                source: Source::Redemption,
                source_ref: Some(id.clone()),
                counts_for: today,
                rule_version: None,
                actor_id: Some(who.employee_id.to_string()),
                reason: None,
                legs: vec![
                    Leg {
                        account: AccountRef {
                            owner: Owner::Employee(who.employee_id.to_string()),
                            unit: Unit::Vouchers,
                        },
                        amount: -item.price,
                    },
                    Leg {
                        account: AccountRef {
                            owner: catalog,
                            unit: Unit::Vouchers,
                        },
                        amount: item.price,
                    },
                ],
                details: vec![("catalog_item".into(), item.id.clone(), -item.price)],
                learning: None,
            },
            now,
        )?
        .movement()
        .clone();
        let redemption = Redemption {
            id,
            organization_id: who.organization_id.to_string(),
            employee_id: who.employee_id.to_string(),
            item_id: item.id,
            price: item.price,
            status: RedemptionStatus::Held.code().to_string(),
            hold_movement_id: hold.id,
            refund_movement_id: None,
            requested_at: now,
            decided_by: None,
            decided_at: None,
            decision_reason: None,
        };
        model::insert_redemption(conn, &redemption)?;
        Ok((redemption, item.name))
    })
}

/// A redemption still held, of this office and, when `only_of` names
/// someone, theirs: another's answers 404 whatever its state.
fn held(
    conn: &mut DbConn,
    id: &str,
    organization_id: &str,
    only_of: Option<&str>,
) -> AppResult<Redemption> {
    let redemption = model::redemption_by_id(conn, id)?;
    if redemption.organization_id != organization_id
        || only_of.is_some_and(|who| who != redemption.employee_id)
    {
        return Err(AppError::NotFound);
    }
    if redemption.status != RedemptionStatus::Held.code() {
        return Err(AppError::Conflict("이미 처리된 신청입니다.".into()));
    }
    Ok(redemption)
}

/// The office hands the item over: the vouchers stay spent (audited).
pub fn fulfil(
    conn: &mut DbConn,
    id: &str,
    organization_id: &str,
    admin_id: &str,
    now: NaiveDateTime,
) -> AppResult<Redemption> {
    crate::db::write_tx(conn, |conn| {
        let redemption = held(conn, id, organization_id, None)?;
        decide(
            conn,
            &redemption,
            RedemptionStatus::Fulfilled,
            None,
            admin_id,
            None,
            now,
        )
    })
}

/// Cancels a held redemption, by the office (with a reason) or by the
/// person who made it: a reversal gives the vouchers back and the item
/// goes back into stock (audited). Answers the refund, for the notice.
pub fn cancel(
    conn: &mut DbConn,
    id: &str,
    organization_id: &str,
    by: &str,
    by_office: bool,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<(Redemption, Movement)> {
    let reason = if by_office {
        crate::fields::required("reason", "취소 사유", reason, 1000)?
    } else {
        let reason = reason.trim();
        if reason.is_empty() {
            "신청자가 취소함"
        } else {
            reason
        }
        .to_string()
    };
    crate::db::write_tx(conn, |conn| {
        let redemption = held(conn, id, organization_id, (!by_office).then_some(by))?;
        let refund = ledger::reverse(
            conn,
            &redemption.hold_movement_id,
            format!("redemption/{id}/refund"),
            Some(by.to_string()),
            reason.clone(),
            now,
        )?
        .movement()
        .clone();
        model::put_back_one(conn, &redemption.item_id)?;
        let decided = decide(
            conn,
            &redemption,
            RedemptionStatus::Cancelled,
            Some(&refund.id),
            by,
            Some(&reason),
            now,
        )?;
        Ok((decided, refund))
    })
}

fn decide(
    conn: &mut DbConn,
    redemption: &Redemption,
    status: RedemptionStatus,
    refund: Option<&str>,
    by: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<Redemption> {
    if !model::decide_redemption(conn, &redemption.id, status.code(), refund, by, reason, now)? {
        return Err(AppError::Conflict("이미 처리된 신청입니다.".into()));
    }
    crate::audit::record(
        conn,
        now,
        Some(by),
        &format!("vouchers.redemption_{}", status.code()),
        &redemption.id,
        serde_json::json!({
            "employee_id": redemption.employee_id,
            "item_id": redemption.item_id,
            "price": redemption.price,
            "reason": reason,
        }),
    )?;
    Ok(model::redemption_by_id(conn, &redemption.id)?)
}
