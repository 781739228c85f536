//! One test binary for the whole service (see helpers.rs for the harness).

mod helpers;

mod auth;
mod badges;
mod browser;
mod cli;
mod club_pages;
mod clubs;
mod concurrency;
mod evaluation;
mod evaluation_pages;
mod gamification_props;
mod hr_hours;
mod http;
mod import;
mod languages;
mod leaderboards;
mod ledger;
mod live;
mod mileage;
mod org;
mod organizations;
mod progress;
mod recognition;
mod report_pages;
mod reports;
mod scale;
mod schema;
mod smtp;
mod stats;
mod vouchers;
