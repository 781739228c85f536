//! Telling people of their new badges: the jobs mail each award once, a
//! few minutes after it was made (in whatever transaction earned it), with
//! the way to the backpack where it is shown, shared or downloaded. A
//! revoked one before its mail left is not announced.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDateTime};

use super::model;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::mail::outbox::{self, OnceKey};

const KIND: &str = "badge-awarded";
/// How far back a run looks: a portal whose jobs stopped for a while still
/// tells what it missed; older awards were told long ago.
const LOOKBACK_DAYS: i64 = 7;

/// Queues the mail of every award of the office not yet told; answers how
/// many.
pub fn announce(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let awards =
        model::standing_awards_since(conn, organization_id, now - Duration::days(LOOKBACK_DAYS))?;
    let mut told_on: HashMap<String, HashSet<String>> = HashMap::new();
    let mut queued = 0;
    for award in awards {
        // Keyed by the day it was made, so that a run reads only a week's keys.
        let day = crate::clock::seoul_date(award.issued_at).to_string();
        let told = match told_on.entry(day.clone()) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(unread) => unread.insert(outbox::recorded_subjects(conn, KIND, &day)?),
        };
        if told.contains(&award.id) {
            continue;
        }
        let key = OnceKey {
            kind: KIND,
            period: &day,
            subject: &award.id,
        };
        queued += outbox::send_once(conn, key, now, |conn| {
            outbox::notice(
                conn,
                templates,
                &outbox::Recipient::new(&award.email, &award.name, &award.language),
                now,
                &format!("[동아리] '{}' 배지를 받았습니다", award.class_name),
                &[
                    format!("축하합니다. '{}' 배지를 받았습니다.", award.class_name),
                    format!("받은 까닭: {}", award.narrative),
                    "배지는 처음에는 나만 볼 수 있습니다. 내 배지 화면에서 공개하거나, 이미지와 디지털 배지(Open Badges) 파일을 내려받아 다른 곳에 올릴 수 있습니다.".to_string(),
                ],
                &settings.mail.link("/me/badges"),
            )?;
            Ok(1)
        })?;
    }
    Ok(queued)
}
