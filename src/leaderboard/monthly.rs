//! When a month closes, the top N of each office's board for it earn
//! vouchers (the `leaderboard` voucher rule): once, by the jobs run.

use chrono::{NaiveDate, NaiveDateTime};

use super::model::{self, Among};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::period::Period;
use crate::vouchers::{self, VoucherActivity, VoucherEvent};

/// Gives last month's top N of the office their vouchers, unless done;
/// answers how many people earned.
pub fn award_last_month(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let month = Period::previous_month(today);
    let job = format!("leaderboard-vouchers/{month}");
    let last_day = month.to().pred_opt().expect("valid date");
    crate::db::write_tx(conn, |conn| {
        if crate::db::job_marks::mark_of(conn, organization_id, &job)?.is_some() {
            return Ok(0);
        }
        let terms = vouchers::rules::governing(
            conn,
            settings,
            organization_id,
            VoucherActivity::Leaderboard,
            last_day,
        )?;
        let top_n = i64::from(terms.top_n.unwrap_or(10));
        let top = model::top_people(conn, organization_id, month, &Among::Office, top_n, today)?;
        let event_ref = format!("{organization_id}/{month}");
        let event = VoucherEvent {
            organization_id,
            activity: VoucherActivity::Leaderboard,
            event_ref: &event_ref,
            on: last_day,
        };
        for (employee_id, _) in &top {
            vouchers::earn(conn, settings, &event, employee_id, now)?;
        }
        crate::db::job_marks::set_mark(conn, organization_id, &job, &top.len().to_string(), now)?;
        Ok(top.len())
    })
}
