//! Report pages: a club's monthly report (draft, submit, amend, history)
//! and the compliance view with its CSV export.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::handlers::{load_compliance, load_view, ComplianceQuery};
use super::service;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::CurrentUser;
use crate::clubs::service::ClubAccess;
use crate::error::{AppError, AppResult};
use crate::fields::optional;
use crate::http::paging::PageQuery;
use crate::http::{render, render_with_status, status_of};
use crate::org::model as org;
use crate::org::policy;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn report_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    csrf: &CsrfToken,
    access: ClubAccess,
    month: &str,
    done: Option<&str>,
    errors: HashMap<String, String>,
    typed: Option<&str>,
) -> AppResult<HttpResponse> {
    let can_report = access.can_manage() && access.require_active().is_ok();
    let mut view = load_view(state, access, month).await?;
    if let Some(text) = typed {
        view.narrative = text.to_string();
    }
    let mut ctx = page_context(Some(user), csrf);
    ctx.insert("report", &view);
    ctx.insert("can_report", &can_report);
    ctx.insert("done", &done.unwrap_or(""));
    let status = status_of(&errors);
    ctx.insert("errors", &errors);
    render_with_status(state, "reports/report.html", &ctx, status)
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    query: web::Query<Done>,
) -> AppResult<HttpResponse> {
    report_page(
        &state,
        &user,
        &csrf,
        access,
        &path.1,
        query.done.as_deref(),
        HashMap::new(),
        None,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    narrative: String,
    #[serde(default)]
    amendment_reason: String,
    /// "save" or "submit".
    action: String,
}

pub async fn save(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    form: CsrfForm<ReportForm>,
) -> AppResult<HttpResponse> {
    let ReportForm {
        narrative,
        amendment_reason,
        action,
    } = form.0;
    let month_text = path.1.clone();
    let (settings, now, today) = (
        state.settings.clone(),
        state.clock.now(),
        state.clock.today(),
    );
    let for_tx = access.clone();
    let typed = narrative.clone();
    let submit = action == "submit";
    let month = month_text.clone();
    let result = state
        .tx(move |conn| {
            let rules = policy::of(conn, &settings, &for_tx.club.organization_id)?.reports;
            let month = service::check_reporting_month(&rules, &for_tx.club, &month, today)?;
            let narrative =
                optional("narrative", "활동 내용", &narrative, 20_000)?.unwrap_or_default();
            service::save_draft(conn, &for_tx, month, &narrative, now.naive_utc())?;
            if submit {
                let reason = optional("amendment_reason", "수정 사유", &amendment_reason, 1000)?;
                service::submit(
                    conn,
                    &settings,
                    &for_tx,
                    month,
                    &rules,
                    reason.as_deref(),
                    now,
                )?;
            }
            Ok(())
        })
        .await;
    match result {
        Ok(()) => {
            let done = if submit { "submitted" } else { "saved" };
            let location = format!("/clubs/{}/reports/{month_text}?done={done}", access.club.id);
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish())
        }
        Err(AppError::Validation { field, message }) => {
            report_page(
                &state,
                &user,
                &csrf,
                access,
                &month_text,
                None,
                HashMap::from([(field, crate::i18n::said(&message))]),
                Some(&typed),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn compliance(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    query: web::Query<ComplianceQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let view = load_compliance(&state, user.clone(), &query, Some((offset, limit))).await?;
    let organization_id = user.employee.organization_id.clone();
    let departments = state
        .db(move |conn| Ok(org::all_departments(conn, &organization_id)?))
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("c", view.as_ref());
    ctx.insert("departments", &departments);
    ctx.insert(
        "q_department",
        &query.department.clone().unwrap_or_default(),
    );
    ctx.insert("q_state", &query.state.clone().unwrap_or_default());
    ctx.insert("states", &service::ReportState::options());
    ctx.insert("page", &paging.page.unwrap_or(1));
    ctx.insert("pages", &((view.total as i64 + limit - 1) / limit).max(1));
    render(&state, "reports/compliance.html", &ctx)
}

pub async fn compliance_csv(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ComplianceQuery>,
) -> AppResult<HttpResponse> {
    let view = load_compliance(&state, user, &query, None).await?;
    Ok(crate::http::download(
        crate::export::CSV_CONTENT_TYPE,
        &format!("compliance-{}.csv", view.month),
        service::compliance_csv(&view).into_bytes(),
    ))
}
