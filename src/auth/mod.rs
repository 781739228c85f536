//! Authentication and authorization: argon2 passwords, the `CurrentUser` /
//! role extractors that check the tokens (`tokens`), CSRF, login lockout.

pub mod csrf;
pub mod extractors;
pub mod handlers;
pub mod lang;
pub mod layout;
pub mod model;
pub mod scope;
pub mod service;
pub mod session;

use actix_web::web;

pub use extractors::{Admin, CurrentUser, Evaluator};
pub use layout::page_context;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    // Resources (not bare routes) so that a wrong method answers 405.
    cfg.service(web::resource("/auth/token").route(web::post().to(handlers::issue_token)))
        .service(web::resource("/auth/logout").route(web::post().to(handlers::api_logout)))
        .service(
            web::resource("/me/password").route(web::post().to(handlers::api_change_password)),
        );
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/login")
            .route(web::get().to(handlers::login_page))
            .route(web::post().to(handlers::login_submit)),
    )
    .service(web::resource("/logout").route(web::post().to(handlers::logout_submit)))
    .service(
        web::resource("/account/password")
            .route(web::get().to(handlers::password_page))
            .route(web::post().to(handlers::password_submit)),
    );
}
