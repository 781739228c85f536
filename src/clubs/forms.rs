//! Club and meeting input, validated when built; errors name the field in
//! Korean. Rules that need the database live in `service`.

use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::{ClubColumns, ClubKind, MeetingColumns, MeetingKind, StudyField};
use crate::config::ClubSettings;
use crate::error::{AppError, AppResult};
use crate::fields::{optional, parse_date, required};

pub const MAX_ADVISOR_FEE: i64 = 10_000_000;
pub const MAX_BOOK_PRICE: i64 = 1_000_000;
pub const MAX_BOOKS: usize = 20;

/// "19:00" or "19:00:00".
pub fn parse_time(field: &str, value: &str) -> AppResult<NaiveTime> {
    let v = value.trim();
    NaiveTime::parse_from_str(v, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(v, "%H:%M:%S"))
        .map_err(|_| {
            AppError::validation(
                field,
                format!("시각은 19:00 형식이어야 합니다 (입력값 '{v}')."),
            )
        })
}

fn parse_optional_time(field: &str, value: Option<&str>) -> AppResult<Option<NaiveTime>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse_time(field, v).map(Some),
    }
}

/// A club as proposed or edited (JSON body or form).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ClubDraft {
    pub name: String,
    /// `department` or `integrated`.
    pub kind: String,
    /// The home department's code.
    pub home_department: Option<String>,
    /// `work_improvement`, `district_issues`, `budget` or `resident_convenience`.
    pub field: String,
    #[serde(default)]
    pub description: String,
    pub usual_start: Option<String>,
    pub usual_end: Option<String>,
    pub usual_place: Option<String>,
    /// Administrators only: who presides (default: the creator).
    pub president_employee_no: Option<String>,
    /// Administrators only: the day it was really formed, `2015-02-10`
    /// (default: today).
    #[serde(default)]
    pub formed_on: Option<String>,
}

/// A validated club draft; the department code is resolved by the service.
#[derive(Debug, Clone)]
pub struct ClubInput {
    pub columns: ClubColumns,
    pub home_department_code: Option<String>,
    pub president_employee_no: Option<String>,
    pub formed_on: Option<NaiveDate>,
}

impl ClubDraft {
    pub fn validate(&self) -> AppResult<ClubInput> {
        let name = required("name", "동아리 이름", &self.name, 60)?;
        let kind = ClubKind::parse(&self.kind).ok_or_else(|| {
            AppError::validation(
                "kind",
                "종류는 국·소별 동아리(department) 또는 통합 동아리(integrated)여야 합니다.",
            )
        })?;
        let field = StudyField::parse(&self.field).ok_or_else(|| {
            AppError::validation("field", "연구 분야는 work_improvement, district_issues, budget, resident_convenience 중 하나여야 합니다.")
        })?;
        let home_department_code = optional(
            "home_department",
            "소속 부서",
            self.home_department.as_deref().unwrap_or(""),
            20,
        )?;
        if kind == ClubKind::Department && home_department_code.is_none() {
            return Err(AppError::validation(
                "home_department",
                "국·소별 동아리는 소속 부서가 필요합니다.",
            ));
        }
        let description =
            optional("description", "소개", &self.description, 2000)?.unwrap_or_default();
        let usual_start = parse_optional_time("usual_start", self.usual_start.as_deref())?;
        let usual_end = parse_optional_time("usual_end", self.usual_end.as_deref())?;
        if let (Some(s), Some(e)) = (usual_start, usual_end) {
            if e <= s {
                return Err(AppError::validation(
                    "usual_end",
                    "끝나는 시각은 시작 시각보다 늦어야 합니다.",
                ));
            }
        }
        let usual_place = optional(
            "usual_place",
            "모임 장소",
            self.usual_place.as_deref().unwrap_or(""),
            100,
        )?;
        let president_employee_no = optional(
            "president_employee_no",
            "회장 사원번호",
            self.president_employee_no.as_deref().unwrap_or(""),
            20,
        )?;
        Ok(ClubInput {
            columns: ClubColumns {
                name,
                kind: kind.code().to_string(),
                home_department_id: None,
                field: field.code().to_string(),
                description,
                usual_start,
                usual_end,
                usual_place,
            },
            home_department_code,
            president_employee_no,
            formed_on: match self.formed_on.as_deref().filter(|d| !d.is_empty()) {
                Some(day) => Some(parse_date("formed_on", day)?),
                None => None,
            },
        })
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BookDraft {
    pub title: String,
    /// KRW.
    pub price: i64,
}

/// A meeting as logged (JSON body, or built from the meeting form).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MeetingDraft {
    /// `2026-11-20`.
    pub held_on: String,
    /// `19:00`.
    pub starts_at: String,
    pub ends_at: String,
    /// `regular` (정기) or `ad_hoc` (수시).
    pub kind: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub inside_work_hours: bool,
    /// Required when the meeting is inside working hours.
    pub inside_reason: Option<String>,
    /// Employee ids of the members present.
    #[serde(default)]
    pub attendees: Vec<String>,
    pub advisor_name: Option<String>,
    /// KRW.
    pub advisor_fee: Option<i64>,
    #[serde(default)]
    pub books: Vec<BookDraft>,
}

#[derive(Debug, Clone)]
pub struct MeetingInput {
    pub columns: MeetingColumns,
    pub attendees: Vec<String>,
    /// (name, fee in KRW).
    pub advisor: Option<(String, i32)>,
    pub books: Vec<(String, i32)>,
}

impl MeetingDraft {
    pub fn validate(&self, rules: &ClubSettings) -> AppResult<MeetingInput> {
        let held_on = parse_date("held_on", &self.held_on)?;
        let starts_at = parse_time("starts_at", &self.starts_at)?;
        let ends_at = parse_time("ends_at", &self.ends_at)?;
        if ends_at <= starts_at {
            return Err(AppError::validation(
                "ends_at",
                "끝나는 시각은 시작 시각보다 늦어야 합니다.",
            ));
        }
        if (ends_at - starts_at).num_minutes() > rules.max_meeting_hours * 60 {
            return Err(AppError::validation(
                "ends_at",
                format!(
                    "모임 시간은 {}시간을 넘을 수 없습니다.",
                    rules.max_meeting_hours
                ),
            ));
        }
        let kind = MeetingKind::parse(&self.kind).ok_or_else(|| {
            AppError::validation(
                "kind",
                "모임 종류는 정기(regular) 또는 수시(ad_hoc)여야 합니다.",
            )
        })?;
        let place = required("place", "장소", &self.place, 100)?;
        let topic = required("topic", "주제", &self.topic, 200)?;
        let notes = optional("notes", "메모", &self.notes, 4000)?.unwrap_or_default();
        let inside_reason = optional(
            "inside_reason",
            "근무시간 내 사유",
            self.inside_reason.as_deref().unwrap_or(""),
            500,
        )?;
        // The server decides from the day and the hours; a person may also
        // say so (a shift that works other hours).
        let in_work_hours = overlaps_work_hours(held_on, starts_at, ends_at, rules);
        let inside_work_hours = self.inside_work_hours || in_work_hours;
        if inside_work_hours && inside_reason.is_none() {
            let message = if in_work_hours {
                format!(
                    "평일 근무시간({}–{})과 겹치는 모임입니다. 근무시간 내 사유를 적어 주세요.",
                    rules.work_start, rules.work_end
                )
            } else {
                "근무시간 내 모임은 사유를 적어야 합니다.".to_string()
            };
            return Err(AppError::validation("inside_reason", message));
        }
        let advisor_name = optional(
            "advisor_name",
            "자문위원 이름",
            self.advisor_name.as_deref().unwrap_or(""),
            50,
        )?;
        let advisor_fee = match (advisor_name.is_some(), self.advisor_fee) {
            (_, Some(fee)) if !(0..=MAX_ADVISOR_FEE).contains(&fee) => {
                return Err(AppError::validation(
                    "advisor_fee",
                    "자문 수당은 0원 이상 1천만 원 이하여야 합니다.",
                ));
            }
            (false, Some(fee)) if fee > 0 => {
                return Err(AppError::validation(
                    "advisor_name",
                    "자문 수당이 있으면 자문위원 이름을 적어야 합니다.",
                ));
            }
            (false, _) => None,
            (true, fee) => Some(fee.unwrap_or(0) as i32),
        };
        let advisor = advisor_name.zip(advisor_fee);
        if self.books.len() > MAX_BOOKS {
            return Err(AppError::validation(
                "books",
                format!("도서는 한 모임에 {MAX_BOOKS}권까지 적을 수 있습니다."),
            ));
        }
        let mut books = Vec::with_capacity(self.books.len());
        for book in &self.books {
            let title = required("books", "도서명", &book.title, 200)?;
            if !(0..=MAX_BOOK_PRICE).contains(&book.price) {
                return Err(AppError::validation(
                    "books",
                    "도서 가격은 0원 이상 100만 원 이하여야 합니다.",
                ));
            }
            books.push((title, book.price as i32));
        }
        let mut attendees: Vec<String> = self
            .attendees
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        attendees.sort();
        attendees.dedup();
        if attendees.is_empty() {
            return Err(AppError::validation(
                "attendees",
                "참석자를 한 명 이상 골라 주세요.",
            ));
        }
        Ok(MeetingInput {
            columns: MeetingColumns {
                held_on,
                starts_at,
                ends_at,
                kind: kind.code().to_string(),
                place,
                topic,
                notes,
                inside_work_hours,
                inside_reason: if inside_work_hours {
                    inside_reason
                } else {
                    None
                },
            },
            attendees,
            advisor,
            books,
        })
    }
}

/// Whether a meeting on `day` from `starts` to `ends` overlaps the
/// office's working hours on a weekday.
pub fn overlaps_work_hours(
    day: NaiveDate,
    starts: NaiveTime,
    ends: NaiveTime,
    rules: &ClubSettings,
) -> bool {
    use chrono::{Datelike, Weekday};
    let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    let work = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
    match (work(&rules.work_start), work(&rules.work_end)) {
        (Some(from), Some(until)) => weekday && starts < until && from < ends,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ClubSettings {
        ClubSettings {
            half_year_cap_hours: 12,
            count_ad_hoc_meetings: false,
            max_meeting_hours: 8,
            default_start: "19:00".into(),
            default_end: "21:00".into(),
            work_start: "09:00".into(),
            work_end: "18:00".into(),
        }
    }

    fn draft() -> MeetingDraft {
        MeetingDraft {
            held_on: "2026-11-20".into(),
            starts_at: "19:00".into(),
            ends_at: "21:00".into(),
            kind: "regular".into(),
            place: "구청 3층 회의실".into(),
            topic: "민원 처리 절차 개선".into(),
            attendees: vec!["e1".into()],
            ..Default::default()
        }
    }

    fn field_of(draft: MeetingDraft) -> String {
        match draft.validate(&rules()).unwrap_err() {
            AppError::Validation { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_meeting_validates() {
        let input = draft().validate(&rules()).unwrap();
        assert_eq!(input.columns.kind, "regular");
        assert_eq!(input.advisor, None);
        let with_advisor = MeetingDraft {
            advisor_name: Some("김교수".into()),
            advisor_fee: Some(150_000),
            ..draft()
        };
        assert_eq!(
            with_advisor.validate(&rules()).unwrap().advisor,
            Some(("김교수".into(), 150_000))
        );
    }

    #[test]
    fn each_rule_names_its_field() {
        assert_eq!(
            field_of(MeetingDraft {
                ends_at: "18:00".into(),
                ..draft()
            }),
            "ends_at"
        );
        assert_eq!(
            field_of(MeetingDraft {
                starts_at: "09:00".into(),
                ends_at: "17:01".into(),
                ..draft()
            }),
            "ends_at"
        );
        assert_eq!(
            field_of(MeetingDraft {
                held_on: "2026-13-01".into(),
                ..draft()
            }),
            "held_on"
        );
        assert_eq!(
            field_of(MeetingDraft {
                kind: "weekly".into(),
                ..draft()
            }),
            "kind"
        );
        assert_eq!(
            field_of(MeetingDraft {
                topic: " ".into(),
                ..draft()
            }),
            "topic"
        );
        assert_eq!(
            field_of(MeetingDraft {
                inside_work_hours: true,
                ..draft()
            }),
            "inside_reason"
        );
        assert_eq!(
            field_of(MeetingDraft {
                advisor_fee: Some(100_000),
                ..draft()
            }),
            "advisor_name"
        );
        assert_eq!(
            field_of(MeetingDraft {
                books: vec![BookDraft {
                    title: "책".into(),
                    price: -1
                }],
                ..draft()
            }),
            "books"
        );
    }

    #[test]
    fn eight_hours_is_the_longest_meeting() {
        let ok = MeetingDraft {
            held_on: "2026-11-21".into(),
            starts_at: "09:00".into(),
            ends_at: "17:00".into(),
            ..draft()
        };
        assert!(ok.validate(&rules()).is_ok());
    }

    #[test]
    fn a_weekday_meeting_in_working_hours_needs_a_reason() {
        // Friday 10:00–11:00: inside; the reason is asked for, then kept.
        let daytime = MeetingDraft {
            starts_at: "10:00".into(),
            ends_at: "11:00".into(),
            ..draft()
        };
        assert_eq!(field_of(daytime.clone()), "inside_reason");
        let with_reason = MeetingDraft {
            inside_reason: Some("부서 학습 시간 활용".into()),
            ..daytime
        };
        let input = with_reason.validate(&rules()).unwrap();
        assert!(input.columns.inside_work_hours);
        // 18:00 on: outside; a Saturday: outside; 17:30–19:00 overlaps.
        let friday = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let saturday = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        assert!(!overlaps_work_hours(
            friday,
            t("18:00"),
            t("20:00"),
            &rules()
        ));
        assert!(!overlaps_work_hours(
            saturday,
            t("10:00"),
            t("12:00"),
            &rules()
        ));
        assert!(overlaps_work_hours(
            friday,
            t("17:30"),
            t("19:00"),
            &rules()
        ));
        assert!(!overlaps_work_hours(
            friday,
            t("07:00"),
            t("09:00"),
            &rules()
        ));
        assert!(
            !draft()
                .validate(&rules())
                .unwrap()
                .columns
                .inside_work_hours
        );
    }

    #[test]
    fn a_meeting_has_someone_present() {
        assert_eq!(
            field_of(MeetingDraft {
                attendees: vec![" ".into()],
                ..draft()
            }),
            "attendees"
        );
    }
}
