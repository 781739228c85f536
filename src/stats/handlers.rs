//! The statistics API: the figures the page draws, as JSON.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::service::{self, Scope, Statistics};
use crate::auth::extractors::CurrentUser;
use crate::auth::scope::department_scope;
use crate::error::{AppResult, ErrorBody};
use crate::fields::year_of;
use crate::org::policy;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// The year (this year by default).
    pub year: Option<i32>,
    /// Only this department and those below it (its code).
    pub department: Option<String>,
}

/// The statistics a user may see: an administrator's office (or one of
/// its departments), a coordinator's departments; anyone else is refused.
pub async fn load(
    state: &web::Data<AppState>,
    user: CurrentUser,
    query: StatsQuery,
) -> AppResult<Statistics> {
    let year = year_of(query.year, state.clock.today())?;
    let (settings, now) = (state.settings.clone(), state.clock.now());
    state
        .db(move |conn| {
            let departments = department_scope(conn, &user, query.department.as_deref())?;
            let organization_id = &user.employee.organization_id;
            let rules = policy::of(conn, &settings, organization_id)?.reports;
            service::statistics(
                conn,
                &Scope {
                    organization_id,
                    departments: departments.as_ref(),
                    year,
                },
                &rules,
                now,
            )
        })
        .await
}

/// An office's statistics for a year (administrators; coordinators for
/// their departments): meetings, attendance and hours by month and
/// department; report compliance by month; the evaluation rounds; target
/// attainment by department and grade.
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, body = Statistics), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_statistics(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<StatsQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(load(&state, user, query.into_inner()).await?))
}
