//! Login, logout and password change: JSON API and web pages.

use actix_web::cookie::Cookie;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;
use utoipa::ToSchema;

use super::csrf::{CsrfForm, CsrfToken};
use super::extractors::{CurrentUser, SESSION_COOKIE};
use super::service;
use crate::auth::page_context;
use crate::error::{AppError, AppResult, Checks};
use crate::http::{render, render_with_status, same_site_path, see_other};
use crate::org::model as org;
use crate::org::service as org_service;
use crate::password;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    pub employee_no: String,
    pub password: String,
    /// The organization's code (기관), needed only when the portal serves
    /// several.
    #[serde(default)]
    pub organization: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Exchange an employee number and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Unknown employee number or wrong password", body = crate::error::ErrorBody),
        (status = 429, description = "Locked after repeated failures", body = crate::error::ErrorBody)))]
pub async fn issue_token(
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> AppResult<HttpResponse> {
    let TokenRequest {
        employee_no,
        password,
        organization,
    } = body.into_inner();
    let employee = log_in(&state, organization, employee_no, password).await?;
    token_response(&state, &employee.id, employee.session_version)
}

fn token_response(
    state: &AppState,
    employee_id: &str,
    session_version: i32,
) -> AppResult<HttpResponse> {
    let token = state
        .jwt
        .issue(employee_id, session_version, &*state.clock)?;
    Ok(HttpResponse::Ok().json(TokenResponse {
        token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().num_seconds(),
    }))
}

/// Checks a login: the attempt is counted first, the password compared on a
/// blocking thread without holding a pooled connection, then the outcome
/// recorded.
async fn log_in(
    state: &web::Data<AppState>,
    organization: Option<String>,
    employee_no: String,
    password_given: String,
) -> AppResult<org::Employee> {
    let now = state.clock.now_naive();
    let rules = state.settings.auth.clone();
    let begin_rules = rules.clone();
    let attempt = state
        .db(move |conn| {
            let organization = org_service::resolve_organization(conn, organization.as_deref())?;
            service::begin_attempt(conn, &organization.id, &employee_no, &begin_rules, now)
        })
        .await?;
    let hash = attempt.password_hash();
    let matched = web::block(move || password::verify(&password_given, hash.as_deref())).await?;
    state
        .db(move |conn| service::finish_attempt(conn, attempt, matched, &rules, now))
        .await
}

/// End every session of the caller (all tokens and cookies issued so far).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody)))]
pub async fn api_logout(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    state
        .db(move |conn| Ok(org::end_sessions(conn, &user.employee.id)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change the caller's password; answers a fresh token, as the old ones end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", security(("bearer" = [])),
    request_body = PasswordChange,
    responses((status = 200, body = TokenResponse),
        (status = 422, description = "Wrong current password or a weak new one", body = crate::error::ErrorBody)))]
pub async fn api_change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<PasswordChange>,
) -> AppResult<HttpResponse> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.into_inner();
    let version = change_password(
        &state,
        &user,
        current_password,
        new_password.clone(),
        new_password,
    )
    .await?;
    token_response(&state, &user.employee.id, version)
}

/// Changes the caller's password. Wrong current passwords count toward the
/// lockout of the caller's number, as failed logins do; argon2 runs without
/// a pooled connection.
async fn change_password(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    current: String,
    new: String,
    confirm: String,
) -> AppResult<i32> {
    let now = state.clock.now_naive();
    let rules = state.settings.auth.clone();
    let begin_rules = rules.clone();
    let (organization_id, employee_no) = (
        user.employee.organization_id.clone(),
        user.employee.employee_no.clone(),
    );
    let attempt = state
        .db(move |conn| {
            service::begin_attempt(conn, &organization_id, &employee_no, &begin_rules, now)
        })
        .await?;
    let hash = attempt.password_hash();
    // The new password's problems are told together with a wrong current
    // one; its hash is made only when both are right.
    let form = service::check_new_password(&user.employee.employee_no, &current, &new, &confirm);
    let hash_new = form.is_ok();
    // None: the current password was wrong.
    let checked: Option<Option<AppResult<String>>> = web::block(move || {
        password::verify(&current, hash.as_deref()).then(|| hash_new.then(|| password::hash(&new)))
    })
    .await?;
    let matched = checked.is_some();
    let mut checks = Checks::default();
    let employee = checks.take(
        state
            .db(move |conn| service::finish_attempt(conn, attempt, matched, &rules, now))
            .await
            .map_err(|e| match e {
                AppError::InvalidCredentials => {
                    AppError::validation("current_password", "현재 비밀번호가 올바르지 않습니다.")
                }
                other => other,
            }),
    )?;
    checks.take(form)?;
    checks.done()?;
    let (Some(employee), Some(Some(new_hash))) = (employee, checked) else {
        unreachable!("every check passed: the right password and an accepted new one");
    };
    let new_hash = new_hash?;
    state
        .db(move |conn| service::set_password(conn, &employee, &new_hash, now))
        .await
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn login_page(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    csrf: CsrfToken,
    query: web::Query<LoginQuery>,
) -> AppResult<HttpResponse> {
    if user.is_some() {
        return Ok(see_other(&same_site_path(query.next.as_deref())));
    }
    let mut ctx = page_context(None, &csrf);
    ctx.insert("next", &same_site_path(query.next.as_deref()));
    insert_organizations(&state, &mut ctx).await?;
    render(&state, "auth/login.html", &ctx)
}

/// The organizations to choose from on the login page: none when there is
/// only one (it is implied).
async fn insert_organizations(state: &web::Data<AppState>, ctx: &mut Context) -> AppResult<()> {
    let all = state.db(|conn| Ok(org::organizations(conn)?)).await?;
    if all.len() > 1 {
        let choices: Vec<(String, String)> = all.into_iter().map(|o| (o.code, o.name)).collect();
        ctx.insert("organizations", &choices);
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    employee_no: String,
    password: String,
    next: Option<String>,
    #[serde(default)]
    organization: Option<String>,
}

pub async fn login_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    csrf: CsrfToken,
    form: CsrfForm<LoginForm>,
) -> AppResult<HttpResponse> {
    let LoginForm {
        employee_no,
        password,
        next,
        organization,
    } = form.0;
    let next = same_site_path(next.as_deref());
    match log_in(&state, organization.clone(), employee_no.clone(), password).await {
        Ok(employee) => {
            let token = state
                .jwt
                .issue(&employee.id, employee.session_version, &*state.clock)?;
            let mut res = see_other(&next);
            res.add_cookie(&super::session::cookie(&state, &req, token))
                .map_err(|e| AppError::Internal(e.into()))?;
            if let Some(lang) = crate::auth::lang::agree_at_login(&state, &req, &employee).await? {
                res.add_cookie(&lang)
                    .map_err(|e| AppError::Internal(e.into()))?;
            }
            Ok(res)
        }
        Err(
            e @ (AppError::InvalidCredentials
            | AppError::TooManyAttempts { .. }
            | AppError::Validation { .. }),
        ) => {
            let mut ctx = page_context(None, &csrf);
            ctx.insert("next", &next);
            ctx.insert("employee_no", &employee_no);
            ctx.insert("organization", &organization);
            ctx.insert("error", &e.message(crate::i18n::current()));
            insert_organizations(&state, &mut ctx).await?;
            render_with_status(
                &state,
                "auth/login.html",
                &ctx,
                actix_web::ResponseError::status_code(&e),
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

pub async fn logout_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<HttpResponse> {
    state
        .db(move |conn| Ok(org::end_sessions(conn, &user.employee.id)?))
        .await?;
    let mut res = see_other("/login");
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    res.add_cookie(&gone)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(res)
}

pub async fn password_page(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    render(
        &state,
        "auth/password.html",
        &page_context(Some(&user), &csrf),
    )
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub async fn password_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    csrf: CsrfToken,
    form: CsrfForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    let PasswordForm {
        current_password,
        new_password,
        confirm_password,
    } = form.0;
    match change_password(
        &state,
        &user,
        current_password,
        new_password,
        confirm_password,
    )
    .await
    {
        Ok(version) => {
            let token = state.jwt.issue(&user.employee.id, version, &*state.clock)?;
            let mut ctx: Context = page_context(Some(&user), &csrf);
            ctx.insert("done", &true);
            let mut res = render(&state, "auth/password.html", &ctx)?;
            res.add_cookie(&super::session::cookie(&state, &req, token))
                .map_err(|e| AppError::Internal(e.into()))?;
            Ok(res)
        }
        Err(e @ (AppError::Validation { .. } | AppError::Invalid(_))) => {
            let mut ctx = page_context(Some(&user), &csrf);
            ctx.insert("errors", &crate::http::field_errors(e)?);
            render_with_status(
                &state,
                "auth/password.html",
                &ctx,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e),
    }
}
