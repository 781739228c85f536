//! Monthly activity reports (월별 활동보고서): due by the 5th of the next
//! month, Asia/Seoul; drafted from the month's meetings, submitted as
//! frozen versions, reminded about, and summed up for compliance.

pub mod deadline;
pub mod demo;
pub mod handlers;
pub mod model;
pub mod pages;
pub mod reminders;
pub mod service;

use actix_web::web::{self, delete, get, post, put, resource};

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    use handlers as h;
    cfg.service(resource("/clubs/{club_id}/reports").route(get().to(h::list_reports)))
        .service(
            resource("/clubs/{club_id}/reports/{month}")
                .route(get().to(h::get_report))
                .route(put().to(h::put_report)),
        )
        .service(
            resource("/clubs/{club_id}/reports/{month}/submit").route(post().to(h::submit_report)),
        )
        .service(resource("/reports/compliance").route(get().to(h::get_compliance)))
        .service(
            resource("/holidays")
                .route(get().to(h::list_holidays))
                .route(post().to(h::add_holiday)),
        )
        .service(resource("/holidays/{day}").route(delete().to(h::remove_holiday)));
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/clubs/{club_id}/reports/{month}")
            .route(get().to(pages::show))
            .route(post().to(pages::save)),
    )
    .service(resource("/reports/compliance").route(get().to(pages::compliance)))
    .service(resource("/reports/compliance.csv").route(get().to(pages::compliance_csv)));
}
