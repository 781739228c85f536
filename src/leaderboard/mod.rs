//! Leaderboards (리더보드) of mileage: a month, a half-year or a year; the
//! office, my department, my club, and clubs by mileage per member. Only
//! the top N and the viewer's own place show; each person may be left out
//! of others' boards (a club may set the default for its members);
//! deactivated people never rank. Also the month's top N earning vouchers
//! and the yearly knowledge king (지식왕).

pub mod board;
pub mod choice;
pub mod demo;
pub mod handlers;
pub mod king;
pub mod model;
pub mod monthly;
pub mod pages;
pub mod verify;

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/leaderboards/people").route(web::get().to(handlers::people)))
        .service(web::resource("/leaderboards/clubs").route(web::get().to(handlers::clubs)))
        .service(
            web::resource("/me/leaderboard-choice")
                .route(web::get().to(handlers::my_choice))
                .route(web::put().to(handlers::choose)),
        )
        .service(
            web::resource("/clubs/{club_id}/leaderboard-default")
                .route(web::put().to(handlers::club_default)),
        )
        .service(
            web::resource("/knowledge-kings/{year}")
                .route(web::get().to(handlers::get_king))
                .route(web::post().to(handlers::confirm_king)),
        );
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/leaderboards").route(web::get().to(pages::index)))
        .service(web::resource("/me/leaderboard-choice").route(web::post().to(pages::choose)))
        .service(
            web::resource("/clubs/{club_id}/leaderboard-default")
                .route(web::post().to(pages::club_default)),
        )
        .service(web::resource("/knowledge-kings").route(web::get().to(pages::king_show)))
        .service(
            web::resource("/knowledge-kings/{year}").route(web::post().to(pages::king_confirm)),
        );
}
