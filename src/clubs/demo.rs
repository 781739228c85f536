//! The demo's clubs, like Jung-gu's in 2015: 11 department clubs with 112
//! members and 2 integrated clubs with 24, formed in February, with a
//! year of monthly meetings, attendance, study tasks and board posts.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::board::{self, PostDraft};
use super::model::{self, ClubColumns, ClubStatus, MeetingColumns, MeetingKind, MemberRole};
use super::service::ClubAccess;
use crate::clock::HalfYear;
use crate::db::schema::{departments, employees};
use crate::db::DbConn;
use crate::error::AppResult;
use diesel::prelude::*;

struct DemoClub {
    name: &'static str,
    /// The 국·소 code for a department club; None for an integrated club.
    division: Option<&'static str>,
    field: &'static str,
    members: usize,
    description: &'static str,
    topics: &'static [&'static str],
}

const CLUBS: &[DemoClub] = &[
    DemoClub {
        name: "재정혁신 연구회",
        division: Some("1000"),
        field: "budget",
        members: 10,
        description: "세출 구조를 분석해 예산 낭비 요인을 찾습니다.",
        topics: &[
            "세출 구조 분석",
            "유사 사업 통폐합 사례",
            "성과주의 예산 도입",
            "민간위탁 사업 원가 분석",
            "지방재정 365 데이터 읽기",
        ],
    },
    DemoClub {
        name: "세외수입 발굴단",
        division: Some("1000"),
        field: "budget",
        members: 11,
        description: "체납액 징수와 새로운 세외수입원을 연구합니다.",
        topics: &[
            "체납 징수 우수 사례",
            "공유재산 사용료 현실화",
            "과태료 부과 체계 점검",
            "주차 수입 분석",
        ],
    },
    DemoClub {
        name: "스마트 민원 연구회",
        division: Some("2000"),
        field: "resident_convenience",
        members: 10,
        description: "민원 처리 기간을 줄이는 방법을 찾습니다.",
        topics: &[
            "민원 처리 절차 개선",
            "전자민원 이용률 높이기",
            "무인민원발급기 배치",
            "민원 응대 매뉴얼 점검",
            "고령자 디지털 민원 지원",
        ],
    },
    DemoClub {
        name: "규제혁신 아이디어 모임",
        division: Some("2000"),
        field: "work_improvement",
        members: 9,
        description: "불필요한 자치법규와 내부 규정을 정비합니다.",
        topics: &[
            "자치법규 일제 정비",
            "내부 결재 단계 줄이기",
            "규제 샌드박스 사례",
            "조례 입법예고 절차",
        ],
    },
    DemoClub {
        name: "문화도시 중구 연구회",
        division: Some("2000"),
        field: "district_issues",
        members: 11,
        description: "중구의 역사·문화 자원을 활용한 도시 브랜드를 연구합니다.",
        topics: &[
            "정동길 문화자원 조사",
            "축제 운영 개선",
            "문화시설 이용 분석",
            "관광 안내 체계 개선",
        ],
    },
    DemoClub {
        name: "복지사각지대 해소 연구회",
        division: Some("3000"),
        field: "district_issues",
        members: 10,
        description: "위기 가구를 먼저 찾아내는 방법을 연구합니다.",
        topics: &[
            "위기가구 발굴 체계",
            "고독사 예방 사례",
            "찾아가는 복지 상담",
            "복지 자원 연계 지도",
        ],
    },
    DemoClub {
        name: "안전한 도로 연구회",
        division: Some("3000"),
        field: "resident_convenience",
        members: 10,
        description: "보행 안전과 도로 유지관리를 연구합니다.",
        topics: &[
            "보도 파손 신고 처리",
            "어린이 보호구역 점검",
            "겨울철 제설 대응",
            "공사장 보행 안전",
        ],
    },
    DemoClub {
        name: "도심재생 연구회",
        division: Some("4000"),
        field: "district_issues",
        members: 11,
        description: "노후 도심의 재생 방안을 연구합니다.",
        topics: &[
            "도시재생 뉴딜 사례",
            "빈집 활용 방안",
            "골목상권 활성화",
            "주민 참여형 계획 수립",
        ],
    },
    DemoClub {
        name: "교통약자 이동편의 연구회",
        division: Some("4000"),
        field: "resident_convenience",
        members: 10,
        description: "교통약자가 다니기 편한 중구를 만듭니다.",
        topics: &[
            "저상버스 정류장 점검",
            "보행 신호 시간 분석",
            "장애인 주차구역 관리",
            "마을버스 노선 개선",
        ],
    },
    DemoClub {
        name: "건강도시 중구 연구회",
        division: Some("5000"),
        field: "resident_convenience",
        members: 10,
        description: "주민 건강 증진 사업을 연구합니다.",
        topics: &[
            "걷기 좋은 길 조성",
            "금연 구역 관리",
            "건강 취약계층 방문 건강관리",
            "정신건강 상담 연계",
        ],
    },
    DemoClub {
        name: "감염병 대응 연구회",
        division: Some("5000"),
        field: "work_improvement",
        members: 10,
        description: "감염병 대응 절차를 점검하고 개선합니다.",
        topics: &[
            "역학조사 절차 점검",
            "선별진료 운영 개선",
            "예방접종 안내 체계",
            "감염병 위기 소통",
        ],
    },
    DemoClub {
        name: "창의학습 통합동아리 '다산'",
        division: None,
        field: "work_improvement",
        members: 12,
        description: "구청과 보건소 직원이 함께 업무 혁신 아이디어를 나눕니다.",
        topics: &[
            "업무 자동화 사례",
            "공공데이터 활용",
            "협업 도구 도입",
            "보고서 쉽게 쓰기",
            "디자인 씽킹 실습",
        ],
    },
    DemoClub {
        name: "중구 미래비전 통합동아리",
        division: None,
        field: "district_issues",
        members: 12,
        description: "중구의 10년 뒤를 그려 보는 부서 통합 동아리입니다.",
        topics: &[
            "인구 구조 변화와 행정 수요",
            "탄소중립 도시",
            "스마트시티 사례",
            "주민 참여 예산",
        ],
    },
];

/// (clubs, members) created.
pub fn load(
    conn: &mut DbConn,
    settings: &crate::config::Settings,
    reactions: &crate::reactions::Reactions,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(usize, usize)> {
    let org_id = crate::org::demo::organization(conn)?.id;
    // Every employee, with their 국·소, by employee number.
    let staff: Vec<(String, String, Option<String>)> = employees::table
        .left_join(departments::table)
        .filter(employees::employee_no.like("2015%"))
        .order(employees::employee_no.asc())
        .select((
            employees::id,
            employees::employee_no,
            departments::parent_id.nullable(),
        ))
        .load::<(String, String, Option<String>)>(conn)?;
    let division_ids: Vec<(String, String)> = departments::table
        .filter(departments::parent_id.is_null())
        .select((departments::code, departments::id))
        .load(conn)?;
    let division_of = |code: &str| {
        division_ids
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, id)| id.clone())
    };

    let mut seed: u64 = 136;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let first_month = (today - Months::new(11))
        .with_day(1)
        .expect("first of month");
    let formed = first_month - Months::new(1);
    let mut taken: Vec<bool> = vec![false; staff.len()];
    let mut member_total = 0;

    for (index, spec) in CLUBS.iter().enumerate() {
        let division = spec.division.and_then(division_of);
        let home = match spec.division {
            Some(code) => Some(
                departments::table
                    .filter(departments::code.eq(code))
                    .select(departments::id)
                    .first::<String>(conn)?,
            ),
            None => None,
        };
        let picked: Vec<usize> = (0..staff.len())
            .filter(|i| !taken[*i] && (division.is_none() || staff[*i].2 == division))
            .take(spec.members)
            .collect();
        for i in &picked {
            taken[*i] = true;
        }
        member_total += picked.len();
        let start = NaiveTime::from_hms_opt(
            if index % 3 == 0 { 18 } else { 19 },
            if index % 3 == 0 { 30 } else { 0 },
            0,
        )
        .expect("time");
        let end = start + chrono::Duration::hours(2);
        let columns = ClubColumns {
            name: spec.name.into(),
            kind: if spec.division.is_some() {
                "department"
            } else {
                "integrated"
            }
            .into(),
            home_department_id: home,
            field: spec.field.into(),
            description: spec.description.into(),
            usual_start: Some(start),
            usual_end: Some(end),
            usual_place: Some(format!("구청 {}층 소회의실", 2 + index % 5)),
        };
        // Formed in February like the plan's clubs, not today.
        let club_id = model::insert_club(
            conn,
            &org_id,
            &columns,
            ClubStatus::Active,
            None,
            formed,
            now,
        )?;
        for (n, i) in picked.iter().enumerate() {
            let role = if n == 0 {
                MemberRole::President
            } else {
                MemberRole::Member
            };
            model::insert_membership(conn, &club_id, &staff[*i].0, role, formed, now)?;
        }
        let president = &staff[picked[0]].0;
        let half = HalfYear::containing(today).to_string();
        model::save_study_task(
            conn,
            &club_id,
            &half,
            spec.topics[0],
            spec.description,
            president,
            now,
        )?;
        let access = ClubAccess {
            club: model::club_by_id(conn, &club_id)?,
            membership: model::open_membership(conn, &club_id, president)?,
            is_admin: false,
            employee_id: president.clone(),
        };
        let post = PostDraft {
            title: format!("{} — 학습 결과 정리", spec.topics[0]),
            body: format!(
                "{}\n\n모임에서 나온 내용을 정리했습니다. 의견을 댓글로 남겨 주세요.",
                spec.description
            ),
            links: vec![],
        };
        board::create_post(conn, settings, reactions, &access, &post, now)?;

        // One regular meeting a month, on a weekday near the middle; now
        // and then an ad hoc one, an advisor or books.
        let mut month = first_month;
        let mut topic = 0;
        while month <= today {
            let mut day = month.with_day(8 + (index as u32 % 10)).expect("day");
            while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                day = day.succ_opt().expect("next day");
            }
            for kind in [MeetingKind::Regular, MeetingKind::AdHoc] {
                let held_on = if kind == MeetingKind::Regular {
                    day
                } else {
                    day + chrono::Duration::days(14)
                };
                if held_on >= today || (kind == MeetingKind::AdHoc && next(4) != 0) {
                    continue;
                }
                let columns = MeetingColumns {
                    held_on,
                    starts_at: start,
                    ends_at: if kind == MeetingKind::Regular {
                        end
                    } else {
                        start + chrono::Duration::minutes(90)
                    },
                    kind: kind.code().into(),
                    place: columns.usual_place.clone().unwrap_or_default(),
                    topic: spec.topics[topic % spec.topics.len()].into(),
                    notes: String::new(),
                    inside_work_hours: false,
                    inside_reason: None,
                };
                topic += 1;
                let meeting_id = model::insert_meeting(conn, &club_id, &columns, president, now)?;
                let attendees: Vec<String> = picked
                    .iter()
                    .filter(|_| next(10) < 8)
                    .map(|i| staff[*i].0.clone())
                    .collect();
                let advisor = (next(6) == 0).then(|| ("김자문 교수".to_string(), 150_000));
                let books = if next(5) == 0 {
                    vec![(
                        format!("{} 관련 도서", columns.topic),
                        18_000 + 1_000 * next(10) as i32,
                    )]
                } else {
                    vec![]
                };
                model::add_meeting_details(
                    conn,
                    &meeting_id,
                    &attendees,
                    advisor.as_ref(),
                    &books,
                )?;
                let event = super::service::meeting_event(&org_id, &club_id, &meeting_id, held_on);
                // Credited that evening, as if logged then: the demo's
                // boards have past months (and December 2025) to show.
                let logged = held_on.and_hms_opt(11, 0, 0).expect("a time").min(now);
                crate::mileage::earning::earn_all(conn, settings, &event, &attendees, logged)?;
            }
            month = month + Months::new(1);
        }
    }
    Ok((CLUBS.len(), member_total))
}
