//! Telling people what happened to their ledger: a reversal is mailed to
//! each person whose account it touches, in the transaction that records it.

use super::model::{self, Movement, Owner, Source, Unit};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::mail::outbox;

/// An amount as a person reads it: `2시간 30분`, `150점`, `3장`, `1일`.
pub fn amount_ko(unit: Unit, amount: i64) -> String {
    match unit {
        Unit::Minutes => crate::format::hours_ko(amount),
        Unit::Points => format!("{amount}점"),
        Unit::Vouchers => format!("{amount}장"),
        Unit::Krw => format!("{}원", crate::format::thousands(amount)),
        Unit::LeaveDays => format!("{amount}일"),
    }
}

/// Queues a notice of `reversal` (which cancels `original`) to every
/// employee it takes from or gives back to; answers how many.
pub fn tell_reversal(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    reversal: &Movement,
    original: &Movement,
    now: chrono::NaiveDateTime,
) -> AppResult<usize> {
    let entries = model::entries_of_movement(conn, &reversal.id)?;
    let account_ids: Vec<String> = entries.iter().map(|e| e.account_id.clone()).collect();
    let accounts = model::accounts_by_ids(conn, &account_ids)?;
    let source = Source::parse(&original.source).map_or("", |s| s.label_ko());
    let what = original
        .title
        .as_deref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let reason = reversal.reason.as_deref().unwrap_or_default();
    let mut told = 0;
    for entry in &entries {
        let Some(account) = accounts.iter().find(|a| a.id == entry.account_id) else {
            continue;
        };
        let Owner::Employee(employee_id) = model::account_ref(account)?.owner else {
            continue;
        };
        let employee = crate::org::model::employee_by_id(conn, &employee_id)?;
        let unit = Unit::parse(&entry.unit).unwrap_or(Unit::Minutes);
        let unit_name = match unit {
            Unit::Minutes => "상시학습 시간",
            other => other.label_ko(),
        };
        let done = if entry.amount < 0 {
            "뺐습니다"
        } else {
            "되돌려 드렸습니다"
        };
        outbox::notice(
            conn,
            templates,
            &crate::mail::outbox::Recipient::new(
                &employee.email,
                &employee.name,
                &employee.language,
            ),
            now,
            "[동아리] 학습 원장 기록 취소 안내",
            &[
                format!(
                    "{}자 {source}{what} 기록이 취소되어 {unit_name} {} {done}.",
                    original.counts_for,
                    crate::korean::with(
                        &amount_ko(unit, entry.amount.abs()),
                        crate::korean::Particle::Object
                    )
                ),
                format!("사유: {reason}"),
            ],
            &settings
                .mail
                .link(&format!("/me/ledger?unit={}", unit.query_name())),
        )?;
        told += 1;
    }
    Ok(told)
}

/// Queues a notice to a person whose club hours for a half were taken back
/// (a meeting corrected, or a new rule version): how much, and why.
#[allow(clippy::too_many_arguments)]
pub fn tell_take_back(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    employee_id: &str,
    minutes: i64,
    half: crate::clock::HalfYear,
    rule_version: &str,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    let employee = crate::org::model::employee_by_id(conn, employee_id)?;
    outbox::notice(
        conn,
        templates,
        &crate::mail::outbox::Recipient::new(&employee.email, &employee.name, &employee.language),
        now,
        "[동아리] 상시학습 인정 시간 조정 안내",
        &[
            format!(
                "{} 학습동아리 모임으로 인정된 시간 중 {} 회수했습니다.",
                half.label_ko(),
                crate::korean::with(&crate::format::hours_ko(minutes), crate::korean::Particle::Object)
            ),
            format!(
                "모임 기록이 고쳐졌거나 인정 규칙이 바뀌어 다시 계산한 결과입니다 (적용 규칙: {rule_version})."
            ),
        ],
        &settings.mail.link("/me/ledger?unit=hours"),
    )?;
    Ok(())
}
