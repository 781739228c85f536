//! The HR import over the API.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::extractors::Admin;
use crate::error::{AppError, AppResult};
use crate::org::import::{ImportError, ImportSummary};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct HrImportAnswer {
    /// Lines recorded now.
    pub recorded: usize,
    /// Lines an earlier import had recorded already: nothing new written.
    pub already_recorded: usize,
}

/// Import recognized hours from the HR learning system's CSV
/// (administrators; `Content-Type: text/csv`, UTF-8 with or without BOM):
/// employee_no, learning_type, title, hours, date and optionally record_no
/// (Korean headers too). All lines or none; importing the same file again
/// records nothing new.
#[utoipa::path(post, path = "/api/v1/ledger/hr-imports", tag = "ledger", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = HrImportAnswer), (status = 422, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody)))]
pub async fn import_hr_hours(
    state: web::Data<AppState>,
    admin: Admin,
    req: actix_web::HttpRequest,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    crate::http::csv_upload::require_csv(&req)?;
    let result = run_import(&state, &admin, body.to_vec()).await?;
    match result {
        Ok(summary) => Ok(HttpResponse::Ok().json(HrImportAnswer {
            recorded: summary.created,
            already_recorded: summary.unchanged,
        })),
        Err(ImportError::Invalid(lines)) => Ok(crate::http::csv_upload::invalid_lines(
            lines,
            "nothing was imported",
        )),
        Err(ImportError::Failed(e)) => Err(AppError::Internal(e)),
    }
}

/// The import of `file` into the administrator's office, as of now on the
/// server's clock, off the async threads.
pub(super) async fn run_import(
    state: &web::Data<AppState>,
    admin: &Admin,
    file: Vec<u8>,
) -> AppResult<Result<ImportSummary, ImportError>> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let (organization_id, actor) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    let st = state.clone();
    state
        .db(move |conn| {
            Ok(super::import::import_hr_hours(
                conn,
                &st.settings,
                &organization_id,
                &file,
                Some(&actor),
                today,
                now,
            ))
        })
        .await
}
