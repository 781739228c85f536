//! The pages that gather from several domains (the home page, a club's
//! page, the to-do list) and the middleware around every page: the
//! request log and the error pages.

pub mod club;
pub mod home;
pub mod middleware;
pub mod to_do;

pub use middleware::{error_pages, request_log};
