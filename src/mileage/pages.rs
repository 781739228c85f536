//! The mileage pages: my mileage with the conversion form; the office's
//! rules and conversion queue (administrators).

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::conversion::{self, ConversionStatus, Converter};
use super::handlers::{queue_page, refuse_and_tell, rule_book};
use super::rules::{self, Activity, ConversionRuleInput, RuleInput};
use super::summary;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::{Admin, CurrentUser};
use crate::error::AppResult;
use crate::http::{
    field_errors, form_number as number, optional_form_number as optional_number,
    render_with_status, see_other, status_of,
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
    hours: &str,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let st = state.clone();
    let (organization_id, employee_id) = (
        user.employee.organization_id.clone(),
        user.employee.id.clone(),
    );
    let summary = state
        .db(move |conn| {
            summary::of_person(conn, &st.settings, &organization_id, &employee_id, today)
        })
        .await?;
    let mut ctx = page_context(Some(user), csrf);
    ctx.insert("summary", &summary);
    ctx.insert("done", done);
    ctx.insert("hours", hours);
    ctx.insert("errors", &errors);
    render_with_status(state, "mileage/mine.html", &ctx, status_of(&errors))
}

/// My mileage: accumulated and spendable points, this half's pools, the
/// conversion form and my conversions.
pub async fn mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    notice: web::Query<Notice>,
) -> AppResult<HttpResponse> {
    mine_page(&state, &user, &csrf, &notice.done, "", HashMap::new()).await
}

#[derive(Debug, Deserialize)]
pub struct ConvertForm {
    #[serde(default)]
    pub hours: String,
}

pub async fn convert(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    form: CsrfForm<ConvertForm>,
) -> AppResult<HttpResponse> {
    let text = form.0.hours.trim().to_string();
    let Ok(hours) = text.parse::<i64>() else {
        let errors = HashMap::from([(
            "hours".to_string(),
            crate::i18n::said("전환할 시간은 1시간 이상의 정수로 적어 주세요."),
        )]);
        return mine_page(&state, &user, &csrf, "", &text, errors).await;
    };
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let st = state.clone();
    let (organization_id, employee_id) = (
        user.employee.organization_id.clone(),
        user.employee.id.clone(),
    );
    let result = state
        .tx(move |conn| {
            let who = Converter {
                organization_id: &organization_id,
                employee_id: &employee_id,
            };
            conversion::request(conn, &st.settings, &who, hours, today, now)
        })
        .await;
    match result {
        Ok(c) if c.status == ConversionStatus::Pending.code() => {
            Ok(see_other("/me/mileage?done=pending"))
        }
        Ok(_) => Ok(see_other("/me/mileage?done=converted")),
        Err(e) => mine_page(&state, &user, &csrf, "", &text, field_errors(e)?).await,
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
    let (book, queue) = state
        .db(move |conn| {
            let book = rule_book(conn, &st, &organization_id, today)?;
            let queue = queue_page(conn, &organization_id, ConversionStatus::Pending, 0, 200)?;
            Ok((book, queue))
        })
        .await?;
    let mut ctx = page_context(Some(&admin.0), csrf);
    ctx.insert("book", &book);
    ctx.insert("queue", &queue);
    ctx.insert("activities", &Activity::options());
    ctx.insert("today", &today.to_string());
    ctx.insert("done", done);
    ctx.insert("errors", &errors);
    render_with_status(state, "mileage/office.html", &ctx, status_of(&errors))
}

/// Back to the office's page: with a notice when `result` succeeded, with
/// the error beside its field when not.
async fn back_to_office<T>(
    state: &web::Data<AppState>,
    admin: &Admin,
    csrf: &CsrfToken,
    result: AppResult<T>,
    done: &str,
) -> AppResult<HttpResponse> {
    match result {
        Ok(_) => Ok(see_other(&format!("/mileage?done={done}"))),
        Err(e) => office_page(state, admin, csrf, "", field_errors(e)?).await,
    }
}

/// The office's mileage: the rules in effect with forms for new versions,
/// and the conversions waiting for approval.
pub async fn office(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    notice: web::Query<Notice>,
) -> AppResult<HttpResponse> {
    office_page(&state, &admin, &csrf, &notice.done, HashMap::new()).await
}

#[derive(Debug, Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    pub activity: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub points: String,
    #[serde(default)]
    pub daily_limit: String,
    #[serde(default)]
    pub pool: String,
    #[serde(default)]
    pub half_year_cap: String,
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
    let organization_id = admin.0.employee.organization_id.clone();
    let by = admin.0.id().to_string();
    let result = async {
        let input_numbers = (
            number::<i64>("points", &form.points)?,
            optional_number::<i32>("daily_limit", &form.daily_limit)?,
            optional_number::<i64>("half_year_cap", &form.half_year_cap)?,
        );
        state
            .tx(move |conn| {
                let (points, daily_limit, half_year_cap) = input_numbers;
                rules::add_version(
                    conn,
                    &organization_id,
                    &RuleInput {
                        activity: &form.activity,
                        valid_from: &form.valid_from,
                        points,
                        daily_limit,
                        pool: Some(&form.pool),
                        half_year_cap,
                        reason: &form.reason,
                    },
                    &by,
                    today,
                    now,
                )
            })
            .await
    }
    .await;
    back_to_office(&state, &admin, &csrf, result, "rule").await
}

#[derive(Debug, Deserialize)]
pub struct ConversionRuleForm {
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub points_per_hour: String,
    #[serde(default)]
    pub yearly_cap_hours: String,
    #[serde(default)]
    pub needs_approval: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn add_conversion_rule(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    form: CsrfForm<ConversionRuleForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let organization_id = admin.0.employee.organization_id.clone();
    let by = admin.0.id().to_string();
    let result = async {
        let points_per_hour = number::<i64>("points_per_hour", &form.points_per_hour)?;
        let yearly_cap_hours = number::<i64>("yearly_cap_hours", &form.yearly_cap_hours)?;
        state
            .tx(move |conn| {
                rules::add_conversion_version(
                    conn,
                    &organization_id,
                    &ConversionRuleInput {
                        valid_from: &form.valid_from,
                        points_per_hour,
                        yearly_cap_hours,
                        needs_approval: !form.needs_approval.is_empty(),
                        reason: &form.reason,
                    },
                    &by,
                    today,
                    now,
                )
            })
            .await
    }
    .await;
    back_to_office(&state, &admin, &csrf, result, "conversion_rule").await
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub reason: String,
}

pub async fn approve(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    _form: CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let (organization_id, by) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    let result = state
        .tx(move |conn| conversion::approve(conn, &id, &organization_id, &by, now))
        .await;
    back_to_office(&state, &admin, &csrf, result, "approved").await
}

pub async fn refuse(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    form: CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let who = admin.clone();
    let result = state
        .tx(move |conn| refuse_and_tell(conn, &st, &who, &id, &form.0.reason, now))
        .await;
    back_to_office(&state, &admin, &csrf, result, "refused").await
}
