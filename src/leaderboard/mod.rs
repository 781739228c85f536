//! Leaderboards (리더보드) of mileage: a month, a half-year or a year; the
//! office, my department, my club, and clubs by mileage per member. Only
//! the top N and the viewer's own place show; each person may be left out
//! of others' boards (a club may set the default for its members);
//! deactivated people never rank. Also the month's top N earning vouchers
//! and the yearly knowledge king (지식왕).

pub mod board;
pub mod model;
pub mod period;
