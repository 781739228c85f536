//! The logged-in employee's profile: API and home page.

use actix_web::{web, HttpResponse};

use super::service::{self, Profile};
use crate::auth::csrf::CsrfToken;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::startup::AppState;
use crate::web::{page_context, render};

async fn load_profile(state: &web::Data<AppState>, user: &CurrentUser) -> AppResult<Profile> {
    let (employee, roles) = (user.employee.clone(), user.roles.clone());
    state.db(move |conn| service::profile(conn, &employee, &roles)).await
}

/// The logged-in employee with department, roles and annual target hours.
#[utoipa::path(get, path = "/api/v1/me", tag = "org", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(load_profile(&state, &user).await?))
}

pub async fn home(state: web::Data<AppState>, user: CurrentUser, csrf: CsrfToken) -> AppResult<HttpResponse> {
    let profile = load_profile(&state, &user).await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("profile", &profile);
    ctx.insert("today", &state.clock.now_seoul().format("%Y년 %-m월 %-d일").to_string());
    render(&state, "home.html", &ctx)
}
