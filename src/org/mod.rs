//! The organization: departments (국·소 → 과), employees, roles, and the
//! annual learning targets derived from grade and job family.

pub mod demo;
pub mod forms;
pub mod handlers;
pub mod import;
pub mod model;
pub mod pages;
pub mod policy;
pub mod service;
pub mod targets;

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me").route(web::get().to(handlers::me)))
        .service(web::resource("/employees").route(web::get().to(handlers::list_employees)))
        .service(web::resource("/departments").route(web::get().to(handlers::list_departments)))
        .service(web::resource("/target-rules").route(web::get().to(handlers::list_target_rules)))
        .service(web::resource("/organization").route(web::get().to(handlers::get_organization)))
        .service(web::resource("/organization/policy").route(web::put().to(handlers::put_policy)));
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/admin/policy")
            .route(web::get().to(pages::show))
            .route(web::post().to(pages::save)),
    );
}
