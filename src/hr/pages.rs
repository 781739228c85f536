//! The HR import as a page.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::Admin;
use crate::error::{AppError, AppResult};
use crate::http::render;
use crate::org::import::ImportError;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct HrImportForm {
    #[serde(default)]
    pub csv: String,
}

/// The HR import as a page (administrators): the file's text pasted, or
/// cells pasted from a spreadsheet (tab-separated), recorded all or none.
pub async fn hr_import_page(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    let mut ctx = page_context(Some(&admin.0), &csrf);
    ctx.insert("csv", "");
    render(&state, "ledger/hr_import.html", &ctx)
}

pub async fn hr_import_submit(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    form: CsrfForm<HrImportForm>,
) -> AppResult<HttpResponse> {
    let text = form.0.csv;
    let result = super::handlers::run_import(&state, &admin, text.clone().into_bytes()).await?;
    let mut ctx = page_context(Some(&admin.0), &csrf);
    let status = match result {
        Ok(summary) => {
            ctx.insert("recorded", &summary.created);
            ctx.insert("already", &summary.unchanged);
            ctx.insert("csv", "");
            actix_web::http::StatusCode::OK
        }
        Err(ImportError::Invalid(lines)) => {
            ctx.insert("problems", &lines);
            ctx.insert("csv", &text);
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(ImportError::Failed(e)) => return Err(AppError::Internal(e)),
    };
    crate::http::render_with_status(&state, "ledger/hr_import.html", &ctx, status)
}
