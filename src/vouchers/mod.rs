//! Learning vouchers (학습바우처): a virtual currency earned by completing
//! courses (the HR import), earning badges and reaching the top of a
//! month's leaderboard, spent on the office's catalog of books, courses
//! and seminars; optionally expiring some years after the year earned.
//! Every voucher is a ledger entry (unit `vouchers`): this domain keeps no
//! balance of its own.

pub mod catalog;
pub mod earning;
pub mod model;
pub mod redemption;
pub mod rules;

pub use earning::{earn, VoucherEvent};
pub use rules::VoucherActivity;
