//! Reminders about the monthly report, on the configured days of the month
//! after the reporting month: before the due date to the president (and the
//! members, if configured), an overdue notice after it, and an overdue
//! summary to each department coordinator. Each is recorded under a unique
//! (kind, month, club or department) key in the same transaction as its
//! mail, so a second run — or a second instance — sends nothing again.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Utc};
use tera::Context;

use super::deadline::{due_instant, is_late};
use super::model;
use super::service::due_for;
use crate::clock::seoul;
use crate::clock::YearMonth;
use crate::clubs::model as clubs;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::mail::outbox;
use crate::org::model as org;

/// Queues the reminders due at `now` in every organization; returns how
/// many mails were queued.
pub fn queue_reminders(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let mut queued = 0;
    for organization in org::organizations(conn)? {
        queued += queue_for_organization(conn, templates, settings, &organization.id, now)?;
    }
    Ok(queued)
}

fn queue_for_organization(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let rules = &crate::org::policy::of(conn, settings, organization_id)?.reports;
    let today = now.with_timezone(&seoul()).date_naive();
    let month = YearMonth::of(today).previous();
    if !rules.months.contains(&month.month) {
        return Ok(0);
    }
    let due = due_for(conn, organization_id, rules, month)?;
    let overdue = today.day() >= rules.overdue_day && is_late(now, due);
    let before = rules
        .remind_days
        .iter()
        .filter(|d| today.day() >= **d)
        .max()
        .filter(|_| !is_late(now, due));
    let kind = match (overdue, before) {
        (true, _) => "overdue".to_string(),
        (false, Some(day)) => format!("before_{day}"),
        (false, None) => return Ok(0),
    };
    let month_key = month.to_string();
    let mut ctx = Context::new();
    ctx.insert("month", &month_key);
    let due_at = due_instant(due);
    ctx.insert("due_day", &due_at.date_naive().to_string());
    ctx.insert("due_time", &due_at.format("%H:%M").to_string());
    ctx.insert("overdue", &overdue);
    let owing =
        model::owing_unsubmitted(conn, organization_id, &month_key, month.last_day(), &kind)?;
    let to_remind: Vec<String> = owing
        .iter()
        .filter(|club| !club.reminded) // `send_once` still guards a race
        .map(|club| club.id.clone())
        .collect();
    let mut queued = 0;
    if !to_remind.is_empty() {
        let mut contacts = clubs::member_contacts(conn, &to_remind, today, rules.copy_members)?;
        // One transaction for the office's reminders, not one per club.
        queued += crate::db::write_tx(conn, |conn| -> AppResult<usize> {
            let mut queued = 0;
            for club in owing.iter().filter(|club| !club.reminded) {
                let mut ctx = ctx.clone();
                ctx.insert("club_name", &club.name);
                ctx.insert(
                    "link",
                    &settings
                        .mail
                        .link(&format!("/clubs/{}/reports/{month_key}", club.id)),
                );
                let key = outbox::OnceKey {
                    kind: &kind,
                    period: &month_key,
                    subject: &club.id,
                };
                let members = contacts.remove(&club.id).unwrap_or_default();
                queued += outbox::send_once(conn, key, now.naive_utc(), |conn| {
                    let mut sent = 0;
                    for (name, email, role, language) in members {
                        let is_president = role == clubs::MemberRole::President.code();
                        if !is_president && !rules.copy_members {
                            continue;
                        }
                        let mut ctx = ctx.clone();
                        ctx.insert("name", &name);
                        ctx.insert("is_president", &is_president);
                        outbox::enqueue(
                            conn,
                            templates,
                            "report_reminder",
                            &ctx,
                            &outbox::Recipient::new(&email, &name, &language),
                            now.naive_utc(),
                        )?;
                        sent += 1;
                    }
                    Ok(sent)
                })?;
            }
            Ok(queued)
        })?;
    }
    let missing_by_department: Vec<(Option<String>, String)> = owing
        .into_iter()
        .map(|club| (club.home_department_id, club.name))
        .collect();
    if overdue {
        queued += queue_coordinator_summaries(
            conn,
            templates,
            settings,
            organization_id,
            month,
            &missing_by_department,
            now,
        )?;
    }
    Ok(queued)
}

fn queue_coordinator_summaries(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    month: YearMonth,
    missing: &[(Option<String>, String)],
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let mut queued = 0;
    let period = month.to_string();
    let summarized = outbox::recorded_subjects(conn, "overdue_summary", &period)?;
    for (coordinator, department_id) in org::coordinators(conn, organization_id)? {
        let subject = format!("{}:{}", department_id, coordinator.id);
        if summarized.contains(&subject) {
            continue;
        }
        let scope: HashSet<String> = org::department_and_children(conn, &department_id)?;
        let clubs: Vec<&String> = missing
            .iter()
            .filter(|(d, _)| d.as_ref().is_some_and(|d| scope.contains(d)))
            .map(|(_, name)| name)
            .collect();
        if clubs.is_empty() {
            continue; // no mail when there is nothing to say
        }
        let department = org::department_by_id(conn, &department_id)?;
        let mut ctx = Context::new();
        ctx.insert("name", &coordinator.name);
        ctx.insert("department", &department.name);
        ctx.insert("month", &period);
        ctx.insert("clubs", &clubs);
        ctx.insert(
            "link",
            &settings
                .mail
                .link(&format!("/reports/compliance?month={month}")),
        );
        let key = outbox::OnceKey {
            kind: "overdue_summary",
            period: &period,
            subject: &subject,
        };
        queued += outbox::send_once(conn, key, now.naive_utc(), |conn| {
            outbox::enqueue(
                conn,
                templates,
                "overdue_summary",
                &ctx,
                &outbox::Recipient::new(
                    &coordinator.email,
                    &coordinator.name,
                    &coordinator.language,
                ),
                now.naive_utc(),
            )?;
            Ok(1)
        })?;
    }
    Ok(queued)
}
