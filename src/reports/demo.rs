//! The demo's monthly reports: for every past reporting month most clubs
//! reported on time, a few late, a few not at all (the next jobs run marks
//! those missing).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::deadline::due_instant;
use super::service;
use crate::clock::YearMonth;
use crate::clubs::model::{self as clubs, ClubFilter, ClubStatus, MemberRole};
use crate::clubs::service::ClubAccess;
use crate::db::DbConn;
use crate::error::AppResult;

/// Returns (on time, late) reports submitted.
pub fn load(
    conn: &mut DbConn,
    settings: &crate::config::Settings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<(usize, usize)> {
    let rules = &settings.reports;
    let filter = ClubFilter {
        status: Some(ClubStatus::Active),
        ..Default::default()
    };
    let (all, _) = clubs::list_clubs(conn, &filter, 0, 1000)?;
    let (mut on_time, mut late) = (0, 0);
    for (index, listed) in all.iter().enumerate() {
        let club = clubs::club_by_id(conn, &listed.id)?;
        let Some(president) = clubs::members_of(conn, &club.id)?.into_iter().find(|m| {
            m.membership.role() == MemberRole::President && m.membership.left_on.is_none()
        }) else {
            continue;
        };
        let access = ClubAccess {
            club: club.clone(),
            membership: Some(president.membership.clone()),
            is_admin: false,
            employee_id: president.membership.employee_id.clone(),
        };
        let mut month = YearMonth::of(today).previous();
        for step in 0..12 {
            let due = service::due_for(conn, &club.organization_id, rules, month)?;
            if !rules.months.contains(&month.month)
                || month < YearMonth::of(president.membership.joined_on)
            {
                month = month.previous();
                continue;
            }
            // Office hours rather than the last second of the day.
            let deadline = due_instant(due).with_timezone(&Utc)
                - Duration::hours(6 + (index + step) as i64 % 8)
                - Duration::minutes((index * 7 + step * 13) as i64 % 60);
            let at = match (index + step) % 10 {
                0 => None,                               // never sent
                1 => Some(deadline + Duration::days(2)), // late
                _ => Some(deadline - Duration::days(2 + (index % 3) as i64)),
            };
            if let Some(at) = at.filter(|at| *at < now) {
                let activity = service::activity(conn, &club.id, month)?;
                let narrative = format!(
                    "{} 활동 보고\n\n모임 {}회(정기 {}회)를 열었습니다. 다룬 주제: {}.\n다음 달에는 학습과제 결과를 정리해 공유할 계획입니다.",
                    month.label_ko(),
                    activity.meeting_count,
                    activity.regular_count,
                    activity.meetings.iter().map(|m| m.topic.as_str()).collect::<Vec<_>>().join(", ")
                );
                service::save_draft(conn, &access, month, &narrative, at.naive_utc())?;
                service::submit(conn, settings, &access, month, rules, None, at)?;
                if (index + step) % 10 == 1 {
                    late += 1;
                } else {
                    on_time += 1;
                }
            }
            month = month.previous();
        }
    }
    Ok((on_time, late))
}
