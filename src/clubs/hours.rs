//! The rule for learning hours earned from club meetings, in one place:
//! per person and half-year, the minutes of attended meetings held while a
//! member ("earned"), and the part recognized as 상시학습 under the cap
//! ("recognizable"; DOMAIN.md: regular meetings, at most 12 h a half-year).
//! Pure: the pages show it now, and the ledger will grant hours through it.

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{MeetingKind, MeetingSlot};
use crate::clock::HalfYear;
use crate::config::ClubSettings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursPolicy {
    pub half_year_cap_minutes: i64,
    pub count_ad_hoc: bool,
}

impl HoursPolicy {
    /// An office's club rules as the hours rule reads them.
    pub fn of(settings: &ClubSettings) -> Self {
        Self {
            half_year_cap_minutes: settings.half_year_cap_hours * 60,
            count_ad_hoc: settings.count_ad_hoc_meetings,
        }
    }
}

/// A meeting the person attended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attended {
    pub meeting_id: String,
    pub club_id: String,
    pub held_on: NaiveDate,
    pub minutes: i64,
    pub kind: MeetingKind,
}

/// (employee id, meeting) rows as (employee id, what they attended).
pub fn attended(rows: Vec<(String, MeetingSlot)>) -> Vec<(String, Attended)> {
    rows.into_iter()
        .map(|(employee, slot)| {
            let attended = Attended {
                minutes: (slot.ends_at - slot.starts_at).num_minutes(),
                kind: super::model::meeting_kind_of(&slot.kind),
                meeting_id: slot.id,
                club_id: slot.club_id,
                held_on: slot.held_on,
            };
            (employee, attended)
        })
        .collect()
}

/// A membership period: from `joined_on` up to, not including, `left_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stint {
    pub club_id: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

impl Stint {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.joined_on <= date && self.left_on.is_none_or(|left| date < left)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HalfYearHours {
    /// Minutes of every attended meeting held while a member.
    pub earned_minutes: i64,
    /// The part of `earned_minutes` of the kinds that count (regular meetings).
    pub countable_minutes: i64,
    /// `countable_minutes`, capped: what can be recognized as 상시학습.
    pub recognizable_minutes: i64,
    pub cap_minutes: i64,
}

pub fn half_year_hours(
    half: HalfYear,
    attended: &[Attended],
    stints: &[Stint],
    policy: HoursPolicy,
) -> HalfYearHours {
    let mut earned = 0;
    let mut countable = 0;
    for meeting in attended.iter().filter(|m| earns(half, m, stints)) {
        earned += meeting.minutes;
        if counts(meeting, policy) {
            countable += meeting.minutes;
        }
    }
    HalfYearHours {
        earned_minutes: earned,
        countable_minutes: countable,
        recognizable_minutes: countable.min(policy.half_year_cap_minutes),
        cap_minutes: policy.half_year_cap_minutes,
    }
}

/// A meeting of the half, of some length, held while a member.
fn earns(half: HalfYear, meeting: &Attended, stints: &[Stint]) -> bool {
    half.contains(meeting.held_on)
        && meeting.minutes > 0
        && stints
            .iter()
            .any(|s| s.club_id == meeting.club_id && s.covers(meeting.held_on))
}

/// Of the kinds that count toward 상시학습.
fn counts(meeting: &Attended, policy: HoursPolicy) -> bool {
    meeting.kind == MeetingKind::Regular || policy.count_ad_hoc
}

/// Which meetings make up the recognized minutes, and how many of each:
/// the countable meetings of the half in the order they were held (by date,
/// then by the order they were recorded), each counted whole until the cap,
/// the one that reaches it in part, the rest not at all. The minutes listed
/// sum to `half_year_hours(..).recognizable_minutes`.
pub fn recognized_meetings(
    half: HalfYear,
    attended: &[Attended],
    stints: &[Stint],
    policy: HoursPolicy,
) -> Vec<(String, i64)> {
    let mut countable: Vec<&Attended> = attended
        .iter()
        .filter(|m| earns(half, m, stints) && counts(m, policy))
        .collect();
    countable.sort_by(|a, b| (a.held_on, &a.meeting_id).cmp(&(b.held_on, &b.meeting_id)));
    let mut left = policy.half_year_cap_minutes;
    let mut recognized = Vec::new();
    for meeting in countable {
        if left <= 0 {
            break;
        }
        let minutes = meeting.minutes.min(left);
        left -= minutes;
        recognized.push((meeting.meeting_id.clone(), minutes));
    }
    recognized
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: HoursPolicy = HoursPolicy {
        half_year_cap_minutes: 12 * 60,
        count_ad_hoc: false,
    };

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn regular(m: u32, d: u32, hours: i64) -> Attended {
        Attended {
            meeting_id: format!("m{m:02}{d:02}"),
            club_id: "c".into(),
            held_on: day(m, d),
            minutes: hours * 60,
            kind: MeetingKind::Regular,
        }
    }

    fn member_from(m: u32, d: u32) -> Vec<Stint> {
        vec![Stint {
            club_id: "c".into(),
            joined_on: day(m, d),
            left_on: None,
        }]
    }

    fn h2() -> HalfYear {
        HalfYear::parse("2026H2").unwrap()
    }

    #[test]
    fn exactly_twelve_hours_is_all_recognized() {
        let attended: Vec<Attended> = (7..=12).map(|m| regular(m, 10, 2)).collect();
        let hours = half_year_hours(h2(), &attended, &member_from(1, 1), POLICY);
        assert_eq!(
            (hours.earned_minutes, hours.recognizable_minutes),
            (720, 720)
        );
    }

    #[test]
    fn over_the_cap_is_earned_but_not_recognized() {
        let mut attended: Vec<Attended> = (7..=12).map(|m| regular(m, 10, 2)).collect();
        attended.push(regular(12, 20, 3));
        let hours = half_year_hours(h2(), &attended, &member_from(1, 1), POLICY);
        assert_eq!(
            (hours.earned_minutes, hours.recognizable_minutes),
            (900, 720)
        );
    }

    #[test]
    fn only_meetings_while_a_member_count() {
        let attended = vec![
            regular(7, 10, 2),
            regular(8, 10, 2),
            regular(9, 10, 2),
            regular(10, 10, 2),
        ];
        // Joined 10 August (the 10 August meeting counts), left 10 October
        // (the 10 October meeting does not).
        let stints = vec![Stint {
            club_id: "c".into(),
            joined_on: day(8, 10),
            left_on: Some(day(10, 10)),
        }];
        let hours = half_year_hours(h2(), &attended, &stints, POLICY);
        assert_eq!(hours.earned_minutes, 240);
        // Membership of another club does not count for this one.
        let other = vec![Stint {
            club_id: "other".into(),
            joined_on: day(1, 1),
            left_on: None,
        }];
        assert_eq!(
            half_year_hours(h2(), &attended, &other, POLICY).earned_minutes,
            0
        );
    }

    #[test]
    fn june_thirtieth_and_july_first_fall_in_different_halves() {
        let attended = vec![regular(6, 30, 2), regular(7, 1, 3)];
        let stints = member_from(1, 1);
        let h1 = HalfYear::parse("2026H1").unwrap();
        assert_eq!(
            half_year_hours(h1, &attended, &stints, POLICY).earned_minutes,
            120
        );
        assert_eq!(
            half_year_hours(h2(), &attended, &stints, POLICY).earned_minutes,
            180
        );
    }

    #[test]
    fn an_absent_member_earns_nothing_and_ad_hoc_counts_only_when_configured() {
        let none = half_year_hours(h2(), &[], &member_from(1, 1), POLICY);
        assert_eq!((none.earned_minutes, none.recognizable_minutes), (0, 0));
        let ad_hoc = vec![Attended {
            meeting_id: "a".into(),
            club_id: "c".into(),
            held_on: day(9, 1),
            minutes: 90,
            kind: MeetingKind::AdHoc,
        }];
        let hours = half_year_hours(h2(), &ad_hoc, &member_from(1, 1), POLICY);
        assert_eq!((hours.earned_minutes, hours.recognizable_minutes), (90, 0));
        let counted = HoursPolicy {
            count_ad_hoc: true,
            ..POLICY
        };
        assert_eq!(
            half_year_hours(h2(), &ad_hoc, &member_from(1, 1), counted).recognizable_minutes,
            90
        );
    }

    #[test]
    fn the_cap_takes_meetings_in_the_order_they_were_held() {
        // Two clubs, 15 h in all: the first 12 h in date order are
        // recognized, the meeting that reaches the cap in part.
        let mut attended: Vec<Attended> = (7..=11).map(|m| regular(m, 20, 2)).collect();
        attended.push(Attended {
            meeting_id: "other-club".into(),
            club_id: "d".into(),
            held_on: day(8, 5),
            minutes: 5 * 60,
            kind: MeetingKind::Regular,
        });
        let stints = vec![
            member_from(1, 1).remove(0),
            Stint {
                club_id: "d".into(),
                joined_on: day(1, 1),
                left_on: None,
            },
        ];
        let hours = half_year_hours(h2(), &attended, &stints, POLICY);
        assert_eq!(
            (hours.earned_minutes, hours.recognizable_minutes),
            (15 * 60, 12 * 60)
        );
        assert_eq!(
            recognized_meetings(h2(), &attended, &stints, POLICY),
            vec![
                ("m0720".to_string(), 120),
                ("other-club".to_string(), 300),
                ("m0820".to_string(), 120),
                ("m0920".to_string(), 120),
                ("m1020".to_string(), 60),
            ]
        );
    }
}
