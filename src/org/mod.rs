//! The organization: departments (국·소 → 과), employees, roles, and the
//! annual learning targets derived from grade and job family.

pub mod demo;
pub mod forms;
pub mod handlers;
pub mod import;
pub mod model;
pub mod service;
pub mod targets;

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me").route(web::get().to(handlers::me)))
        .service(web::resource("/employees").route(web::get().to(handlers::list_employees)))
        .service(web::resource("/departments").route(web::get().to(handlers::list_departments)))
        .service(web::resource("/target-rules").route(web::get().to(handlers::list_target_rules)));
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(handlers::home)));
}
