//! Learning vouchers (학습바우처): a virtual currency earned by completing
//! courses (the HR import), earning badges and reaching the top of a
//! month's leaderboard, spent on the office's catalog of books, courses
//! and seminars; optionally expiring some years after the year earned.
//! Every voucher is a ledger entry (unit `vouchers`): this domain keeps no
//! balance of its own.

pub mod catalog;
pub mod demo;
pub mod earning;
pub mod expiry;
pub mod handlers;
pub mod model;
pub mod pages;
pub mod redemption;
pub mod rules;
pub mod summary;

pub use earning::{earn, VoucherEvent};
pub use rules::VoucherActivity;

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/vouchers").route(web::get().to(handlers::my_vouchers)))
        .service(web::resource("/me/vouchers/redemptions").route(web::post().to(handlers::redeem)))
        .service(
            web::resource("/me/vouchers/redemptions/{id}/cancel")
                .route(web::post().to(handlers::cancel_mine)),
        )
        .service(
            web::resource("/vouchers/catalog")
                .route(web::get().to(handlers::catalog_list))
                .route(web::post().to(handlers::add_item)),
        )
        .service(
            web::resource("/vouchers/catalog/{id}").route(web::put().to(handlers::change_item)),
        )
        .service(
            web::resource("/vouchers/redemptions").route(web::get().to(handlers::redemption_queue)),
        )
        .service(
            web::resource("/vouchers/redemptions/{id}/fulfil")
                .route(web::post().to(handlers::fulfil)),
        )
        .service(
            web::resource("/vouchers/redemptions/{id}/cancel")
                .route(web::post().to(handlers::cancel)),
        )
        .service(
            web::resource("/vouchers/rules")
                .route(web::get().to(handlers::list_rules))
                .route(web::post().to(handlers::add_rule)),
        );
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/vouchers").route(web::get().to(pages::mine)))
        .service(web::resource("/me/vouchers/redemptions").route(web::post().to(pages::redeem)))
        .service(
            web::resource("/me/vouchers/redemptions/{id}/cancel")
                .route(web::post().to(pages::cancel_mine)),
        )
        .service(web::resource("/vouchers").route(web::get().to(pages::office)))
        .service(web::resource("/vouchers/catalog").route(web::post().to(pages::add_item)))
        .service(web::resource("/vouchers/catalog/{id}").route(web::post().to(pages::change_item)))
        .service(
            web::resource("/vouchers/redemptions/{id}/fulfil").route(web::post().to(pages::fulfil)),
        )
        .service(
            web::resource("/vouchers/redemptions/{id}/cancel").route(web::post().to(pages::cancel)),
        )
        .service(web::resource("/vouchers/rules").route(web::post().to(pages::add_rule)));
}
