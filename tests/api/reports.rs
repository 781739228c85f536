use actix_web::http::StatusCode;
use chrono::Duration;
use dongari::clock::Clock;
use dongari::mail::outbox;
use dongari::org::model::Employee;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, TestClub};

both_backends!(
    a_report_answers_before_it_exists_and_submits_on_time_or_late,
    amendments_keep_history_and_the_original_lateness,
    the_sweep_marks_missing_once_and_reminders_go_out_once,
    members_get_a_copy_when_the_rules_say_so,
);

struct Setup {
    app: TestApp,
    club: TestClub,
    member: Employee,
}

async fn setup(backend: Backend) -> Setup {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    let president = app.employee("2015001").name("김회장").create();
    let member = app.employee("2015002").name("이회원").create();
    // Formed before March, so every month since needs a report; in 총무과
    // (2010), under 행정관리국 (2000).
    let club = app
        .club("민원혁신 연구회", &president)
        .department("2010")
        .formed(chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap())
        .member(&member)
        .create();
    Setup { app, club, member }
}

impl Setup {
    /// The president's token, issued at the current (moving) clock.
    fn token(&self) -> String {
        self.app.token_for(&self.club.president)
    }

    fn url(&self, rest: &str) -> String {
        format!("/api/v1/clubs/{}{rest}", self.club.id)
    }

    async fn get(&self, rest: &str) -> Value {
        self.app
            .get(&self.url(rest), Some(&self.token()))
            .await
            .json()
    }

    async fn write(&self, month: &str, text: &str) {
        let res = self
            .app
            .put_json(
                &self.url(&format!("/reports/{month}")),
                &json!({ "narrative": text }),
                Some(&self.token()),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }

    async fn submit(&self, month: &str, body: Value) -> crate::helpers::TestResponse {
        self.app
            .post_json(
                &self.url(&format!("/reports/{month}/submit")),
                &body,
                Some(&self.token()),
            )
            .await
    }
}

async fn a_report_answers_before_it_exists_and_submits_on_time_or_late(backend: Backend) {
    let s = setup(backend).await;
    let app = &s.app;

    let nov = s.get("/reports/2026-11").await;
    assert_eq!(nov["status"], "not_started");
    assert_eq!(nov["due_at"], "2026-12-05T23:59:59+09:00");
    assert_eq!(nov["submitted_at"], Value::Null);
    // October was due 5 November: missing now.
    assert_eq!(s.get("/reports/2026-10").await["status"], "missing");
    // Not reporting months, or not begun: a clear 422.
    for bad in ["2026-02", "2026-12", "2026-13"] {
        let res = app
            .get(&s.url(&format!("/reports/{bad}")), Some(&s.token()))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(res.json()["field"], "month");
    }

    // The draft is made from the month's meetings.
    let meeting = json!({ "held_on": "2026-11-11", "starts_at": "19:00", "ends_at": "21:00", "kind": "regular",
                          "place": "3층", "topic": "민원 절차 개선", "attendees": [s.member.id] });
    assert_eq!(
        app.post_json(&s.url("/meetings"), &meeting, Some(&s.token()))
            .await
            .status,
        StatusCode::CREATED
    );
    let draft = s.get("/reports/2026-11").await;
    assert_eq!(draft["activity"]["meeting_count"], 1);
    assert_eq!(draft["activity"]["meetings"][0]["attendees"][0], "이회원");

    // Submitting needs text; the member may not submit.
    assert_eq!(
        s.submit("2026-11", json!({})).await.json()["field"],
        "narrative"
    );
    s.write("2026-11", "민원 처리 절차를 점검했습니다.").await;
    assert_eq!(s.get("/reports/2026-11").await["status"], "draft");
    let member_token = app.token_for(&s.member);
    let res = app
        .post_json(
            &s.url("/reports/2026-11/submit"),
            &json!({}),
            Some(&member_token),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // 23:59:59 on 5 December is on time.
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-05T23:59:59+09:00")
            .unwrap()
            .into(),
    );
    let res = s.submit("2026-11", json!({})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let report = res.json();
    assert_eq!(
        (report["status"].as_str(), report["late"].as_bool()),
        (Some("submitted"), Some(false))
    );
    assert_eq!(report["submitted_at"], "2026-12-05T23:59:59+09:00");

    // The submitted month's meetings are locked.
    let locked = app.post_json(&s.url("/meetings"), &json!({ "held_on": "2026-11-20", "starts_at": "19:00", "ends_at": "20:00", "kind": "ad_hoc", "place": "x", "topic": "y", "attendees": [s.member.id] }), Some(&s.token())).await;
    assert_eq!(locked.status, StatusCode::CONFLICT);

    // October, submitted now, is late — a minute past midnight would be too.
    s.write("2026-10", "10월 활동").await;
    app.clock.advance(Duration::seconds(1));
    let october = s.submit("2026-10", json!({})).await.json();
    assert_eq!(
        (october["status"].as_str(), october["late"].as_bool()),
        (Some("submitted"), Some(true))
    );

    let list = s.get("/reports").await;
    let months: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["month"].as_str().unwrap())
        .collect();
    assert_eq!(&months[..3], ["2026-12", "2026-11", "2026-10"]);
    // Each month of the list says what its own page says.
    let item = |month: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["month"] == month)
            .unwrap()
            .clone()
    };
    let (nov, oct) = (item("2026-11"), item("2026-10"));
    assert_eq!(
        (nov["status"].as_str(), nov["late"].as_bool()),
        (Some("submitted"), Some(false))
    );
    assert_eq!(nov["submitted_at"], "2026-12-05T23:59:59+09:00");
    assert_eq!(nov["due_at"], "2026-12-05T23:59:59+09:00");
    assert_eq!(
        (oct["status"].as_str(), oct["late"].as_bool()),
        (Some("submitted"), Some(true))
    );
    assert_eq!(item("2026-12")["status"], "not_started");
    assert_eq!(item("2026-12")["submitted_at"], Value::Null);
}

async fn amendments_keep_history_and_the_original_lateness(backend: Backend) {
    let s = setup(backend).await;
    s.write("2026-10", "첫 판").await;
    assert_eq!(s.submit("2026-10", json!({})).await.json()["late"], true);

    s.write("2026-10", "고친 판").await;
    let no_reason = s.submit("2026-10", json!({})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.json()["field"], "amendment_reason");
    let amended = s
        .submit("2026-10", json!({ "amendment_reason": "참석자 누락 정정" }))
        .await
        .json();
    let versions = amended["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["narrative"], "첫 판");
    assert_eq!(versions[1]["narrative"], "고친 판");
    assert_eq!(versions[1]["amendment_reason"], "참석자 누락 정정");
    assert_eq!(
        (versions[1]["late"].as_bool(), amended["late"].as_bool()),
        (Some(true), Some(true)),
        "lateness is kept"
    );
    let trail = s.app.db(|c| {
        let report = dongari::reports::model::report_for(c, &s.club.id, "2026-10")
            .unwrap()
            .unwrap();
        dongari::audit::for_subject(c, &report.id).unwrap()
    });
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["report.submit", "report.amend"]);
}

async fn the_sweep_marks_missing_once_and_reminders_go_out_once(backend: Backend) {
    let s = setup(backend).await;
    let app = &s.app;
    app.employee("2015009")
        .name("박담당")
        .coordinator_of("2000")
        .create();

    // 23 November: March–October are past due and missing; November is not yet.
    let first = app.run_jobs();
    assert_eq!(first.marked_missing, 8, "{first:?}");
    assert_eq!(
        app.run_jobs().marked_missing,
        0,
        "a second run marks nothing"
    );

    // 1 December, 09:00: the first reminder to the president, once.
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    let report = app.run_jobs();
    assert_eq!(
        (report.reminders_queued, report.mails_sent),
        (1, 1),
        "{report:?}"
    );
    let mail = app.state.mailer.delivered().pop().unwrap();
    assert_eq!(mail.to, "2015001@junggu.example.go.kr");
    assert!(
        mail.subject.contains("민원혁신 연구회") && mail.subject.contains("2026년 11월"),
        "{}",
        mail.subject
    );
    assert!(
        mail.text.contains("김회장님") && mail.text.contains("http://dongari.test/clubs/"),
        "{}",
        mail.text
    );
    assert!(mail
        .html
        .contains("민원혁신 연구회의 2026년 11월 월별 활동보고서를"));
    let again = app.run_jobs();
    assert_eq!(
        (again.reminders_queued, again.mails_sent),
        (0, 0),
        "run twice, sent once"
    );

    // 4 December: the second reminder; 6 December: overdue, to the president
    // and a summary to the coordinator.
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-04T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    assert_eq!(app.run_jobs().reminders_queued, 1);
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-06T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    let overdue = app.run_jobs();
    assert_eq!(
        (
            overdue.marked_missing,
            overdue.reminders_queued,
            overdue.mails_sent
        ),
        (1, 2, 2),
        "{overdue:?}"
    );
    let delivered = app.state.mailer.delivered();
    let summary = delivered
        .iter()
        .find(|m| m.to.starts_with("2015009"))
        .expect("coordinator summary");
    assert!(
        summary.subject.contains("행정관리국") && summary.text.contains("민원혁신 연구회"),
        "{}",
        summary.text
    );
    assert_eq!(app.run_jobs(), dongari::jobs::JobReport::default());

    // A club that reported gets no reminder: nothing to say, no mail.
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-20T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    s.write("2026-11", "늦었지만 제출").await;
    s.submit("2026-11", json!({})).await;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2027-01-01T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    s.write("2026-12", "12월").await;
    s.submit("2026-12", json!({})).await;
    assert_eq!(app.run_jobs().reminders_queued, 0);
}

/// `copy_members`: the reminder goes to every current member, president
/// first; without it (the other test) only to the president.
async fn members_get_a_copy_when_the_rules_say_so(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("DONGARI__REPORTS__COPY_MEMBERS", "true")]).await;
    let president = app.employee("2015001").name("김회장").create();
    let member = app.employee("2015002").name("이회원").create();
    let former = app.employee("2015003").name("박전회원").create();
    let club = app
        .club("민원혁신 연구회", &president)
        .formed(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())
        .member(&member)
        .member(&former)
        .create();
    let res = app
        .delete(
            &format!("/api/v1/clubs/{}/members/{}", club.id, former.id),
            Some(&app.token_for(&former)),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    app.clock
        .set(dongari::clock::FixedClock::at_seoul(2026, 12, 1, 9, 0, 0).now());
    let report = app.run_jobs();
    assert_eq!(
        (report.reminders_queued, report.mails_sent),
        (2, 2),
        "{report:?}"
    );
    let mut to: Vec<String> = app
        .state
        .mailer
        .delivered()
        .into_iter()
        .map(|m| m.to)
        .collect();
    to.sort();
    assert_eq!(
        to,
        [
            "2015001@junggu.example.go.kr",
            "2015002@junggu.example.go.kr"
        ]
    );
}

/// Two instances on one PostgreSQL run the jobs at the same moment: every
/// reminder is queued once and every mail delivered once.
#[actix_web::test]
async fn two_instances_never_send_a_reminder_twice() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let s = setup(backend).await;
    let app = &s.app;
    let others: Vec<Employee> = (3..=8)
        .map(|i| app.employee(&format!("201600{i}")).create())
        .collect();
    for (i, president) in others.iter().enumerate() {
        app.club(&format!("연구회 {i}"), president).create();
    }
    let at: chrono::DateTime<chrono::Utc> =
        chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00+09:00")
            .unwrap()
            .into();
    app.clock.set(at);
    let (second, second_clock) = app.second_instance(&[]);
    second_clock.set(at);
    let first = app.state.clone();
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| crate::helpers::run_jobs_on(&first));
        let b = scope.spawn(|| crate::helpers::run_jobs_on(&second));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a.reminders_queued + b.reminders_queued, 7, "{a:?} {b:?}");
    assert_eq!(a.mails_sent + b.mails_sent, 7);
    let delivered = app.state.mailer.delivered().len() + second.mailer.delivered().len();
    assert_eq!(delivered, 7, "each mail delivered by exactly one instance");
    let mails = app.db(|c| outbox::all(c).unwrap());
    assert!(mails.iter().all(|m| m.status == "sent" && m.attempts == 1));
    let _ = Clock::now(&*app.clock);
}

/// While one instance holds the jobs (PostgreSQL's advisory lock), another
/// does nothing at all; once it lets go, the other runs them.
#[actix_web::test]
async fn one_instance_leads_the_jobs_at_a_time() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let s = setup(backend).await;
    let app = &s.app;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-06T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    let mut leader = app.state.pool.get().unwrap();
    assert!(dongari::db::try_lead_jobs(&mut leader).unwrap());
    let (second, _) = app.second_instance(&[]);
    let skipped = crate::helpers::run_jobs_on(&second);
    assert!(skipped.skipped, "{skipped:?}");
    assert_eq!((skipped.marked_missing, skipped.reminders_queued), (0, 0));
    dongari::db::stop_leading_jobs(&mut leader).unwrap();
    let ran = crate::helpers::run_jobs_on(&second);
    assert!(!ran.skipped && ran.marked_missing > 0, "{ran:?}");
}

/// A reminder whose once-only key is already recorded (another instance
/// got there first) is "already sent": the run goes on, mail delivery
/// included, and nothing is sent twice.
async fn a_recorded_reminder_is_already_sent(backend: Backend) {
    let s = setup(backend).await;
    let app = &s.app;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-06T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    let now = app.clock_naive();
    app.db(|c| {
        let key = outbox::OnceKey {
            kind: "overdue",
            period: "2026-11",
            subject: &s.club.id,
        };
        outbox::send_once(c, key, now, |_| Ok(0)).unwrap()
    });
    let report = app.run_jobs();
    assert!(report.marked_missing > 0, "{report:?}");
    assert!(
        app.state
            .mailer
            .delivered()
            .iter()
            .all(|m| !m.to.starts_with(&s.club.president.employee_no)),
        "the president's overdue notice was recorded as sent before"
    );
    assert_eq!(app.run_jobs().reminders_queued, 0);
}

both_backends!(a_recorded_reminder_is_already_sent);

/// A club carries its real formation date: months before it are not
/// reportable anywhere (API, compliance, sweep), and an administrator who
/// moves it earlier, with a reason, makes those months owed.
async fn a_club_owes_reports_from_its_formation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (admin_employee, admin) = app.as_admin().await;
    app.employee("2015001").create();
    let res = app
        .post_json(
            "/api/v1/clubs",
            &json!({ "name": "늦게 만든 연구회", "kind": "integrated", "field": "budget",
                     "president_employee_no": "2015001", "formed_on": "2026-09-15" }),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let club = res.json()["id"].as_str().unwrap().to_string();
    let url = |rest: &str| format!("/api/v1/clubs/{club}{rest}");

    let months: Vec<String> = app.get(&url("/reports"), Some(&admin)).await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(months, ["2026-11", "2026-10", "2026-09"]);
    let res = app
        .put_json(
            &url("/reports/2026-08"),
            &json!({ "narrative": "8월" }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    assert_eq!(res.json()["field"], "month");
    let august = app
        .get("/api/v1/reports/compliance?month=2026-08", Some(&admin))
        .await
        .json();
    assert_eq!(august["rows"].as_array().unwrap().len(), 0, "{august}");
    // The sweep has been through every month past due: it remembers them.
    app.run_jobs();

    // Moving it earlier needs an administrator, a reason, and a day no
    // later than its first member.
    let president = app.token_for(&app.db(|c| {
        dongari::org::model::employee_by_no(c, &app.org, "2015001")
            .unwrap()
            .unwrap()
    }));
    let move_to = |day: &str, reason: &str| json!({ "formed_on": day, "reason": reason });
    let res = app
        .put_json(
            &url("/formation"),
            &move_to("2026-03-02", "실제 결성일"),
            Some(&president),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .put_json(
            &url("/formation"),
            &move_to("2026-03-02", " "),
            Some(&admin),
        )
        .await;
    assert_eq!(res.json()["field"], "reason");
    let res = app
        .put_json(
            &url("/formation"),
            &move_to("2026-10-01", "잘못"),
            Some(&admin),
        )
        .await;
    assert_eq!(
        res.json()["field"],
        "formed_on",
        "after its first member joined"
    );
    let res = app
        .put_json(
            &url("/formation"),
            &move_to("2026-03-02", "실제 결성일"),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["formed_on"], "2026-03-02");
    let res = app
        .put_json(
            &url("/reports/2026-08"),
            &json!({ "narrative": "8월" }),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // The same day: the sweep sees the club owing months it did not owe.
    let report = app.run_jobs();
    assert!(report.marked_missing >= 1, "{report:?}");
    let august = app
        .get("/api/v1/reports/compliance?month=2026-08", Some(&admin))
        .await
        .json();
    assert_eq!(august["rows"][0]["state"], "missing", "{august}");
    assert_eq!(app.run_jobs().marked_missing, 0, "nothing twice");
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-06T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    app.run_jobs();
    let admin = app.token_for(&admin_employee);
    let august = app
        .get("/api/v1/reports/compliance?month=2026-08", Some(&admin))
        .await
        .json();
    assert_eq!(august["rows"][0]["state"], "missing", "{august}");
    let trail = app.db(|c| dongari::audit::for_subject(c, &club).unwrap());
    assert!(trail
        .iter()
        .any(|e| e.action == "club.formed_on" && e.detail.contains("실제 결성일")));
}

both_backends!(
    a_club_owes_reports_from_its_formation,
    the_compliance_view_follows_every_change_at_once,
);

/// The compliance view is kept between requests; a draft, a submission, a
/// new club, a president's or a department's new name and the deadline
/// passing show on the very next request.
async fn the_compliance_view_follows_every_change_at_once(backend: Backend) {
    let s = setup(backend).await;
    let app = &s.app;
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-05T23:59:59+09:00")
            .unwrap()
            .into(),
    );
    let (_, admin) = app.as_admin().await;
    let view = || async {
        app.get("/api/v1/reports/compliance?month=2026-11", Some(&admin))
            .await
            .json()
    };
    let column = |view: &Value, name: &str| {
        view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[name].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let states = || async { column(&view().await, "state") };
    assert_eq!(states().await, ["not_started"]);
    assert_eq!(states().await, ["not_started"], "the same view twice");
    s.write("2026-11", "민원 처리 절차를 점검했습니다.").await;
    assert_eq!(states().await, ["draft"]);
    assert_eq!(s.submit("2026-11", json!({})).await.status, StatusCode::OK);
    assert_eq!(states().await, ["on_time"]);
    let newcomer = app.employee("2015009").create();
    app.club("가장 새 연구회", &newcomer)
        .formed(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap())
        .create();
    assert_eq!(states().await, ["not_started", "on_time"], "by club name");

    app.db(|c| {
        use diesel::prelude::*;
        use dongari::db::schema::{departments, employees};
        diesel::update(employees::table.find(&newcomer.id))
            .set(employees::name.eq("새이름"))
            .execute(c)
            .unwrap();
        diesel::update(departments::table.filter(departments::code.eq("2010")))
            .set(departments::name.eq("총무과 (새 이름)"))
            .execute(c)
            .unwrap()
    });
    let renamed = view().await;
    assert_eq!(column(&renamed, "president"), ["새이름", "김회장"]);
    assert_eq!(column(&renamed, "department")[1], "총무과 (새 이름)");

    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-06T00:00:00+09:00")
            .unwrap()
            .into(),
    );
    assert_eq!(states().await, ["missing", "on_time"], "past the deadline");
}
