//! Vouchers that expire (off by default): those earned in year Y expire at
//! the end of year Y + N, written as expiry movements on the first run of
//! the next year, and announced by mail in December, a month before.
//!
//! Spending uses the oldest vouchers first, so what remains of a balance
//! is the newest earnings: of a balance, everything beyond what was earned
//! after year Y is from Y or before, and that is what expires.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::model;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::ledger::{self, Owner, Posting, Source, Unit};

/// (employee id, vouchers) of an office (or only of `only`) that would
/// expire at the end of `year` + N: earned in `year` or before and not yet
/// spent or expired.
pub fn expiring(
    conn: &mut DbConn,
    organization_id: &str,
    year: i32,
    only: Option<&str>,
) -> AppResult<Vec<(String, i64)>> {
    let holders = model::holders(conn, organization_id, only)?;
    let accounts: Vec<String> = holders.iter().map(|(_, a, _)| a.clone()).collect();
    let next_year = NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid date");
    let newer = model::earned_since(conn, &accounts, next_year)?;
    Ok(holders
        .into_iter()
        .filter_map(|(employee_id, account, balance)| {
            let old = balance - newer.get(&account).copied().unwrap_or(0).max(0);
            (old > 0).then_some((employee_id, old))
        })
        .collect())
}

/// What the expiry step did for an office.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryReport {
    pub expired_people: usize,
    pub told_people: usize,
}

/// On or after 1 January of Y + N + 1, expires what remains of year Y and
/// before; in December of Y + N, tells each person what will expire. Both
/// once: a movement per person and year (its key), a job mark per notice.
pub fn run(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<ExpiryReport> {
    let years = settings.vouchers.expire_after_years;
    let mut report = ExpiryReport::default();
    if years == 0 {
        return Ok(report);
    }
    let expired_year = today.year() - years - 1;
    crate::db::write_tx(conn, |conn| {
        for (employee_id, amount) in expiring(conn, organization_id, expired_year, None)? {
            let key = format!("voucher-expiry/{employee_id}/{expired_year}");
            if ledger::model::movement_by_key(conn, &key)?.is_some() {
                continue;
            }
            ledger::post(
                conn,
                Posting {
                    idempotency_key: key,
                    source: Source::Expiry,
                    source_ref: Some(expired_year.to_string()),
                    counts_for: NaiveDate::from_ymd_opt(expired_year + years, 12, 31)
                        .expect("valid date"),
                    rule_version: Some(format!("vouchers expire after {years} years")),
                    actor_id: None,
                    reason: Some(format!(
                        "{expired_year}년 이전에 받은 바우처의 유효기간 만료"
                    )),
                    legs: ledger::issue(
                        organization_id,
                        Owner::Employee(employee_id),
                        Unit::Vouchers,
                        -amount,
                    ),
                    details: vec![("voucher_expiry".into(), expired_year.to_string(), -amount)],
                    learning: None,
                },
                now,
            )?;
            report.expired_people += 1;
        }
        Ok::<_, crate::error::AppError>(())
    })?;
    if today.month() == 12 {
        report.told_people = tell(
            conn,
            templates,
            settings,
            organization_id,
            today.year() - years,
            now,
        )?;
    }
    Ok(report)
}

/// Mails each person what of year `year` will expire at the end of this
/// year, once per office and year.
fn tell(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    year: i32,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let job = format!("voucher-expiry-notice/{year}");
    crate::db::write_tx(conn, |conn| {
        if crate::db::job_marks::mark_of(conn, organization_id, &job)?.is_some() {
            return Ok(0);
        }
        let people = expiring(conn, organization_id, year, None)?;
        let expires_on = year + settings.vouchers.expire_after_years;
        for (employee_id, amount) in &people {
            let employee = crate::org::model::employee_by_id(conn, employee_id)?;
            crate::mail::outbox::notice(
                conn,
                templates,
                &crate::mail::outbox::Recipient::new(&employee.email, &employee.name, &employee.language),
                now,
                "[동아리] 학습바우처 소멸 예정 안내",
                &[
                    format!(
                        "{year}년 이전에 받은 학습바우처 {amount}장이 {expires_on}년 12월 31일에 소멸됩니다."
                    ),
                    "그 전에 카탈로그에서 도서나 교육과정으로 사용하세요.".to_string(),
                ],
                &settings.mail.link("/me/vouchers"),
            )?;
        }
        crate::db::job_marks::set_mark(conn, organization_id, &job, "told", now)?;
        Ok(people.len())
    })
}
