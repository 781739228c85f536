//! 상시학습 hours recognized from club meetings, a half-year at a time: the
//! proposal (each person's meetings under the 12 h rule), its preview under
//! another rule, the administrator's approval into the ledger (differences
//! only when approved again), and the versions of the office's club-hours
//! rule. It reads the clubs' attendance and writes the ledger, above both.

pub mod demo;
pub mod handlers;
pub mod model;
pub mod pages;
pub mod rules;
pub mod service;

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/ledger/recognition/{half}").route(web::get().to(handlers::get_recognition)),
    )
    .service(
        web::resource("/ledger/recognition/{half}/approve")
            .route(web::post().to(handlers::approve_recognition)),
    )
    .service(
        web::resource("/ledger/recognition/{half}/preview")
            .route(web::get().to(handlers::preview_recognition)),
    )
    .service(
        web::resource("/ledger/hours-rules")
            .route(web::get().to(handlers::list_hours_rules))
            .route(web::post().to(handlers::add_hours_rule)),
    );
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/ledger/recognition/{half}")
            .route(web::get().to(pages::show))
            .route(web::post().to(pages::approve)),
    )
    .service(
        web::resource("/ledger/recognition/{half}/preview").route(web::get().to(pages::preview)),
    )
    .service(web::resource("/ledger/hours-rules").route(web::post().to(pages::add_rule)));
}
