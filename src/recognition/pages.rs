//! The hours recognition's pages (administrators): a half, person by
//! person, with approval of everyone or of those ticked; its preview under
//! another rule; a new version of the rule.

use std::collections::HashSet;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::handlers::{approve_audited, preview_of, scope_of};
use super::service::{self, Line};
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::Admin;
use crate::clock::HalfYear;
use crate::error::{AppError, AppResult};
use crate::http::render;
use crate::state::AppState;

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
            let lines = service::proposal(conn, &scope)?;
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
    ctx.insert("rule_version", &scope.rule_version);
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
    let st = state.clone();
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let approval = state
        .bulk_tx(move |conn| {
            let only = (!everyone).then_some(&chosen);
            approve_audited(conn, &st, &admin, half, only, today, now)
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

#[derive(Debug, Deserialize)]
pub struct PreviewPageQuery {
    pub cap_hours: Option<i64>,
    #[serde(default)]
    pub count_ad_hoc: String,
}

/// A half replayed under a rule the administrator tries (nothing written),
/// with the form that makes it a version from a date.
pub async fn preview(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    half: web::Path<String>,
    query: web::Query<PreviewPageQuery>,
) -> AppResult<HttpResponse> {
    let half = half_of(&half)?;
    let settings = state.settings.clone();
    let user = admin.0.clone();
    let cap_hours = query
        .cap_hours
        .unwrap_or(settings.clubs.half_year_cap_hours);
    let tried = crate::clubs::hours::HoursPolicy {
        half_year_cap_minutes: super::rules::cap_minutes(cap_hours)?,
        count_ad_hoc: !query.count_ad_hoc.is_empty(),
    };
    let view = state
        .db(move |conn| preview_of(conn, &settings, &admin, half, tried, (0, 200)))
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("view", &view);
    ctx.insert("half", &half.to_string());
    ctx.insert("half_label", &half.label_ko());
    ctx.insert("cap_hours", &cap_hours);
    ctx.insert("count_ad_hoc", &tried.count_ad_hoc);
    ctx.insert("valid_from", &half.first_day().to_string());
    render(&state, "ledger/preview.html", &ctx)
}

#[derive(Debug, Deserialize)]
pub struct RuleForm {
    pub half: String,
    pub valid_from: String,
    pub cap_hours: i64,
    #[serde(default)]
    pub count_ad_hoc: String,
    #[serde(default)]
    pub reason: String,
}

/// Makes the tried rule a version from a date, then shows the half's
/// recognition with the differences to approve.
pub async fn add_rule(
    state: web::Data<AppState>,
    admin: Admin,
    form: CsrfForm<RuleForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let half = half_of(&form.half)?;
    let now = state.clock.now_naive();
    state
        .tx(move |conn| {
            super::rules::add_version(
                conn,
                &admin.0.employee.organization_id,
                &super::rules::RuleInput {
                    valid_from: &form.valid_from,
                    half_year_cap_hours: form.cap_hours,
                    count_ad_hoc: !form.count_ad_hoc.is_empty(),
                    reason: &form.reason,
                },
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/ledger/recognition/{half}")))
        .finish())
}
