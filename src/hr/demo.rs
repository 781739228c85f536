//! The demo's year of courses from the HR learning system, imported as a
//! file would be — so that target progress looks like a real office, some
//! people past their target, most on the way, some behind.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::import::import_hr_hours;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::org::model as org;

/// Courses the demo's people took, with their learning type and hours.
const COURSES: [(&str, &str, &str); 6] = [
    ("기관주관교육", "정책기획 역량 과정", "14"),
    ("사이버교육", "데이터 분석 기초", "6"),
    ("부서학습", "민원 응대 사례 연구", "3"),
    ("직장교육", "청렴 교육", "2"),
    ("사이버교육", "공공 디지털 전환 이해", "10"),
    ("기관주관교육", "예산 실무 과정", "21"),
];

/// The HR lines imported.
pub fn load(
    conn: &mut DbConn,
    settings: &Settings,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let (office, admin) = crate::org::demo::office_and_administrator(conn)?;
    let mut csv = String::from("사원번호,학습유형,과정명,시간,학습일,이력번호\n");
    let mut lines = 0;
    let first_day = NaiveDate::from_ymd_opt(today.year(), 1, 15).expect("a day");
    for (index, person) in org::people_of(conn, &office.id)?.iter().enumerate() {
        // From none to all six courses: a spread from far behind to past the target.
        for (n, (kind, title, hours)) in COURSES.iter().enumerate().take(index % 7) {
            let day = first_day + Duration::days(((index * 13 + n * 41) % 300) as i64);
            if day > today {
                continue;
            }
            lines += 1;
            csv.push_str(&format!(
                "{},{kind},{title},{hours},{day},DEMO-{}-{n}\n",
                person.employee_no, person.employee_no
            ));
        }
    }
    if lines > 0 {
        import_hr_hours(
            conn,
            settings,
            &office.id,
            csv.as_bytes(),
            Some(&admin.id),
            today,
            now,
        )
        .map_err(|e| AppError::Internal(anyhow::anyhow!("demo HR import: {e:?}")))?;
    }
    Ok(lines)
}
