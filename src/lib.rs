//! dongari — a portal for learning clubs (학습동아리) in Korean public offices.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod clubs;
pub mod config;
pub mod db;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod format;
pub mod jobs;
pub mod leaderboard;
pub mod ledger;
pub mod mail;
pub mod malloc;
pub mod mileage;
pub mod openapi;
pub mod org;
pub mod reports;
pub mod scale;
pub mod startup;
pub mod state;
pub mod upgrade;
pub mod vouchers;
pub mod web;
