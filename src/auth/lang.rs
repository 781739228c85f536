//! The language toggle: `/lang/en` sets the `dongari_lang` cookie for a
//! year and goes back to the page it was clicked on (`?back=/clubs`, or
//! the page that linked to it). A person logged in keeps the choice for
//! their mail too.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::extractors::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, COOKIE};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Back {
    back: Option<String>,
}

pub async fn switch(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    query: web::Query<Back>,
    user: Option<CurrentUser>,
) -> AppResult<HttpResponse> {
    let lang = Lang::parse(&code).ok_or(AppError::NotFound)?;
    if let Some(user) = user.filter(|u| u.employee.language != lang.code()) {
        keep_with_person(&state, user.employee.id, lang).await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            crate::http::same_site_path(
                query
                    .back
                    .clone()
                    .or_else(|| crate::http::same_site_referer(&req))
                    .as_deref(),
            ),
        ))
        .cookie(cookie(&state, &req, lang))
        .finish())
}

/// The person's language, for their mail and their next browser.
async fn keep_with_person(state: &AppState, employee_id: String, lang: Lang) -> AppResult<()> {
    state
        .db(move |conn| {
            crate::org::model::set_language(conn, &employee_id, lang.code()).map_err(AppError::from)
        })
        .await
}

/// The cookie that asks for `lang` on every page, for a year.
pub fn cookie(state: &AppState, req: &HttpRequest, lang: Lang) -> Cookie<'static> {
    let secure =
        super::csrf::secure_cookies(state.settings.auth.cookie_secure, &req.connection_info());
    Cookie::build(COOKIE, lang.code())
        .path("/")
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(365))
        .finish()
}

/// At login the browser and the person agree on a language: one chosen in
/// this browser before logging in is kept with the person; a browser that
/// never chose gets the person's. The cookie to set, if any.
pub async fn agree_at_login(
    state: &AppState,
    req: &HttpRequest,
    employee: &crate::org::model::Employee,
) -> AppResult<Option<Cookie<'static>>> {
    let chosen = req.cookie(COOKIE).and_then(|c| Lang::parse(c.value()));
    match chosen {
        Some(lang) if lang.code() != employee.language => {
            keep_with_person(state, employee.id.clone(), lang).await?;
            Ok(None)
        }
        None if Lang::of(&employee.language) != Lang::Ko => {
            Ok(Some(cookie(state, req, Lang::of(&employee.language))))
        }
        _ => Ok(None),
    }
}
