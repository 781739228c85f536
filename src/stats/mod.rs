//! Statistics (통계) for administrators and coordinators: an office's
//! meetings, attendance and hours, report compliance, evaluations and
//! target attainment, as server-drawn SVG charts with their tables, as
//! JSON, CSV and XLSX. It reads the other domains through their services
//! and models; none of them reads it.

pub mod chart;
pub mod handlers;
pub mod model;
pub mod pages;
pub mod service;
pub mod views;

use actix_web::web::{self, get, resource};

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/stats").route(get().to(handlers::get_statistics)));
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/stats").route(get().to(pages::show)))
        .service(resource("/stats/{name}.{ext}").route(get().to(pages::file)));
}
