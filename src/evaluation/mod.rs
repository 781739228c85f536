//! The semiannual evaluation (연구 성과보고서, 평가): rounds, results
//! reports, scoring, ranking, awards, top contributors and the overseas list.

pub mod awards;
pub mod demo;
pub mod handlers;
pub mod model;
pub mod pages;
pub mod ranking;
pub mod reminders;
pub mod service;
pub mod views;

use actix_web::web::{self, get, post, put, resource};

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    use handlers as h;
    const ROUND: &str = "/evaluation/rounds/{round_id}";
    const CLUB: &str = "/evaluation/rounds/{round_id}/clubs/{club_id}";
    cfg.service(
        resource("/evaluation/rounds")
            .route(get().to(h::list_rounds))
            .route(post().to(h::open_round)),
    )
    .service(resource(ROUND).route(get().to(h::get_round)))
    .service(resource(format!("{ROUND}/windows")).route(put().to(h::change_windows)))
    .service(resource(format!("{ROUND}/sheets")).route(get().to(h::my_sheets)))
    .service(resource(format!("{ROUND}/standings")).route(get().to(h::get_standings)))
    .service(resource(format!("{ROUND}/confirm")).route(post().to(h::confirm)))
    .service(resource(format!("{ROUND}/results")).route(get().to(h::get_results)))
    .service(
        resource(format!("{CLUB}/report"))
            .route(get().to(h::get_report))
            .route(put().to(h::put_report)),
    )
    .service(resource(format!("{CLUB}/reopen")).route(post().to(h::reopen)))
    .service(resource(format!("{CLUB}/scores")).route(put().to(h::put_scores)))
    .service(resource(format!("{CLUB}/assignments")).route(post().to(h::reassign)))
    .service(resource(format!("{CLUB}/contributors")).route(post().to(h::recommend)));
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    use pages as p;
    cfg.service(resource("/evaluation").route(get().to(p::list)))
        .service(
            resource("/evaluation/new")
                .route(get().to(p::new_round))
                .route(post().to(p::create_round)),
        )
        .service(resource("/evaluation/{round_id}").route(get().to(p::show)))
        .service(resource("/evaluation/{round_id}/confirm").route(post().to(p::confirm)))
        .service(resource("/evaluation/{round_id}/reassign").route(post().to(p::reassign)))
        .service(resource("/evaluation/{round_id}/windows").route(post().to(p::change_windows)))
        .service(resource("/evaluation/{round_id}/reopen").route(post().to(p::reopen)))
        .service(resource("/evaluation/{round_id}/results").route(get().to(p::results)))
        .service(resource("/evaluation/{round_id}/export.xlsx").route(get().to(p::export_xlsx)))
        .service(resource("/evaluation/{round_id}/export/{table}").route(get().to(p::export_csv)))
        .service(
            resource("/evaluation/{round_id}/clubs/{club_id}/report")
                .route(get().to(p::show_report))
                .route(post().to(p::submit_report)),
        )
        .service(
            resource("/evaluation/{round_id}/clubs/{club_id}/score")
                .route(get().to(p::show_score))
                .route(post().to(p::save_score)),
        )
        .service(
            resource("/evaluation/{round_id}/clubs/{club_id}/contributors")
                .route(post().to(p::recommend)),
        );
}
