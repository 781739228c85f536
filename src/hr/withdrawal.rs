//! An HR line reversed in the ledger (a record the HR system withdrew, or
//! imported by mistake) takes back what it earned: its course vouchers and
//! its course or certificate badges, each with the reversal's reason.

use chrono::NaiveDateTime;

use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::ledger::model::{self, Movement, Source, Unit};
use crate::vouchers::VoucherActivity;

/// Takes back what `line` earned, if it is an HR line; `by` is the
/// administrator who reversed it.
#[allow(clippy::too_many_arguments)]
pub fn withdraw(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    line: &Movement,
    by: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    if line.source != Source::HrImport.code() {
        return Ok(());
    }
    let reason = format!("인사 학습이력 취소: {reason}");
    for (_, employee_id, _) in
        model::employee_legs(conn, std::slice::from_ref(&line.id), Unit::Minutes)?
    {
        crate::vouchers::earning::take_back(
            conn,
            templates,
            settings,
            VoucherActivity::Course,
            &line.id,
            &employee_id,
            Some(by),
            &reason,
            now,
        )?;
    }
    crate::badges::rules::withdraw(
        conn,
        templates,
        settings,
        organization_id,
        &line.id,
        by,
        &reason,
        now,
    )?;
    Ok(())
}
