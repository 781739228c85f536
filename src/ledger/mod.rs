//! The learning ledger: everything a person or club earns — recognized
//! hours (in minutes), mileage points, learning vouchers, KRW, special-leave
//! days — as append-only, double-entry movements.
//!
//! - A movement has legs that sum to zero per unit, each unit with a system
//!   account (the issuer of hours, the mileage pool, …) on one side, so that
//!   nothing is created from nothing. A move between units (mileage → hours)
//!   is one movement with two such pairs: all or none.
//! - Rows are never updated or deleted (database triggers refuse it); a
//!   correction is a reversal, a movement that cancels another, at most once.
//! - Each leg carries a hash over its content and the previous leg's hash;
//!   `dongari ledger verify` replays the chain, every movement's balance and
//!   the balance cache, and names each violation.
//! - An idempotency key per movement: the same operation again answers the
//!   original; the same key with other content is a conflict.

pub mod awards;
pub mod bulk;
pub mod chain;
pub mod handlers;
pub mod hr_export;
pub mod model;
pub mod notices;
pub mod pages;
pub mod posting;
pub mod progress;
pub mod verify;

pub use model::{AccountRef, Learning, LearningType, Owner, Source, SystemPurpose, Unit};
pub use posting::{issue, post, reverse, Leg, Outcome, Posting};

use actix_web::web;

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/ledger").route(web::get().to(handlers::my_ledger)))
        .service(web::resource("/me/progress").route(web::get().to(handlers::my_progress)))
        .service(web::resource("/ledger/progress").route(web::get().to(handlers::office_progress)))
        .service(web::resource("/ledger/adjustments").route(web::post().to(handlers::adjust)));
}

pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/ledger/hr-export/{file}").route(web::get().to(pages::hr_export)))
        .service(web::resource("/me/ledger").route(web::get().to(pages::mine)))
        .service(web::resource("/ledger/progress").route(web::get().to(pages::progress)))
        .service(
            web::resource("/ledger/progress.{ext}").route(web::get().to(pages::progress_file)),
        );
}
