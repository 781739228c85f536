//! The evaluation as a browser sees it: opening a round on the form, the
//! president's report, the evaluator's sheet, confirmation, the results
//! page and the exports.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use dongari::clock::{Clock, FixedClock};
use dongari::org::model::Role;

use crate::helpers::{Backend, TestApp, PASSWORD};

fn at(day: u32) -> chrono::DateTime<chrono::Utc> {
    FixedClock::at_seoul(2026, 12, day, 10, 0, 0).now()
}

#[actix_web::test]
async fn a_round_on_the_pages_from_the_form_to_the_exports() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.employee("9000001")
        .name("박총무")
        .role(Role::Admin)
        .create();
    app.employee("9100001")
        .name("정평가")
        .role(Role::Evaluator)
        .create();
    let second = app
        .employee("9100002")
        .name("최평가")
        .role(Role::Evaluator)
        .create();
    let president = app.employee("2015001").name("김회장").create();
    let member = app.employee("2015002").name("이회원").create();
    let club = app
        .club("민원혁신 연구회", &president)
        .formed(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap())
        .member(&member)
        .create();

    let admin = app.browser();
    admin.log_in("9000001", PASSWORD).await;
    let form = admin.get("/evaluation/new").await.text();
    assert!(
        form.contains(r#"value="2026H2""#) && form.contains(r#"value="500000""#),
        "defaults"
    );
    let mut fields: Vec<(&str, &str)> = vec![
        ("half", "2026H2"),
        ("title", ""),
        ("submit_from", "2026-12-01"),
        ("submit_until", "2026-12-10"),
        ("score_from", "2026-12-11"),
        ("score_until", "2026-12-20"),
        ("evaluators", "9100001"),
        ("combination", "mean"),
        ("trim_min_evaluators", "5"),
        ("evaluators_per_club", "0"),
        ("rubric_name_0", "연구 성과"),
        ("rubric_weight_0", "60"),
        ("rubric_max_0", "10"),
        ("rubric_name_1", "참여도"),
        ("rubric_weight_1", "40"),
        ("rubric_max_1", "5"),
        ("winners_grand", "1"),
        ("amount_grand", "500,000"),
        ("winners_excellent", "2"),
        ("amount_excellent", "300000"),
        ("winners_encouragement", "3"),
        ("amount_encouragement", "200000"),
    ];
    fields[6] = ("evaluators", "2015001");
    let refused = admin.post_form("/evaluation/new", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains(r#"id="evaluators-error""#));
    assert!(
        refused.text().contains(r#"value="연구 성과""#),
        "input kept"
    );
    // The office's evaluators are offered ticked; this round takes one.
    assert!(
        form.contains(r#"name="evaluator_9100001" checked"#) && form.contains("최평가 (9100002)")
    );
    fields[6] = ("evaluator_9100001", "on");
    fields.push(("evaluators_listed", "1"));
    let opened = admin.post_form("/evaluation/new", &fields).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.text());
    let location = opened.header("location").unwrap().to_string();
    let page = admin.get(&location).await.text();
    assert!(page.contains("2026년 하반기 학습동아리 성과 평가") && page.contains("동점 처리 기준"));
    assert!(
        page.contains("평가를 열었습니다"),
        "the opening is acknowledged"
    );
    let round = location.split('?').next().unwrap().to_string();

    app.clock.set(at(3));
    let boss = app.browser();
    boss.log_in("2015001", PASSWORD).await;
    assert!(boss
        .get(&round)
        .await
        .text()
        .contains("내 동아리 성과보고서"));
    let report = format!("{round}/clubs/{}/report", club.id);
    let empty = boss
        .post_form(
            &report,
            &[
                ("study_task", "민원 단축"),
                ("activities", ""),
                ("outcomes", ""),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.text().contains(r#"id="activities-error""#) && empty.text().contains("민원 단축")
    );
    let sent = boss
        .post_form(
            &report,
            &[
                ("study_task", "민원 단축"),
                ("activities", "정기모임 6회"),
                ("outcomes", "처리 기간 20% 단축"),
                ("proposals", ""),
                ("links", "https://example.go.kr/a.pdf"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);

    // The administrator puts a second evaluator on the club, then takes
    // them off again; a member of the club cannot be put on it.
    admin.log_in("9000001", PASSWORD).await;
    let reassign = format!("{round}/reassign");
    let added = admin
        .post_form(
            &reassign,
            &[
                ("club_id", club.id.as_str()),
                ("remove", ""),
                ("add", "9100002"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert!(admin.get(&round).await.text().contains("최평가 …"));
    let member_added = admin
        .post_form(
            &reassign,
            &[
                ("club_id", club.id.as_str()),
                ("remove", ""),
                ("add", "2015002"),
            ],
        )
        .await;
    assert_eq!(member_added.status, StatusCode::UNPROCESSABLE_ENTITY);
    let removed = admin
        .post_form(
            &reassign,
            &[
                ("club_id", club.id.as_str()),
                ("remove", second.id.as_str()),
                ("add", ""),
            ],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(!admin.get(&round).await.text().contains("최평가 …"));

    app.clock.set(at(12));
    let evaluator = app.browser();
    evaluator.log_in("9100001", PASSWORD).await;
    let sheet_url = format!("{round}/clubs/{}/score", club.id);
    let sheet = evaluator.get(&sheet_url).await.text();
    assert!(sheet.contains("처리 기간 20% 단축"));
    let names: Vec<String> = sheet
        .match_indices("name=\"points.")
        .map(|(i, _)| {
            let rest = &sheet[i + 6..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect();
    assert_eq!(names.len(), 2);
    let too_high = evaluator
        .post_form(
            &sheet_url,
            &[
                (names[0].as_str(), "10"),
                (names[1].as_str(), "6"),
                ("comment", ""),
            ],
        )
        .await;
    assert_eq!(too_high.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_high.text().contains("0에서 5점 사이"));
    let halves = evaluator
        .post_form(
            &sheet_url,
            &[
                (names[0].as_str(), "7.5"),
                (names[1].as_str(), "4.5"),
                ("comment", ""),
            ],
        )
        .await;
    assert_eq!(halves.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = halves.text();
    assert!(
        text.contains("소수점 없는 정수로 입력하세요 (입력값 &#x27;7.5&#x27;)")
            && text.contains("(입력값 &#x27;4.5&#x27;)"),
        "both fields named, whole points asked for: {text}"
    );
    let scored = evaluator
        .post_form(
            &sheet_url,
            &[
                (names[0].as_str(), "9"),
                (names[1].as_str(), "5"),
                ("comment", "좋음"),
            ],
        )
        .await;
    assert_eq!(scored.status, StatusCode::SEE_OTHER);
    let after = evaluator
        .get(scored.header("location").unwrap())
        .await
        .text();
    assert!(
        after.contains("채점을 저장했습니다"),
        "the save is acknowledged"
    );
    // 60·9/10 + 40·5/5 = 94
    // Sessions last an hour: log in again after moving the clock.
    app.clock.set(at(21));
    admin.log_in("9000001", PASSWORD).await;
    boss.log_in("2015001", PASSWORD).await;
    let standings = admin.get(&round).await.text();
    assert!(standings.contains("94.00") && standings.contains("결과 확정"));
    let confirmed = admin
        .post_form(
            &format!("{round}/confirm"),
            &[("awards", ""), ("reason", "")],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);

    let results = format!("{round}/results");
    let seen = boss.get(&results).await.text();
    assert!(
        seen.contains("최우수")
            && seen.contains("민원혁신 연구회")
            && seen.contains("추천 2명 남음")
    );
    // The club's members of the half are offered by name.
    assert!(
        seen.contains(r#"<option value="2015002">이회원 (2015002)</option>"#),
        "{seen}"
    );
    let recommended = boss
        .post_form(
            &format!("{round}/clubs/{}/contributors", club.id),
            &[("employee_no", "2015002"), ("reason", "자료 조사")],
        )
        .await;
    assert_eq!(recommended.status, StatusCode::SEE_OTHER);
    assert!(boss
        .get(&results)
        .await
        .text()
        .contains("이회원 (2015002) · 특별휴가 1일"));
    assert!(
        !boss
            .get(&results)
            .await
            .text()
            .contains(r#"<option value="2015002">"#),
        "someone recommended is not offered again"
    );

    // HR exports: administrators only.
    assert_eq!(
        boss.get(&format!("{round}/export/prizes.csv")).await.status,
        StatusCode::FORBIDDEN
    );
    let csv = admin.get(&format!("{round}/export/prizes.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text().starts_with("\u{feff}등급,동아리,순위,종합 점수,포상금(원),제안 등급\r\n최우수,민원혁신 연구회,1,94.00,500000,\r\n"));
    let overseas = admin
        .get(&format!("{round}/export/overseas.csv"))
        .await
        .text();
    assert!(overseas.contains("김회장") && overseas.contains("이회원"));
    let xlsx = admin.get(&format!("{round}/export.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    check_workbook(&xlsx.body);
}

/// Opens the workbook with Python's zipfile (which checks every CRC) and,
/// when installed, with openpyxl as a spreadsheet program would.
fn check_workbook(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let script = r#"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
assert "xl/worksheets/sheet4.xml" in names, names
try:
    import openpyxl
except ImportError:
    print("openpyxl not installed: zip structure checked only")
    sys.exit(0)
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["순위", "시상", "활동 최고 기여자", "해외연수 추천"], wb.sheetnames
prizes = wb["시상"]
assert prizes["B2"].value == "민원혁신 연구회", prizes["B2"].value
assert prizes["E2"].value == 500000, prizes["E2"].value
import datetime
submitted = wb["순위"]["G2"].value
assert isinstance(submitted, datetime.datetime), repr(submitted)
"#;
    match std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => eprintln!("python3 not found: the workbook was not opened"),
    }
}
