//! Badges (Open Badge): an office's badge classes, awarded by hand or by
//! rule, revoked with a reason, and published as real Open Badges: hosted
//! 2.0 assertions a verifier outside the office fetches, 3.0 credentials
//! signed with the office's key, and images with either baked in.

pub mod awards;
pub mod bake;
pub mod bulk;
pub mod check;
pub mod classes;
pub mod demo;
pub mod handlers;
pub mod image;
pub mod keys;
pub mod links;
pub mod manual;
pub mod model;
pub mod notices;
pub mod ob2;
pub mod ob3;
pub mod pages;
pub mod public;
pub mod rules;
pub mod views;

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/badges/classes")
            .route(web::get().to(handlers::list_classes))
            .route(web::post().to(handlers::add_class)),
    )
    .service(web::resource("/badges/classes/{id}/awards").route(web::post().to(handlers::award)))
    .service(
        web::resource("/badges/classes/{id}/awards/bulk")
            .route(web::post().to(handlers::award_file)),
    )
    .service(
        web::resource("/badges/classes/{id}/backfill").route(web::post().to(handlers::backfill)),
    )
    .service(web::resource("/badges/awards/{id}/revoke").route(web::post().to(handlers::revoke)))
    .service(web::resource("/badges/keys/rotate").route(web::post().to(handlers::rotate_key)))
    .service(web::resource("/badges/awards/{id}/suspend").route(web::post().to(handlers::suspend)))
    .service(web::resource("/badges/awards/{id}/resume").route(web::post().to(handlers::resume)))
    .service(web::resource("/me/badges").route(web::get().to(handlers::my_badges)))
    .service(
        web::resource("/me/badges/{id}/visibility").route(web::put().to(handlers::set_visibility)),
    );
}

/// The public documents: no login, stable addresses (their ids).
pub fn public_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/badges/v2/issuers/{id}").route(web::get().to(public::issuer)))
        .service(
            web::resource("/badges/v2/issuers/{id}/revocations")
                .route(web::get().to(public::revocations)),
        )
        .service(web::resource("/badges/v2/classes/{id}").route(web::get().to(public::class)))
        .service(
            web::resource("/badges/v2/classes/{id}/image.{ext:png|svg}")
                .route(web::get().to(public::class_image)),
        )
        .service(
            web::resource("/badges/v2/assertions/{id}").route(web::get().to(public::assertion)),
        )
        .service(
            web::resource("/badges/v2/assertions/{id}/baked.{ext:png|svg}")
                .route(web::get().to(public::baked_assertion)),
        )
        .service(web::resource("/badges/v3/issuers/{id}").route(web::get().to(public::profile)))
        .service(
            web::resource("/badges/v3/issuers/{id}/jwks.json").route(web::get().to(public::jwks)),
        )
        .service(
            web::resource("/badges/v3/issuers/{id}/did.json").route(web::get().to(public::did)),
        )
        .service(
            web::resource("/badges/v3/issuers/{id}/keys/{key}/status/{purpose}/{list}")
                .route(web::get().to(public::status_list)),
        )
        .service(
            web::resource("/badges/v3/achievements/{id}").route(web::get().to(public::achievement)),
        )
        .service(
            web::resource("/badges/v3/credentials/{id}").route(web::get().to(public::credential)),
        )
        .service(
            web::resource("/badges/v3/credentials/{id}/baked.{ext:png|svg}")
                .route(web::get().to(public::baked_credential)),
        );
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/badges").route(web::get().to(pages::mine)))
        .service(
            web::resource("/me/badges/{id}/visibility")
                .route(web::post().to(pages::set_visibility)),
        )
        .service(
            web::resource("/me/badges/{id}/hide-from-feed")
                .route(web::post().to(pages::hide_from_feed)),
        )
        .service(
            web::resource("/badges/verify")
                .route(web::get().to(pages::check_form))
                .route(web::post().to(pages::check_upload)),
        )
        .service(web::resource("/badges/verify/{id}").route(web::get().to(pages::verify)))
        .service(web::resource("/badges").route(web::get().to(pages::office)))
        .service(web::resource("/badges/classes").route(web::post().to(pages::add_class)))
        .service(web::resource("/badges/classes/{id}/awards").route(web::post().to(pages::award)))
        .service(
            web::resource("/badges/classes/{id}/bulk")
                .route(web::get().to(pages::bulk_page))
                .route(web::post().to(pages::bulk_submit)),
        )
        .service(
            web::resource("/badges/classes/{id}/backfill").route(web::post().to(pages::backfill)),
        )
        .service(web::resource("/badges/awards/{id}/revoke").route(web::post().to(pages::revoke)))
        .service(web::resource("/badges/awards/{id}/suspend").route(web::post().to(pages::suspend)))
        .service(web::resource("/badges/awards/{id}/resume").route(web::post().to(pages::resume)))
        .service(web::resource("/badges/keys/rotate").route(web::post().to(pages::rotate_key)));
}
