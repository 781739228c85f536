//! The voucher pages: my vouchers with the catalog and my redemptions; the
//! office's catalog, redemption queue and rules (administrators).

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::catalog::{self, ItemInput, ItemKind};
use super::handlers::{cancel_and_tell, queue_page, rule_book};
use super::redemption::{self, Redeemer, RedemptionStatus};
use super::rules::{self, VoucherActivity, VoucherRuleInput};
use super::{model, summary};
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::{Admin, CurrentUser};
use crate::error::AppResult;
use crate::http::{
    field_errors, form_number, optional_form_number, render_with_status, see_other, status_of,
};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Notice {
    #[serde(default)]
    pub done: String,
}

async fn mine_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    csrf: &CsrfToken,
    done: &str,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let st = state.clone();
    let (organization_id, employee_id) = (
        user.employee.organization_id.clone(),
        user.employee.id.clone(),
    );
    let (summary, items) = state
        .db(move |conn| {
            let summary =
                summary::of_person(conn, &st.settings, &organization_id, &employee_id, today)?;
            Ok((summary, model::items_of(conn, &organization_id, true)?))
        })
        .await?;
    let mut ctx = page_context(Some(user), csrf);
    ctx.insert("summary", &summary);
    ctx.insert("items", &items);
    ctx.insert("kinds", &ItemKind::options());
    ctx.insert("done", done);
    ctx.insert("errors", &errors);
    render_with_status(state, "vouchers/mine.html", &ctx, status_of(&errors))
}

/// My vouchers: the balance, the catalog to redeem from, my redemptions.
pub async fn mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    notice: web::Query<Notice>,
) -> AppResult<HttpResponse> {
    mine_page(&state, &user, &csrf, &notice.done, HashMap::new()).await
}

#[derive(Debug, Deserialize)]
pub struct RedeemForm {
    #[serde(default)]
    pub item_id: String,
}

pub async fn redeem(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    form: CsrfForm<RedeemForm>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let (organization_id, employee_id) = (
        user.employee.organization_id.clone(),
        user.employee.id.clone(),
    );
    let result = state
        .tx(move |conn| {
            let who = Redeemer {
                organization_id: &organization_id,
                employee_id: &employee_id,
            };
            redemption::redeem(conn, &who, &form.0.item_id, today, now)
        })
        .await;
    match result {
        Ok(_) => Ok(see_other("/me/vouchers?done=redeemed")),
        Err(e) => mine_page(&state, &user, &csrf, "", field_errors(e)?).await,
    }
}

pub async fn cancel_mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    id: web::Path<String>,
    _form: CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let (organization_id, employee_id) = (
        user.employee.organization_id.clone(),
        user.employee.id.clone(),
    );
    let result = state
        .tx(move |conn| {
            redemption::cancel(conn, &id, &organization_id, &employee_id, false, "", now)
        })
        .await;
    match result {
        Ok(_) => Ok(see_other("/me/vouchers?done=cancelled")),
        Err(e) => mine_page(&state, &user, &csrf, "", field_errors(e)?).await,
    }
}

async fn office_page(
    state: &web::Data<AppState>,
    admin: &Admin,
    csrf: &CsrfToken,
    done: &str,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let st = state.clone();
    let organization_id = admin.0.employee.organization_id.clone();
    let (items, queue, book) = state
        .db(move |conn| {
            let items = model::items_of(conn, &organization_id, false)?;
            let queue = queue_page(conn, &organization_id, RedemptionStatus::Held, 0, 200)?;
            Ok((items, queue, rule_book(conn, &st, &organization_id, today)?))
        })
        .await?;
    let mut ctx = page_context(Some(&admin.0), csrf);
    ctx.insert("items", &items);
    ctx.insert("queue", &queue);
    ctx.insert("book", &book);
    ctx.insert("kinds", &ItemKind::options());
    ctx.insert("activities", &VoucherActivity::options());
    ctx.insert("today", &today.to_string());
    ctx.insert("done", done);
    ctx.insert("errors", &errors);
    render_with_status(state, "vouchers/office.html", &ctx, status_of(&errors))
}

async fn back_to_office<T>(
    state: &web::Data<AppState>,
    admin: &Admin,
    csrf: &CsrfToken,
    result: AppResult<T>,
    done: &str,
) -> AppResult<HttpResponse> {
    match result {
        Ok(_) => Ok(see_other(&format!("/vouchers?done={done}"))),
        Err(e) => office_page(state, admin, csrf, "", field_errors(e)?).await,
    }
}

/// The office's catalog, redemptions waiting and voucher rules.
pub async fn office(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    notice: web::Query<Notice>,
) -> AppResult<HttpResponse> {
    office_page(&state, &admin, &csrf, &notice.done, HashMap::new()).await
}

#[derive(Debug, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub stock: String,
    /// A checkbox: present when offered.
    pub active: Option<String>,
}

impl ItemForm {
    fn input(self) -> AppResult<ItemInput> {
        Ok(ItemInput {
            price: form_number("price", &self.price)?,
            stock: optional_form_number("stock", &self.stock)?,
            kind: self.kind,
            name: self.name,
            description: self.description,
            active: self.active.is_some(),
        })
    }
}

pub async fn add_item(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    form: CsrfForm<ItemForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let (organization_id, by) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    let result = match form.0.input() {
        Ok(input) => {
            state
                .tx(move |conn| catalog::add(conn, &organization_id, &input, &by, now))
                .await
        }
        Err(e) => Err(e),
    };
    back_to_office(&state, &admin, &csrf, result, "item").await
}

pub async fn change_item(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    form: CsrfForm<ItemForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let (organization_id, by) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    let result = match form.0.input() {
        Ok(input) => {
            state
                .tx(move |conn| catalog::change(conn, &organization_id, &id, &input, &by, now))
                .await
        }
        Err(e) => Err(e),
    };
    back_to_office(&state, &admin, &csrf, result, "item").await
}

pub async fn fulfil(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    _form: CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let (organization_id, by) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    let result = state
        .tx(move |conn| redemption::fulfil(conn, &id, &organization_id, &by, now))
        .await;
    back_to_office(&state, &admin, &csrf, result, "fulfilled").await
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    pub reason: String,
}

pub async fn cancel(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    form: CsrfForm<CancelForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let (st, who) = (state.clone(), admin.clone());
    let result = state
        .tx(move |conn| cancel_and_tell(conn, &st, &who, &id, &form.0.reason, now))
        .await;
    back_to_office(&state, &admin, &csrf, result, "cancelled").await
}

#[derive(Debug, Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    pub activity: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub vouchers: String,
    #[serde(default)]
    pub top_n: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn add_rule(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    form: CsrfForm<RuleForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let (organization_id, by) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    let numbers = form_number::<i64>("vouchers", &form.vouchers)
        .and_then(|v| Ok((v, optional_form_number::<i32>("top_n", &form.top_n)?)));
    let result = match numbers {
        Ok((vouchers, top_n)) => {
            state
                .tx(move |conn| {
                    rules::add_version(
                        conn,
                        &organization_id,
                        &VoucherRuleInput {
                            activity: &form.activity,
                            valid_from: &form.valid_from,
                            vouchers,
                            top_n,
                            reason: &form.reason,
                        },
                        &by,
                        today,
                        now,
                    )
                })
                .await
        }
        Err(e) => Err(e),
    };
    back_to_office(&state, &admin, &csrf, result, "rule").await
}
