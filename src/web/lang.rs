//! The language toggle: `/lang/en` sets the `dongari_lang` cookie for a
//! year and goes back to the page it was clicked on (`?back=/clubs`, or
//! the page that linked to it). A person logged in keeps the choice for
//! their mail too.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::auth::extractors::CurrentUser;
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
        state
            .db(move |conn| {
                crate::org::model::set_language(conn, &user.employee.id, lang.code())
                    .map_err(AppError::from)
            })
            .await?;
    }
    let secure = crate::auth::csrf::secure_cookies(
        state.settings.auth.cookie_secure,
        &req.connection_info(),
    );
    let cookie = Cookie::build(COOKIE, lang.code())
        .path("/")
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(365))
        .finish();
    Ok(HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            super::same_site_path(
                query
                    .back
                    .clone()
                    .or_else(|| super::middleware::same_site_referer(&req))
                    .as_deref(),
            ),
        ))
        .cookie(cookie)
        .finish())
}
