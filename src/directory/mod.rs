//! The organization over HTTP: who I am, its employees, departments and
//! target rules, the organization and its policy (the API, and the
//! administrators' policy page). The rows and rules are `org`'s; these
//! handlers stand above `auth`, whose extractors read org's people.

pub mod handlers;
pub mod pages;

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
