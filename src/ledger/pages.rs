//! The hours recognition page (administrators): a half's proposal, person
//! by person, with approval of everyone or of those ticked.

use std::collections::HashSet;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::handlers::{approve_audited, scope_of};
use super::recognition::{self, Line};
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::Admin;
use crate::clock::HalfYear;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::{page_context, render};

/// People shown on one page.
const PER_PAGE: usize = 100;

fn half_of(text: &str) -> AppResult<HalfYear> {
    HalfYear::parse(text).ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    pub page: Option<usize>,
    /// `all` shows everyone, not only those with something to approve.
    pub show: Option<String>,
    pub done: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    half: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let settings = state.settings.clone();
    let user = admin.0.clone();
    let (scope, lines) = state
        .db(move |conn| {
            let scope = scope_of(conn, &settings, &admin, half)?;
            let lines = recognition::proposal(conn, &scope)?;
            Ok((scope, lines))
        })
        .await?;
    let everyone = query.show.as_deref() == Some("all");
    let total_to_grant: i64 = lines.iter().map(|l| l.to_grant_minutes).sum();
    let pending = lines.iter().filter(|l| l.to_grant_minutes != 0).count();
    let shown: Vec<&Line> = lines
        .iter()
        .filter(|l| everyone || l.to_grant_minutes != 0)
        .collect();
    let pages = shown.len().div_ceil(PER_PAGE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    let rows: Vec<&&Line> = shown
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();

    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("half", &half.to_string());
    ctx.insert("half_label", &half.label_ko());
    ctx.insert("over", &(state.clock.today() > half.last_day()));
    ctx.insert("rule_version", &recognition::rule_version(scope.policy));
    ctx.insert("cap_minutes", &scope.policy.half_year_cap_minutes);
    ctx.insert("people", &lines.len());
    ctx.insert("pending", &pending);
    ctx.insert("total_to_grant", &total_to_grant);
    ctx.insert(
        "not_recognized",
        &lines.iter().map(|l| l.not_recognized_minutes).sum::<i64>(),
    );
    ctx.insert("rows", &rows);
    ctx.insert("everyone", &everyone);
    ctx.insert("page", &page);
    ctx.insert("pages", &pages);
    ctx.insert("done", &query.done);
    render(&state, "ledger/recognition.html", &ctx)
}

pub async fn approve(
    state: web::Data<AppState>,
    admin: Admin,
    half: web::Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let form = form.0;
    let everyone = form.iter().any(|(k, _)| k == "all");
    let chosen: HashSet<String> = form
        .iter()
        .filter(|(k, _)| k == "employee_ids")
        .map(|(_, v)| v.clone())
        .collect();
    if !everyone && chosen.is_empty() {
        return Err(AppError::validation(
            "employee_ids",
            "인정할 사람을 한 명 이상 고르거나 '모두 인정'을 누르세요.",
        ));
    }
    let settings = state.settings.clone();
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let approval = state
        .tx(move |conn| {
            let only = (!everyone).then_some(&chosen);
            approve_audited(conn, &settings, &admin, half, only, today, now)
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/ledger/recognition/{half}?done={}", approval.people),
        ))
        .finish())
}

/// The HR export of a half-year or year: `/ledger/hr-export/2026H1.csv`
/// (UTF-8 with BOM) or `/ledger/hr-export/2026.xlsx` (administrators).
pub async fn hr_export(
    state: web::Data<AppState>,
    admin: Admin,
    file: web::Path<String>,
) -> AppResult<HttpResponse> {
    let file = file.into_inner();
    let (period, extension) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let period = super::hr_export::Period::parse(period).ok_or(AppError::NotFound)?;
    let xlsx = match extension {
        "csv" => false,
        "xlsx" => true,
        _ => return Err(AppError::NotFound),
    };
    let organization_id = admin.0.employee.organization_id.clone();
    let body = state
        .db(move |conn| {
            let table = super::hr_export::table(conn, &organization_id, period)?;
            Ok(if xlsx {
                crate::export::xlsx::workbook(&[table])
            } else {
                crate::export::csv(&table).into_bytes()
            })
        })
        .await?;
    let content_type = if xlsx {
        crate::export::xlsx::CONTENT_TYPE
    } else {
        "text/csv; charset=utf-8"
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"hr-hours-{}.{extension}\"",
                period.label()
            ),
        ))
        .body(body))
}
