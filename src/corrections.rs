//! Corrections: an administrator reverses a movement of the ledger, and
//! what it earned elsewhere goes with it (an HR line's course vouchers and
//! badges). It stands above the ledger and the domains that earn from it,
//! so that the ledger need not know them.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::extractors::Admin;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::fields::required;
use crate::ledger::{self, handlers::movement_answer, handlers::MovementView};
use crate::state::AppState;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/ledger/movements/{id}/reverse").route(web::post().to(reverse_movement)),
    );
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReversalBody {
    pub reason: String,
    /// Names this reversal: sent again, it answers the first one.
    pub idempotency_key: String,
}

/// Reverse a movement (administrators of the organization it belongs to):
/// a new movement of the opposite amounts pointing to it, with the reason;
/// at most once. Answers the reversal.
#[utoipa::path(post, path = "/api/v1/ledger/movements/{id}/reverse", tag = "ledger", security(("bearer" = [])),
    params(("id" = String, Path, description = "the movement")), request_body = ReversalBody,
    responses((status = 201, body = MovementView), (status = 200, body = MovementView),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reverse_movement(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<ReversalBody>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let reason = required("reason", "사유", &body.reason, 1000)?;
    let key = required("idempotency_key", "요청 키", &body.idempotency_key, 200)?;
    let now = state.clock.now_naive();
    let id = id.into_inner();
    let st = state.clone();
    let outcome = state
        .tx(move |conn| {
            let organization_id = &admin.0.employee.organization_id;
            if !ledger::model::movement_of_office(conn, &id, organization_id)? {
                return Err(AppError::NotFound);
            }
            let outcome = ledger::reverse(
                conn,
                &id,
                format!("reversal/{organization_id}/{key}"),
                Some(admin.0.id().to_string()),
                reason.clone(),
                now,
            )?;
            if outcome.is_new() {
                crate::audit::record(
                    conn,
                    now,
                    Some(admin.0.id()),
                    "ledger.reversal",
                    &id,
                    serde_json::json!({ "reversal": outcome.movement().id }),
                )?;
                let original = ledger::model::movement_by_id(conn, &id)?;
                ledger::notices::tell_reversal(
                    conn,
                    &st.templates,
                    &st.settings,
                    outcome.movement(),
                    &original,
                    now,
                )?;
                crate::hr::withdrawal::withdraw(
                    conn,
                    &st.templates,
                    &st.settings,
                    organization_id,
                    &original,
                    admin.0.id(),
                    outcome.movement().reason.as_deref().unwrap_or_default(),
                    now,
                )?;
            }
            Ok(outcome)
        })
        .await?;
    Ok(movement_answer(outcome))
}
