//! The vouchers API: my vouchers and redemptions; the catalog; the
//! office's items, redemption queue and rules (administrators).

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::catalog::{self, ItemInput};
use super::model::{self, CatalogItem, VoucherRule};
use super::redemption::{self, Redeemer, RedemptionStatus, RedemptionView};
use super::rules::{self, VoucherRuleInEffect, VoucherRuleInput};
use super::summary::{self, VoucherSummary};
use crate::auth::{Admin, CurrentUser};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::paging::{Page, PageQuery};
use crate::state::AppState;

/// My vouchers: balance, held by waiting redemptions, what will expire,
/// the rules and my latest redemptions. The entries themselves:
/// `/api/v1/me/ledger?unit=vouchers`.
#[utoipa::path(get, path = "/api/v1/me/vouchers", tag = "vouchers", security(("bearer" = [])),
    responses((status = 200, body = VoucherSummary), (status = 401, body = ErrorBody)))]
pub async fn my_vouchers(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let st = state.clone();
    let summary = state
        .db(move |conn| {
            summary::of_person(
                conn,
                &st.settings,
                &user.employee.organization_id,
                &user.employee.id,
                today,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(summary))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CatalogQuery {
    /// Administrators: also items no longer offered.
    #[serde(default)]
    pub all: bool,
}

/// The office's catalog: what can be redeemed (administrators may ask for
/// every item).
#[utoipa::path(get, path = "/api/v1/vouchers/catalog", tag = "vouchers", security(("bearer" = [])),
    params(CatalogQuery),
    responses((status = 200, body = Vec<CatalogItem>), (status = 401, body = ErrorBody)))]
pub async fn catalog_list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<CatalogQuery>,
) -> AppResult<HttpResponse> {
    let only_active = !(query.all && user.has_role(crate::org::model::Role::Admin));
    let items = state
        .db(move |conn| {
            Ok(model::items_of(
                conn,
                &user.employee.organization_id,
                only_active,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

/// Add an item to the catalog (administrators).
#[utoipa::path(post, path = "/api/v1/vouchers/catalog", tag = "vouchers", security(("bearer" = [])),
    request_body = ItemInput,
    responses((status = 201, body = CatalogItem), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_item(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<ItemInput>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let item = state
        .tx(move |conn| {
            catalog::add(
                conn,
                &admin.0.employee.organization_id,
                &body,
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(item))
}

/// Change an item (administrators): a new price applies from now on.
#[utoipa::path(put, path = "/api/v1/vouchers/catalog/{id}", tag = "vouchers", security(("bearer" = [])),
    params(("id" = String, Path, description = "the item")), request_body = ItemInput,
    responses((status = 200, body = CatalogItem), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_item(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<ItemInput>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let item = state
        .tx(move |conn| {
            catalog::change(
                conn,
                &admin.0.employee.organization_id,
                &id,
                &body,
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(item))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RedeemBody {
    pub item_id: String,
}

/// Redeem one catalog item: the price is held at once (201, `held`).
/// 422 naming `item_id` when the balance is short or the item is not
/// offered; 409 when its stock is gone.
#[utoipa::path(post, path = "/api/v1/me/vouchers/redemptions", tag = "vouchers", security(("bearer" = [])),
    request_body = RedeemBody,
    responses((status = 201, body = RedemptionView), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn redeem(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<RedeemBody>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let (redemption, name) = state
        .tx(move |conn| {
            let who = Redeemer {
                organization_id: &user.employee.organization_id,
                employee_id: &user.employee.id,
            };
            redemption::redeem(conn, &who, &body.item_id, today, now)
        })
        .await?;
    Ok(HttpResponse::Created().json(RedemptionView::of(redemption, name)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CancelBody {
    /// Required when the office cancels; optional for one's own.
    #[serde(default)]
    pub reason: String,
}

/// Cancel my redemption while it waits: the vouchers come back.
#[utoipa::path(post, path = "/api/v1/me/vouchers/redemptions/{id}/cancel", tag = "vouchers", security(("bearer" = [])),
    params(("id" = String, Path, description = "the redemption")), request_body = CancelBody,
    responses((status = 200, body = RedemptionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel_mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    body: Option<web::Json<CancelBody>>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let reason = body.map(|b| b.into_inner().reason).unwrap_or_default();
    let view = state
        .tx(move |conn| {
            let (r, _) = redemption::cancel(
                conn,
                &id,
                &user.employee.organization_id,
                &user.employee.id,
                false,
                &reason,
                now,
            )?;
            view_of(conn, r)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

pub fn view_of(conn: &mut DbConn, r: model::Redemption) -> AppResult<RedemptionView> {
    let name = model::item_by_id(conn, &r.item_id)?.name;
    Ok(RedemptionView::of(r, name))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RedemptionQueueQuery {
    /// `held` (default), `fulfilled` or `cancelled`.
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedRedemption {
    #[serde(flatten)]
    pub redemption: RedemptionView,
    pub employee_no: String,
    pub employee_name: String,
}

/// The office's redemptions in one status (administrators), oldest first.
#[utoipa::path(get, path = "/api/v1/vouchers/redemptions", tag = "vouchers", security(("bearer" = [])),
    params(RedemptionQueueQuery, PageQuery),
    responses((status = 200, body = Page<QueuedRedemption>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn redemption_queue(
    state: web::Data<AppState>,
    admin: Admin,
    query: web::Query<RedemptionQueueQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let status = match query.status.as_deref() {
        None | Some("") => RedemptionStatus::Held,
        Some(s) => RedemptionStatus::parse(s).ok_or_else(|| {
            AppError::validation("status", "status is held, fulfilled or cancelled")
        })?,
    };
    let page = state
        .db(move |conn| {
            queue_page(
                conn,
                &admin.0.employee.organization_id,
                status,
                offset,
                limit,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

pub fn queue_page(
    conn: &mut DbConn,
    organization_id: &str,
    status: RedemptionStatus,
    offset: i64,
    limit: i64,
) -> AppResult<Page<QueuedRedemption>> {
    let (rows, total) = model::queue(conn, organization_id, status.code(), offset, limit)?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|(r, item, name, no)| QueuedRedemption {
                redemption: RedemptionView::of(r, item),
                employee_no: no,
                employee_name: name,
            })
            .collect(),
        total,
    })
}

/// Mark a waiting redemption fulfilled (administrators).
#[utoipa::path(post, path = "/api/v1/vouchers/redemptions/{id}/fulfil", tag = "vouchers", security(("bearer" = [])),
    params(("id" = String, Path, description = "the redemption")),
    responses((status = 200, body = RedemptionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn fulfil(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let view = state
        .tx(move |conn| {
            let r = redemption::fulfil(
                conn,
                &id,
                &admin.0.employee.organization_id,
                admin.0.id(),
                now,
            )?;
            view_of(conn, r)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Cancel a waiting redemption with a reason (administrators): the
/// vouchers go back to the person, who is told why.
#[utoipa::path(post, path = "/api/v1/vouchers/redemptions/{id}/cancel", tag = "vouchers", security(("bearer" = [])),
    params(("id" = String, Path, description = "the redemption")), request_body = CancelBody,
    responses((status = 200, body = RedemptionView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<CancelBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let view = state
        .tx(move |conn| cancel_and_tell(conn, &st, &admin, &id, &body.reason, now))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Cancels for the office and mails the person the refund with the reason.
pub fn cancel_and_tell(
    conn: &mut DbConn,
    state: &AppState,
    admin: &Admin,
    id: &str,
    reason: &str,
    now: chrono::NaiveDateTime,
) -> AppResult<RedemptionView> {
    let (r, refund) = redemption::cancel(
        conn,
        id,
        &admin.0.employee.organization_id,
        admin.0.id(),
        true,
        reason,
        now,
    )?;
    let hold = crate::ledger::model::movement_by_id(conn, &r.hold_movement_id)?;
    crate::ledger::notices::tell_reversal(
        conn,
        &state.templates,
        &state.settings,
        &refund,
        &hold,
        now,
    )?;
    view_of(conn, r)
}

/// The office's voucher rules in effect today, and every version.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoucherRuleBook {
    pub in_effect: Vec<VoucherRuleInEffect>,
    pub versions: Vec<VoucherRule>,
    pub expire_after_years: i32,
}

pub fn rule_book(
    conn: &mut DbConn,
    state: &AppState,
    organization_id: &str,
    today: chrono::NaiveDate,
) -> AppResult<VoucherRuleBook> {
    Ok(VoucherRuleBook {
        in_effect: rules::in_effect(conn, &state.settings, organization_id, today)?,
        versions: model::rules_of(conn, organization_id)?,
        expire_after_years: state.settings.vouchers.expire_after_years,
    })
}

/// The office's voucher rules (administrators).
#[utoipa::path(get, path = "/api/v1/vouchers/rules", tag = "vouchers", security(("bearer" = [])),
    responses((status = 200, body = VoucherRuleBook), (status = 403, body = ErrorBody)))]
pub async fn list_rules(state: web::Data<AppState>, admin: Admin) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let st = state.clone();
    let book = state
        .db(move |conn| rule_book(conn, &st, &admin.0.employee.organization_id, today))
        .await?;
    Ok(HttpResponse::Ok().json(book))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VoucherRuleBody {
    /// `course`, `badge` or `leaderboard`.
    pub activity: String,
    /// `YYYY-MM-DD`, today or later.
    pub valid_from: String,
    pub vouchers: i64,
    /// For `leaderboard` only: the places that earn.
    pub top_n: Option<i32>,
    pub reason: String,
}

/// Add a version of a voucher rule (administrators), from today or later.
#[utoipa::path(post, path = "/api/v1/vouchers/rules", tag = "vouchers", security(("bearer" = [])),
    request_body = VoucherRuleBody,
    responses((status = 201, body = VoucherRule), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_rule(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<VoucherRuleBody>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let rule = state
        .tx(move |conn| {
            rules::add_version(
                conn,
                &admin.0.employee.organization_id,
                &VoucherRuleInput {
                    activity: &body.activity,
                    valid_from: &body.valid_from,
                    vouchers: body.vouchers,
                    top_n: body.top_n,
                    reason: &body.reason,
                },
                admin.0.id(),
                today,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(rule))
}
