//! The semiannual evaluation (연구 성과보고서, 평가): rounds, results
//! reports, scoring, ranking, awards, top contributors and the overseas list.

pub mod handlers;
pub mod model;
pub mod ranking;
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
