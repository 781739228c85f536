//! Mileage (마일리지): points for taking part — a learning output posted, a
//! comment on someone else's post, a meeting attended, a monthly report on
//! time, an evaluation prize — under rules an office versions, with daily
//! limits and half-year caps against farming; and their conversion into
//! recognized 상시학습 hours. Every point is a ledger entry (unit `points`):
//! this domain keeps no balance of its own.

pub mod bulk;
pub mod conversion;
pub mod earning;
pub mod handlers;
pub mod model;
pub mod pages;
pub mod rules;
pub mod summary;
pub mod totals;

pub use earning::{earn, Earned, Event};
pub use rules::Activity;

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/mileage").route(web::get().to(handlers::my_mileage)))
        .service(web::resource("/me/mileage/conversions").route(web::post().to(handlers::convert)))
        .service(
            web::resource("/mileage/conversions").route(web::get().to(handlers::conversion_queue)),
        )
        .service(
            web::resource("/mileage/conversions/{id}/approve")
                .route(web::post().to(handlers::approve)),
        )
        .service(
            web::resource("/mileage/conversions/{id}/refuse")
                .route(web::post().to(handlers::refuse)),
        )
        .service(
            web::resource("/mileage/rules")
                .route(web::get().to(handlers::list_rules))
                .route(web::post().to(handlers::add_rule)),
        )
        .service(
            web::resource("/mileage/conversion-rules")
                .route(web::post().to(handlers::add_conversion_rule)),
        );
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/mileage").route(web::get().to(pages::mine)))
        .service(web::resource("/me/mileage/conversions").route(web::post().to(pages::convert)))
        .service(web::resource("/mileage").route(web::get().to(pages::office)))
        .service(web::resource("/mileage/rules").route(web::post().to(pages::add_rule)))
        .service(
            web::resource("/mileage/conversion-rules")
                .route(web::post().to(pages::add_conversion_rule)),
        )
        .service(
            web::resource("/mileage/conversions/{id}/approve")
                .route(web::post().to(pages::approve)),
        )
        .service(
            web::resource("/mileage/conversions/{id}/refuse").route(web::post().to(pages::refuse)),
        );
}
