//! Learning recorded in the HR learning system (인사 학습이력), imported
//! from its CSV. A line is recognized hours in the ledger, and a completed
//! course also earns vouchers by their rules: the import stands above both
//! domains, so that neither reaches into the other. A line reversed later
//! takes back what it earned (`withdrawal`).

pub mod demo;
pub mod handlers;
pub mod import;
pub mod pages;
pub mod withdrawal;

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/ledger/hr-imports").route(web::post().to(handlers::import_hr_hours)),
    );
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/ledger/hr-imports")
            .route(web::get().to(pages::hr_import_page))
            .route(web::post().to(pages::hr_import_submit)),
    );
}
