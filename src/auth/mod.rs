//! Authentication and authorization: argon2 passwords, JWTs, the
//! `CurrentUser` / role extractors, CSRF, login lockout.

pub mod csrf;
pub mod extractors;
pub mod handlers;
pub mod jwt;
pub mod model;
pub mod password;
pub mod service;

use actix_web::web;

pub use extractors::{Admin, CurrentUser, Evaluator};

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/token", web::post().to(handlers::issue_token))
        .route("/auth/logout", web::post().to(handlers::api_logout))
        .route("/me/password", web::post().to(handlers::api_change_password));
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/login")
            .route(web::get().to(handlers::login_page))
            .route(web::post().to(handlers::login_submit)),
    )
    .route("/logout", web::post().to(handlers::logout_submit))
    .service(
        web::resource("/account/password")
            .route(web::get().to(handlers::password_page))
            .route(web::post().to(handlers::password_submit)),
    );
}
