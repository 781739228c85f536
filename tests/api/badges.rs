//! Badges through the API, on both backends: classes and awards by an
//! administrator, once per achievement (also when two race), never to
//! oneself; revocation that takes the badge's vouchers back and tells the
//! person; the public Open Badges 2.0 documents, without a login and
//! without an email; and, when the third-party validators are set up
//! (`../shared/tools/ob-validate`), the hosted assertion and the baked
//! images checked by them over loopback.

use std::path::{Path, PathBuf};
use std::process::Command;

use actix_web::http::StatusCode;
use dongari::org::model::{Employee, Role};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{project_dir, Backend, TestApp};

both_backends!(
    an_administrator_awards_once_and_never_to_themself,
    revoking_takes_the_vouchers_back_and_tells_the_person,
    the_public_documents_need_no_login_and_name_no_email,
    the_owner_chooses_who_sees_a_badge,
    racing_awards_of_one_achievement_make_one,
    regular_meetings_earn_the_attendance_badge_once_a_year,
    a_backfill_gives_the_past_once,
    totals_earn_their_badges_with_the_event,
    the_daily_sweep_gives_what_no_event_checked,
    new_badges_are_mailed_once_unless_revoked_first,
    the_pages_award_share_check_and_revoke,
    a_csv_awards_all_rows_or_none_and_never_twice,
    a_dropped_badge_file_is_checked,
    racing_meetings_that_complete_the_count_give_one_badge,
    an_expired_badge_shows_as_expired,
    a_suspension_comes_and_goes,
    hr_courses_and_certificates_earn_badges_that_go_with_their_line,
);

struct Office {
    app: TestApp,
    admin: Employee,
    admin_token: String,
    member: Employee,
}

async fn office(backend: Backend) -> Office {
    let app = TestApp::spawn(backend).await;
    let admin = app
        .employee("9000001")
        .name("박관리")
        .role(Role::Admin)
        .create();
    let member = app.employee("2016001").name("이회원").create();
    let admin_token = app.token_for(&admin);
    Office {
        app,
        admin,
        admin_token,
        member,
    }
}

impl Office {
    async fn add_class(&self, name: &str, extra: Value) -> Value {
        let mut body = json!({
            "name": name,
            "description": "학습동아리 활동에 꾸준히 참여한 직원",
            "criteria": "한 해 정기 모임에 10회 이상 참석",
            "tags": ["학습동아리", "참여"],
            "alignment_name": "자기개발",
            "alignment_url": "https://competency.example.go.kr/self-development",
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let res = self
            .app
            .post_json("/api/v1/badges/classes", &body, Some(&self.admin_token))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        res.json()
    }

    async fn award(&self, class_id: &str, who: &Employee) -> crate::helpers::TestResponse {
        self.app
            .post_json(
                &format!("/api/v1/badges/classes/{class_id}/awards"),
                &json!({
                    "employee_no": who.employee_no,
                    "narrative": "2026년 정기 모임 12회 참석",
                    "evidence_url": "https://dongari.test/clubs/1/board/7",
                }),
                Some(&self.admin_token),
            )
            .await
    }

    async fn revoke(&self, award: &Value, reason: &str) -> crate::helpers::TestResponse {
        let id = award["id"].as_str().unwrap();
        self.app
            .post_json(
                &format!("/api/v1/badges/awards/{id}/revoke"),
                &json!({ "reason": reason }),
                Some(&self.admin_token),
            )
            .await
    }

    async fn vouchers(&self, who: &Employee) -> i64 {
        let res = self
            .app
            .get("/api/v1/me/vouchers", Some(&self.app.token_for(who)))
            .await;
        res.json()["balance"].as_i64().unwrap()
    }

    /// Imports lines of the HR learning system's CSV.
    async fn import_hr(&self, csv: &str) -> crate::helpers::TestResponse {
        let req = actix_web::test::TestRequest::post()
            .uri("/api/v1/ledger/hr-imports")
            .insert_header(("Content-Type", "text/csv"))
            .set_payload(csv.to_string());
        self.app
            .send(crate::helpers::with_bearer(req, Some(&self.admin_token)))
            .await
    }

    /// A path of the portal from one of its public ids.
    fn path_of(url: &str) -> &str {
        url.strip_prefix("http://dongari.test").unwrap()
    }
}

async fn an_administrator_awards_once_and_never_to_themself(backend: Backend) {
    let o = office(backend).await;
    let class = o
        .add_class("성실 참여", json!({ "valid_months": 12 }))
        .await;
    let id = class["id"].as_str().unwrap();
    assert!(class["image"].as_str().unwrap().ends_with("/image.svg"));
    let again = o
        .app
        .post_json(
            "/api/v1/badges/classes",
            &json!({ "name": "성실 참여", "description": "d", "criteria": "c" }),
            Some(&o.admin_token),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "one name per office");

    let first = o.award(id, &o.member).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let award = first.json();
    assert_eq!(award["status"], "valid");
    assert_eq!(award["public"], false, "private until the owner says");
    assert_eq!(award["issued_at"], "2026-11-23T09:00:00+09:00");
    assert_eq!(award["expires_at"], "2027-11-23T09:00:00+09:00");
    let second = o.award(id, &o.member).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.json()["id"], award["id"], "the standing award");
    assert_eq!(o.vouchers(&o.member).await, 1, "a badge earns one voucher");

    let to_self = o.award(id, &o.admin).await;
    assert_eq!(to_self.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(to_self.json()["field"], "employee");
    let nobody = o
        .app
        .post_json(
            &format!("/api/v1/badges/classes/{id}/awards"),
            &json!({ "employee_no": "0000000" }),
            Some(&o.admin_token),
        )
        .await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nobody.json()["field"], "employee_no");
    let by_member = o
        .app
        .post_json(
            &format!("/api/v1/badges/classes/{id}/awards"),
            &json!({ "employee_no": o.admin.employee_no }),
            Some(&o.app.token_for(&o.member)),
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);

    for (body, field) in [
        (
            json!({ "name": "", "description": "d", "criteria": "c" }),
            "name",
        ),
        (
            json!({ "name": "n", "description": "d", "criteria": "c", "colour": "blue" }),
            "colour",
        ),
        (
            json!({ "name": "n", "description": "d", "criteria": "c", "valid_months": 0 }),
            "valid_months",
        ),
        (
            json!({ "name": "n", "description": "d", "criteria": "c", "rule": "mileage" }),
            "rule_threshold",
        ),
        (
            json!({ "name": "n", "description": "d", "criteria": "c",
                    "image_base64": "PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+" }),
            "image_base64",
        ),
    ] {
        let res = o
            .app
            .post_json("/api/v1/badges/classes", &body, Some(&o.admin_token))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(res.json()["field"], field, "{body}");
    }
    let listed = o
        .app
        .get("/api/v1/badges/classes", Some(&o.app.token_for(&o.member)))
        .await
        .json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "nothing refused was kept"
    );
}

async fn revoking_takes_the_vouchers_back_and_tells_the_person(backend: Backend) {
    let o = office(backend).await;
    let class = o.add_class("우수 발표", json!({})).await;
    let award = o
        .award(class["id"].as_str().unwrap(), &o.member)
        .await
        .json();
    let award_id = award["id"].as_str().unwrap();
    assert_eq!(o.vouchers(&o.member).await, 1);

    let path = format!("/api/v1/badges/awards/{award_id}/revoke");
    let blank = o
        .app
        .post_json(&path, &json!({ "reason": " " }), Some(&o.admin_token))
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(blank.json()["field"], "reason");
    let revoked = o
        .app
        .post_json(
            &path,
            &json!({ "reason": "발표 자료가 다른 사람의 것으로 확인됨" }),
            Some(&o.admin_token),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text());
    assert_eq!(revoked.json()["status"], "revoked");
    assert_eq!(o.vouchers(&o.member).await, 0, "the voucher is taken back");
    let twice = o
        .app
        .post_json(&path, &json!({ "reason": "다시" }), Some(&o.admin_token))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    let mail = o.app.db(|c| dongari::mail::outbox::all(c).unwrap());
    let to_member: Vec<_> = mail
        .iter()
        .filter(|m| m.to_address == o.member.email)
        .collect();
    assert!(
        to_member
            .iter()
            .any(|m| m.subject.contains("배지 취소") && m.body_text.contains("다른 사람의 것")),
        "the person is told why: {to_member:?}"
    );
    // Still on the person's list, as revoked; a new award may follow.
    let mine = o
        .app
        .get("/api/v1/me/badges", Some(&o.app.token_for(&o.member)))
        .await
        .json();
    assert_eq!(mine[0]["status"], "revoked");
    assert_eq!(
        mine[0]["revocation_reason"],
        "발표 자료가 다른 사람의 것으로 확인됨"
    );
    let anew = o.award(class["id"].as_str().unwrap(), &o.member).await;
    assert_eq!(anew.status, StatusCode::CREATED);
    assert_ne!(anew.json()["id"], award["id"]);
}

async fn the_public_documents_need_no_login_and_name_no_email(backend: Backend) {
    let o = office(backend).await;
    let class = o
        .add_class("지식 나눔", json!({ "colour": "#AA3300" }))
        .await;
    let award = o
        .award(class["id"].as_str().unwrap(), &o.member)
        .await
        .json();

    let assertion = o
        .app
        .get(
            Office::path_of(award["links"]["assertion"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(assertion.status, StatusCode::OK);
    assert_eq!(
        assertion.header("content-type"),
        Some("application/ld+json")
    );
    let doc = assertion.json();
    assert_eq!(doc["@context"], "https://w3id.org/openbadges/v2");
    assert_eq!(doc["type"], "Assertion");
    assert_eq!(doc["verification"]["type"], "hosted");
    assert_eq!(doc["recipient"]["hashed"], true);
    assert!(doc["recipient"]["identity"]
        .as_str()
        .unwrap()
        .starts_with("sha256$"));
    assert_eq!(
        doc["evidence"][0]["id"],
        "https://dongari.test/clubs/1/board/7"
    );
    let badge = o
        .app
        .get(Office::path_of(doc["badge"].as_str().unwrap()), None)
        .await
        .json();
    assert_eq!(badge["name"], "지식 나눔");
    assert_eq!(badge["alignment"][0]["targetName"], "자기개발");
    let issuer = o
        .app
        .get(Office::path_of(badge["issuer"].as_str().unwrap()), None)
        .await
        .json();
    assert_eq!(issuer["type"], "Issuer");
    assert_eq!(issuer["email"], "badges@example.org");
    for document in [&assertion.text(), &badge.to_string(), &issuer.to_string()] {
        assert!(!document.contains(&o.member.email), "no email: {document}");
        assert!(!document.contains(&o.member.name), "no name: {document}");
    }
    let image = o
        .app
        .get(Office::path_of(badge["image"].as_str().unwrap()), None)
        .await;
    assert_eq!(image.header("content-type"), Some("image/svg+xml"));
    assert!(image.text().contains("#aa3300"));
    for baked in ["baked_png", "baked_svg"] {
        let res = o
            .app
            .get(
                Office::path_of(award["links"][baked].as_str().unwrap()),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{baked}");
    }

    o.revoke(&award, "잘못 수여함").await;
    let gone = o
        .app
        .get(
            Office::path_of(award["links"]["assertion"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.json()["revoked"], true);
    assert_eq!(gone.json()["revocationReason"], "잘못 수여함");
    let list = o
        .app
        .get(
            Office::path_of(issuer["revocationList"].as_str().unwrap()),
            None,
        )
        .await
        .json();
    assert_eq!(
        list["revokedAssertions"][0]["id"],
        award["links"]["assertion"]
    );
    let unknown = o.app.get("/badges/v2/assertions/nothing-here", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn the_owner_chooses_who_sees_a_badge(backend: Backend) {
    let o = office(backend).await;
    let other = o.app.employee("2017001").create();
    let class = o.add_class("멘토", json!({})).await;
    let award = o
        .award(class["id"].as_str().unwrap(), &o.member)
        .await
        .json();
    let path = format!(
        "/api/v1/me/badges/{}/visibility",
        award["id"].as_str().unwrap()
    );
    let shown = o
        .app
        .put_json(
            &path,
            &json!({ "public": true }),
            Some(&o.app.token_for(&o.member)),
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.json()["public"], true);
    let not_theirs = o
        .app
        .put_json(
            &path,
            &json!({ "public": false }),
            Some(&o.app.token_for(&other)),
        )
        .await;
    assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
    let theirs = o
        .app
        .get("/api/v1/me/badges", Some(&o.app.token_for(&other)))
        .await
        .json();
    assert_eq!(theirs, json!([]));
}

async fn racing_awards_of_one_achievement_make_one(backend: Backend) {
    let o = office(backend).await;
    let class = o.add_class("동시 수여", json!({})).await;
    let class_id = class["id"].as_str().unwrap();
    let answers =
        futures_util::future::join_all((0..8).map(|_| o.award(class_id, &o.member))).await;
    let created = answers
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1);
    assert!(answers
        .iter()
        .all(|r| matches!(r.status, StatusCode::CREATED | StatusCode::OK)));
    assert_eq!(o.vouchers(&o.member).await, 1);
}

/// A club of the office's member, formed at the start of the year, and a
/// way to log its meetings as its president.
struct ClubOf<'a> {
    office: &'a Office,
    id: String,
    president: Employee,
}

impl Office {
    fn club(&self) -> ClubOf<'_> {
        let president = self.app.employee("2015001").name("김회장").create();
        let id = self
            .app
            .club("민원혁신 연구회", &president)
            .member(&self.member)
            .formed(chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap())
            .create()
            .id;
        ClubOf {
            office: self,
            id,
            president,
        }
    }

    async fn badges_of(&self, who: &Employee) -> Vec<Value> {
        let res = self
            .app
            .get("/api/v1/me/badges", Some(&self.app.token_for(who)))
            .await;
        res.json().as_array().unwrap().clone()
    }
}

impl ClubOf<'_> {
    async fn meet(&self, day: &str, kind: &str, attendees: &[&Employee]) {
        let body = json!({
            "held_on": day, "starts_at": "19:00", "ends_at": "21:00",
            "kind": kind, "place": "소회의실", "topic": "민원 사례",
            "attendees": attendees.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        });
        let res = self
            .office
            .app
            .post_json(
                &format!("/api/v1/clubs/{}/meetings", self.id),
                &body,
                Some(&self.office.app.token_for(&self.president)),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
}

async fn regular_meetings_earn_the_attendance_badge_once_a_year(backend: Backend) {
    let o = office(backend).await;
    let club = o.club();
    o.add_class(
        "정기 모임 개근",
        json!({ "rule": "meetings_attended", "rule_threshold": 2 }),
    )
    .await;
    let (member, president) = (&o.member, &club.president);
    club.meet("2026-09-15", "regular", &[member]).await;
    club.meet("2026-10-13", "ad_hoc", &[member, president])
        .await;
    assert!(
        o.badges_of(member).await.is_empty(),
        "one regular meeting, one ad hoc"
    );
    club.meet("2026-10-20", "regular", &[member, president])
        .await;
    let badges = o.badges_of(member).await;
    assert_eq!(badges.len(), 1, "{badges:?}");
    assert_eq!(badges[0]["by_hand"], false);
    assert_eq!(
        badges[0]["narrative"],
        "2026년 학습동아리 정기 모임 2회 참석"
    );
    assert!(
        o.badges_of(president).await.is_empty(),
        "one regular meeting"
    );
    club.meet("2026-11-18", "regular", &[member, president])
        .await;
    assert_eq!(o.badges_of(member).await.len(), 1, "once a year");
    assert_eq!(o.badges_of(president).await.len(), 1);
    assert_eq!(o.vouchers(member).await, 1);
}

async fn a_backfill_gives_the_past_once(backend: Backend) {
    let o = office(backend).await;
    let club = o.club();
    let (member, president) = (&o.member, &club.president);
    club.meet("2026-09-15", "regular", &[member, president])
        .await;
    club.meet("2026-10-20", "regular", &[member]).await;
    let class = o
        .add_class(
            "정기 모임 개근",
            json!({ "rule": "meetings_attended", "rule_threshold": 2 }),
        )
        .await;
    assert!(
        o.badges_of(member).await.is_empty(),
        "a new class gives nothing by itself"
    );
    let path = format!(
        "/api/v1/badges/classes/{}/backfill",
        class["id"].as_str().unwrap()
    );
    let first = o
        .app
        .post_json(&path, &json!({}), Some(&o.admin_token))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!(first.json()["awarded"], 1);
    assert_eq!(o.badges_of(member).await.len(), 1);
    assert!(o.badges_of(president).await.is_empty());
    let again = o
        .app
        .post_json(&path, &json!({}), Some(&o.admin_token))
        .await;
    assert_eq!(again.json()["awarded"], 0, "nothing twice");
}

async fn hr_courses_and_certificates_earn_badges_that_go_with_their_line(backend: Backend) {
    let o = office(backend).await;
    let member = &o.member;
    let course = o
        .add_class(
            "데이터 과정 이수",
            json!({ "rule": "course", "rule_match": "데이터" }),
        )
        .await;
    let certificate = o
        .add_class("자격 취득", json!({ "rule": "certificate" }))
        .await;
    let csv = "사원번호,학습유형,과정명,시간,학습일,이력번호\n\
               2016001,기관주관교육,데이터 분석 과정,14,2026-03-12,HR-1\n\
               2016001,사이버교육,청렴 교육,2,2026-04-01,HR-2\n\
               2016001,자격취득,정보처리기사,10,2026-05-20,HR-3\n";
    for _ in 0..2 {
        let res = o.import_hr(csv).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    let badges = o.badges_of(member).await;
    let mut earned: Vec<(&str, &str)> = badges
        .iter()
        .map(|b| {
            (
                b["badge"]["name"].as_str().unwrap(),
                b["narrative"].as_str().unwrap(),
            )
        })
        .collect();
    earned.sort();
    assert_eq!(
        earned,
        [
            ("데이터 과정 이수", "교육과정 이수: 데이터 분석 과정"),
            ("자격 취득", "자격 취득: 정보처리기사"),
        ],
        "one badge each, the course's words matched, the file imported twice"
    );
    // Courses earn vouchers (3 each by default), a certificate none; each
    // badge earns 1.
    assert_eq!(o.vouchers(member).await, 2 * 3 + 2);

    // The HR system withdraws the course: its line is reversed.
    let ledger = o
        .app
        .get(
            "/api/v1/me/ledger?unit=hours",
            Some(&o.app.token_for(member)),
        )
        .await
        .json();
    let line = ledger["entries"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "데이터 분석 과정")
        .unwrap()["movement_id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = o
        .app
        .post_json(
            &format!("/api/v1/ledger/movements/{line}/reverse"),
            &json!({ "reason": "이수 취소", "idempotency_key": "withdraw-hr-1" }),
            Some(&o.admin_token),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let badges = o.badges_of(member).await;
    let status_of = |name: &str| {
        let b = badges.iter().find(|b| b["badge"]["name"] == name).unwrap();
        (b["status"].clone(), b["revocation_reason"].clone())
    };
    assert_eq!(
        status_of("데이터 과정 이수"),
        (json!("revoked"), json!("인사 학습이력 취소: 이수 취소"))
    );
    assert_eq!(status_of("자격 취득").0, "valid");
    assert_eq!(
        o.vouchers(member).await,
        3 + 1,
        "the course's vouchers go back, and its badge's"
    );

    // A backfill does not give back what the reversed line earned.
    for class in [&course, &certificate] {
        let res = o
            .app
            .post_json(
                &format!(
                    "/api/v1/badges/classes/{}/backfill",
                    class["id"].as_str().unwrap()
                ),
                &json!({}),
                Some(&o.admin_token),
            )
            .await;
        assert_eq!(res.json()["awarded"], 0, "{}", res.text());
    }
}

async fn totals_earn_their_badges_with_the_event(backend: Backend) {
    let o = office(backend).await;
    let club = o.club();
    for (name, points) in [("마일리지 10점", 10), ("마일리지 12점", 12)] {
        o.add_class(name, json!({ "rule": "mileage", "rule_threshold": points }))
            .await;
    }
    // From today a badge earns 2 points: the 10-point badge makes 12.
    let rule = json!({ "activity": "badge", "valid_from": "2026-11-23", "points": 2,
                       "reason": "배지 장려" });
    let res = o
        .app
        .post_json("/api/v1/mileage/rules", &rule, Some(&o.admin_token))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    club.meet("2026-10-20", "regular", &[&o.member]).await;
    assert!(o.badges_of(&o.member).await.is_empty(), "5 points");
    club.meet("2026-11-18", "regular", &[&o.member]).await;
    let mut names: Vec<String> = o
        .badges_of(&o.member)
        .await
        .iter()
        .map(|b| b["narrative"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["누적 마일리지 10점 달성", "누적 마일리지 12점 달성"],
        "the meeting's points, then the badge's, in the meeting's transaction"
    );

    // The year's target (80 h for grade 7) completed by an HR import.
    o.add_class("2026 상시학습 완주", json!({ "rule": "hours_target" }))
        .await;
    let learner = o.app.employee("2019001").grade(Some(7)).create();
    let res = o
        .import_hr(
            "사원번호,학습유형,과정명,시간,학습일\n2019001,사이버교육,행정법 기초,79,2026-06-01\n",
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(o.badges_of(&learner).await.is_empty(), "79 of 80 hours");
    o.import_hr("사원번호,학습유형,과정명,시간,학습일\n2019001,부서학습,민원 응대,1,2026-11-02\n")
        .await;
    let badges = o.badges_of(&learner).await;
    assert_eq!(badges.len(), 1);
    assert_eq!(badges[0]["narrative"], "2026년 상시학습 목표 달성 (80시간)");

    // The daily sweep finds nothing left, and is done for the day.
    assert_eq!(o.app.run_jobs().badges_awarded, 0);
}

async fn new_badges_are_mailed_once_unless_revoked_first(backend: Backend) {
    let o = office(backend).await;
    let other = o.app.employee("2017001").name("박동료").create();
    let class = o.add_class("토론 리더", json!({})).await;
    let class_id = class["id"].as_str().unwrap();
    let res = o.award(class_id, &o.member).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let hasty = o.award(class_id, &other).await.json();
    o.revoke(&hasty, "잘못 수여").await;
    assert_eq!(
        o.app.run_jobs().badge_notices,
        1,
        "the revoked one is not told"
    );
    assert_eq!(o.app.run_jobs().badge_notices, 0, "once");
    let mail = o.app.db(|c| dongari::mail::outbox::all(c).unwrap());
    let told: Vec<_> = mail
        .iter()
        .filter(|m| m.subject.contains("배지를 받았습니다"))
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to_address, o.member.email);
    assert!(told[0].subject.contains("'토론 리더'"));
    assert!(told[0].body_text.contains("2026년 정기 모임 12회 참석"));
    assert!(told[0].body_text.contains("/me/badges"));
}

async fn the_daily_sweep_gives_what_no_event_checked(backend: Backend) {
    let o = office(backend).await;
    let learner = o.app.employee("2019001").grade(Some(7)).create();
    let csv =
        "사원번호,학습유형,과정명,시간,학습일\n2019001,사이버교육,행정법 기초,80,2026-06-01\n";
    let res = o.import_hr(csv).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // A class made after the fact: the next day's sweep gives it.
    o.add_class("2026 상시학습 완주", json!({ "rule": "hours_target" }))
        .await;
    assert_eq!(o.app.run_jobs().badges_awarded, 1);
    assert_eq!(o.app.run_jobs().badges_awarded, 0, "once a day");
    assert_eq!(o.badges_of(&learner).await.len(), 1);
}

async fn the_pages_award_share_check_and_revoke(backend: Backend) {
    let o = office(backend).await;
    let admin = o.app.browser();
    admin
        .log_in(&o.admin.employee_no, crate::helpers::PASSWORD)
        .await;
    let made = admin
        .post_multipart(
            "/badges/classes",
            &[
                ("name", "토론 리더"),
                ("description", "모임 토론을 이끈 회원"),
                ("criteria", "토론 진행 3회 이상"),
                ("rule", ""),
                ("valid_months", ""),
                ("colour", "#336699"),
            ],
            &[("image", "", b"")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let bad = admin
        .post_multipart(
            "/badges/classes",
            &[
                ("name", "숫자 오류"),
                ("description", "d"),
                ("criteria", "c"),
                ("valid_months", "1.5"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text().contains("정수로 적어 주세요"),
        "the field's rule is named"
    );
    let scripted = admin
        .post_multipart(
            "/badges/classes",
            &[
                ("name", "스크립트"),
                ("description", "d"),
                ("criteria", "c"),
            ],
            &[("image", "x.svg", b"<svg><script>alert(1)</script></svg>")],
        )
        .await;
    assert_eq!(scripted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(scripted.text().contains("스크립트, 이벤트 속성"));
    let nul = admin
        .post_multipart(
            "/badges/classes",
            &[
                ("name", "널\u{0}문자"),
                ("description", "d"),
                ("criteria", "c"),
            ],
            &[],
        )
        .await;
    assert_eq!(
        nul.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        nul.text()
    );
    let picture = dongari::badges::image::generated_png("#aa0000");
    let uploaded = admin
        .post_multipart(
            "/badges/classes",
            &[
                ("name", "사진 배지"),
                ("description", "d"),
                ("criteria", "c"),
            ],
            &[("image", "badge.png", &picture)],
        )
        .await;
    assert_eq!(
        uploaded.status,
        StatusCode::SEE_OTHER,
        "{}",
        uploaded.text()
    );
    let classes = o
        .app
        .db(|c| dongari::badges::model::classes_of(c, &o.app.org).unwrap());
    assert_eq!(classes.len(), 2, "nothing refused was kept");
    let class_id = classes
        .iter()
        .find(|c| c.name == "토론 리더")
        .unwrap()
        .id
        .clone();
    let with_picture = classes.iter().find(|c| c.name == "사진 배지").unwrap();
    assert_eq!(with_picture.image_type, "png");
    let served = o
        .app
        .get(
            &format!("/badges/v2/classes/{}/image.png", with_picture.id),
            None,
        )
        .await;
    assert_eq!(served.body, picture, "the upload is served as it came");
    let page = admin.get("/badges").await;
    assert!(page.text().contains("토론 리더"));
    let given = admin
        .post_form(
            &format!("/badges/classes/{class_id}/awards"),
            &[
                ("employee_no", &o.member.employee_no),
                ("narrative", "11월 토론 진행"),
                ("evidence_url", ""),
            ],
        )
        .await;
    assert_eq!(given.header("location"), Some("/badges?done=awarded"));

    let member = o.app.browser();
    member
        .log_in(&o.member.employee_no, crate::helpers::PASSWORD)
        .await;
    let mine = member.get("/me/badges").await.text();
    assert!(mine.contains("토론 리더") && mine.contains("11월 토론 진행"));
    let award_id = o.badges_of(&o.member).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The home page's feed: mine to me; to others once I show it.
    let colleague = o.app.browser();
    o.app.employee("2017001").name("박동료").create();
    colleague.log_in("2017001", crate::helpers::PASSWORD).await;
    assert!(member.get("/").await.text().contains("축하합니다!"));
    assert!(
        !colleague.get("/").await.text().contains("토론 리더"),
        "private"
    );
    let verify = format!("/badges/verify/{award_id}");
    let stranger = o.app.get(&verify, None).await;
    assert_eq!(stranger.status, StatusCode::OK, "no login needed");
    assert!(stranger.text().contains("유효합니다"));
    assert!(stranger.text().contains("비공개") && !stranger.text().contains("이회원"));
    member
        .post_form(
            &format!("/me/badges/{award_id}/visibility"),
            &[("public", "true")],
        )
        .await;
    let shown = o.app.get(&verify, None).await.text();
    assert!(shown.contains("이회원"), "shown once public");
    assert!(colleague.get("/").await.text().contains("이회원 님이"));
    let hidden = member
        .post_form(&format!("/me/badges/{award_id}/hide-from-feed"), &[])
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.text());
    assert!(!member.get("/").await.text().contains("토론 리더"));
    assert!(
        !colleague.get("/").await.text().contains("토론 리더"),
        "hidden"
    );

    let revoked = admin
        .post_form(
            &format!("/badges/awards/{award_id}/revoke"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(
        revoked.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    admin
        .post_form(
            &format!("/badges/awards/{award_id}/revoke"),
            &[("reason", "중복 수여")],
        )
        .await;
    let gone = o.app.get(&verify, None).await.text();
    assert!(gone.contains("취소되었습니다") && gone.contains("중복 수여"));
    assert!(!gone.contains("이회원"), "a revoked badge names nobody");
    let refused = member.get("/badges").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn a_csv_awards_all_rows_or_none_and_never_twice(backend: Backend) {
    let o = office(backend).await;
    let other = o.app.employee("2017001").name("박동료").create();
    let class = o.add_class("우수 강사", json!({})).await;
    let path = format!(
        "/api/v1/badges/classes/{}/awards/bulk",
        class["id"].as_str().unwrap()
    );
    let send = |query: &str, csv: &str| {
        let req = actix_web::test::TestRequest::post()
            .uri(&format!("{path}{query}"))
            .insert_header(("Content-Type", "text/csv"))
            .set_payload(csv.to_string());
        o.app
            .send(crate::helpers::with_bearer(req, Some(&o.admin_token)))
    };
    let bad = "사원번호,사유,증빙,키\r\n0000000,없는 사람,,a\r\n9000001,자기 자신,,b\r\n2016001,잘못된 주소,ftp://x,c\r\n";
    let refused = send("", bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    let lines: Vec<(u64, String)> = refused.json()["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (2, "employee_no".to_string()),
            (3, "employee_no".to_string()),
            (4, "evidence_url".to_string())
        ]
    );
    let good = "employee_no,narrative,evidence_url,key\n2016001,사내 강의 3회,https://dongari.test/board/1,2026-lecturers-1\n2017001,사내 강의 2회,,2026-lecturers-2\n";
    let dry = send("?dry_run=true", good).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text());
    assert_eq!(dry.json()["dry_run"], true);
    assert_eq!(dry.json()["awarded"], 2);
    assert!(
        o.badges_of(&o.member).await.is_empty(),
        "a dry run writes nothing"
    );
    assert_eq!(o.vouchers(&o.member).await, 0);
    let done = send("", good).await.json();
    assert_eq!(
        (done["awarded"].as_i64(), done["already"].as_i64()),
        (Some(2), Some(0))
    );
    assert_eq!(done["rows"][1]["name"], "박동료");
    let again = send("", good).await.json();
    assert_eq!(
        (again["awarded"].as_i64(), again["already"].as_i64()),
        (Some(0), Some(2))
    );
    assert_eq!(o.badges_of(&other).await.len(), 1);
    assert_eq!(
        o.badges_of(&o.member).await[0]["narrative"],
        "사내 강의 3회"
    );
    let not_csv = o
        .app
        .post_json(&path, &json!({}), Some(&o.admin_token))
        .await;
    assert_eq!(not_csv.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // The same on the page: pasted cells previewed, then awarded.
    let third = o.app.employee("2018001").name("최신입").create();
    let page = o.app.browser();
    page.log_in(&o.admin.employee_no, crate::helpers::PASSWORD)
        .await;
    let bulk = format!("/badges/classes/{}/bulk", class["id"].as_str().unwrap());
    let office = page.get("/badges").await.text();
    assert!(
        office.contains(&format!("href=\"{bulk}\"")),
        "linked per class"
    );
    let refused = page
        .post_form(
            &bulk,
            &[
                ("csv", "사원번호\t사유\n0000000\t없는 사람\n"),
                ("mode", "award"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("2번째 줄 · employee_no"));
    let pasted = "사원번호\t사유\t증빙 주소\t키\n\
                  2017001\t사내 강의 2회\t\t2026-lecturers-2\n\
                  2018001\t사내 강의 1회\t\t2026-lecturers-3\n";
    let preview = page
        .post_form(&bulk, &[("csv", pasted), ("mode", "preview")])
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    let text = preview.text();
    assert!(text.contains("미리 보기입니다") && text.contains("1명에게 새로 수여"));
    assert!(text.contains("이미 받음") && text.contains("수여 예정"));
    assert!(
        o.badges_of(&third).await.is_empty(),
        "a preview writes nothing"
    );
    let awarded = page
        .post_form(&bulk, &[("csv", pasted), ("mode", "award")])
        .await;
    assert!(awarded.text().contains("1명에게 수여했습니다"));
    assert_eq!(o.badges_of(&third).await[0]["narrative"], "사내 강의 1회");
}

/// The validators' wrapper and its virtualenv, when set up: CI sets
/// `DONGARI_TEST_OB_VALIDATE` (and then it must run); otherwise
/// `../shared/tools/ob-validate` with `target/obkit-venv` if both exist.
fn ob_validate() -> Option<(PathBuf, PathBuf)> {
    let venv = project_dir().join("target/obkit-venv");
    if let Ok(script) = std::env::var("DONGARI_TEST_OB_VALIDATE") {
        return Some((PathBuf::from(script), venv));
    }
    let script = project_dir().join("../shared/tools/ob-validate");
    if script.exists() && venv.exists() {
        return Some((script, venv));
    }
    eprintln!(
        "\nNOTE: the Open Badges validators are not set up (run `OBKIT_VENV=target/obkit-venv ../shared/tools/ob-validate --setup`): the validator test is SKIPPED.\n"
    );
    None
}

/// Runs the validator off the async threads (the server under test runs
/// on them); answers (passed, output).
async fn validate(script: &Path, venv: &Path, args: Vec<String>) -> (bool, String) {
    let (script, venv) = (script.to_path_buf(), venv.to_path_buf());
    actix_web::rt::task::spawn_blocking(move || {
        let out = Command::new(&script)
            .args(&args)
            .env("OBKIT_VENV", &venv)
            .output()
            .expect("ob-validate runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "ob-validate could not check ({:?}): {text}",
            out.status
        );
        (out.status.success(), text)
    })
    .await
    .unwrap()
}

async fn a_dropped_badge_file_is_checked(backend: Backend) {
    let o = office(backend).await;
    let class = o.add_class("자료 공유", json!({})).await;
    let award = o
        .award(class["id"].as_str().unwrap(), &o.member)
        .await
        .json();
    let download = |link: &str| {
        let link = award["links"][link].as_str().unwrap().to_string();
        let app = &o.app;
        async move { app.get(Office::path_of(&link), None).await.body }
    };
    let stranger = o.app.browser();
    assert_eq!(stranger.get("/badges/verify").await.status, StatusCode::OK);
    for (link, name, says) in [
        ("baked_png", "b.png", "Open Badges 2.0 배지입니다"),
        ("baked_svg", "b.svg", "Open Badges 2.0 배지입니다"),
        (
            "credential_png",
            "c.png",
            "서명이 기관의 공개 키로 확인되었습니다",
        ),
        (
            "credential_svg",
            "c.svg",
            "서명이 기관의 공개 키로 확인되었습니다",
        ),
    ] {
        let file = download(link).await;
        let res = stranger
            .post_file("/badges/verify", "file", name, &file)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{link}: {}", res.text());
        assert!(res.text().contains(says), "{link}: {}", res.text());
        assert!(res.text().contains("이 배지는 유효합니다"), "{link}");
    }
    // The credential with another name put in: the signature fails.
    let png = download("credential_png").await;
    let jwt = dongari::badges::bake::unbake_png(&png, "openbadgecredential").unwrap();
    let mut parts: Vec<String> = jwt.split('.').map(str::to_string).collect();
    let forged = dongari::badges::ob3::payload_of(&jwt)
        .unwrap()
        .to_string()
        .replace("자료 공유", "위조");
    parts[1] = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        forged.as_bytes(),
    );
    let tampered = dongari::badges::bake::bake_png(
        &png,
        &dongari::badges::bake::Baked::Credential(parts.join(".")),
    )
    .unwrap();
    let res = stranger
        .post_file("/badges/verify", "file", "t.png", &tampered)
        .await;
    assert!(
        res.text().contains("변조되었을 수 있습니다"),
        "{}",
        res.text()
    );
    // A plain picture, and another portal's badge.
    let plain = dongari::badges::image::generated_png("#123456");
    let res = stranger
        .post_file("/badges/verify", "file", "p.png", &plain)
        .await;
    assert!(res.text().contains("배지 정보를 찾지 못했습니다"));
    let elsewhere = dongari::badges::bake::bake_png(
        &plain,
        &dongari::badges::bake::Baked::Assertion("https://badges.example.org/a/1".into()),
    )
    .unwrap();
    let res = stranger
        .post_file("/badges/verify", "file", "e.png", &elsewhere)
        .await;
    assert!(res.text().contains("이 포털이 발급한 배지가 아닙니다"));
    // A file downloaded before the badge was revoked: the check says so.
    let kept = download("baked_png").await;
    o.revoke(&award, "잘못 수여함").await;
    let res = stranger
        .post_file("/badges/verify", "file", "k.png", &kept)
        .await;
    assert!(
        res.text().contains("이 배지는 취소되었습니다"),
        "{}",
        res.text()
    );
    let gone = o
        .app
        .get(
            Office::path_of(award["links"]["baked_png"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "no new download of it");
    // Without the form's token nothing is checked.
    let res = o
        .app
        .browser()
        .post_file("/badges/verify", "file", "k.png", &kept)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

async fn racing_meetings_that_complete_the_count_give_one_badge(backend: Backend) {
    let o = office(backend).await;
    let club = o.club();
    o.add_class(
        "정기 모임 개근",
        json!({ "rule": "meetings_attended", "rule_threshold": 2 }),
    )
    .await;
    club.meet("2026-09-15", "regular", &[&o.member]).await;
    // Two meetings logged at once: each completes the count.
    futures_util::future::join(
        club.meet("2026-10-20", "regular", &[&o.member]),
        club.meet("2026-11-17", "regular", &[&o.member]),
    )
    .await;
    assert_eq!(o.badges_of(&o.member).await.len(), 1);
    assert_eq!(o.vouchers(&o.member).await, 1);
}

async fn an_expired_badge_shows_as_expired(backend: Backend) {
    let o = office(backend).await;
    let class = o
        .add_class("안전 교육", json!({ "valid_months": 12 }))
        .await;
    let award = o
        .award(class["id"].as_str().unwrap(), &o.member)
        .await
        .json();
    assert_eq!(award["expires_at"], "2027-11-23T09:00:00+09:00");
    o.app.clock.advance(chrono::Duration::days(366));
    let mine = o.badges_of(&o.member).await;
    assert_eq!(mine[0]["status"], "expired", "kept, shown as expired");
    let page = o
        .app
        .get(
            &format!("/badges/verify/{}", award["id"].as_str().unwrap()),
            None,
        )
        .await
        .text();
    assert!(page.contains("만료되었습니다"), "{page}");
    let assertion = o
        .app
        .get(
            Office::path_of(award["links"]["assertion"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(assertion.status, StatusCode::OK, "the record stays");
    assert_eq!(assertion.json()["expires"], "2027-11-23T00:00:00Z");
}

async fn a_suspension_comes_and_goes(backend: Backend) {
    let o = office(backend).await;
    let class = o.add_class("현장 조사", json!({})).await;
    let award = o
        .award(class["id"].as_str().unwrap(), &o.member)
        .await
        .json();
    let id = award["id"].as_str().unwrap();
    let call = |action: &str, body: Value| {
        let path = format!("/api/v1/badges/awards/{id}/{action}");
        let app = &o.app;
        let token = o.admin_token.clone();
        async move { app.post_json(&path, &body, Some(&token)).await }
    };
    let blank = call("suspend", json!({ "reason": "" })).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stopped = call("suspend", json!({ "reason": "증빙 확인 중" })).await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.text());
    assert_eq!(stopped.json()["status"], "suspended");
    assert_eq!(
        call("suspend", json!({ "reason": "다시" })).await.status,
        StatusCode::CONFLICT
    );
    let page = o
        .app
        .get(&format!("/badges/verify/{id}"), None)
        .await
        .text();
    assert!(page.contains("일시 정지되었습니다") && page.contains("증빙 확인 중"));
    let resumed = call("resume", json!({})).await;
    assert_eq!(resumed.json()["status"], "valid");
    assert_eq!(call("resume", json!({})).await.status, StatusCode::CONFLICT);
    let mail = o.app.db(|c| dongari::mail::outbox::all(c).unwrap());
    assert!(mail.iter().any(|m| m.subject.contains("일시 정지 안내")));
    assert!(mail.iter().any(|m| m.subject.contains("일시 정지 해제")));
    assert_eq!(
        o.vouchers(&o.member).await,
        1,
        "a suspension takes nothing back"
    );
}

/// An award of a new class, its office served over loopback, and the
/// `--map-origin` that sends the portal's ids there.
struct Served {
    o: Office,
    server: crate::helpers::LoopbackServer,
    map: String,
    class: Value,
    award: Value,
}

async fn served_award(class_name: &str) -> Served {
    let o = office(Backend::Sqlite).await;
    let server = o.app.serve_on_loopback();
    let map = format!("http://dongari.test={}", server.base);
    let class = o.add_class(class_name, json!({ "valid_months": 24 })).await;
    let award = o
        .award(class["id"].as_str().unwrap(), &o.member)
        .await
        .json();
    Served {
        o,
        server,
        map,
        class,
        award,
    }
}

#[actix_web::test]
async fn the_open_badges_2_validator_accepts_what_the_portal_issues() {
    let Some((script, venv)) = ob_validate() else {
        return;
    };
    let Served {
        o,
        server,
        map,
        award,
        ..
    } = served_award("정기 모임 개근").await;
    let assertion = award["links"]["assertion"].as_str().unwrap().to_string();
    let args = |target: &str, email: &str| -> Vec<String> {
        vec![
            "--map-origin".into(),
            map.clone(),
            "--recipient-email".into(),
            email.into(),
            target.into(),
        ]
    };

    let (ok, out) = validate(&script, &venv, args(&assertion, &o.member.email)).await;
    assert!(ok, "the hosted assertion is valid: {out}");
    let (ok, out) = validate(&script, &venv, args(&assertion, "someone@else.example")).await;
    assert!(!ok, "the hash is not another person's: {out}");

    let dir = tempfile::tempdir().unwrap();
    for (link, file) in [("baked_png", "badge.png"), ("baked_svg", "badge.svg")] {
        let res = o
            .app
            .get(
                Office::path_of(award["links"][link].as_str().unwrap()),
                None,
            )
            .await;
        let path = dir.path().join(file);
        std::fs::write(&path, &res.body).unwrap();
        let target = path.to_str().unwrap();
        let (ok, out) = validate(&script, &venv, args(target, &o.member.email)).await;
        assert!(ok, "the baked {file} is valid: {out}");
    }

    o.revoke(&award, "잘못 수여함").await;
    let (ok, out) = validate(&script, &venv, args(&assertion, &o.member.email)).await;
    assert!(!ok, "a revoked assertion is not valid: {out}");
    assert!(out.to_lowercase().contains("revoked"), "{out}");
    drop(server);
}

#[actix_web::test]
async fn the_open_badges_3_verifier_accepts_the_signed_credentials() {
    let Some((script, venv)) = ob_validate() else {
        return;
    };
    let Served {
        o,
        server,
        map,
        class,
        award,
    } = served_award("연구 발표").await;
    let dir = tempfile::tempdir().unwrap();
    let fetch = |link: &str| {
        let link = award["links"][link].as_str().unwrap().to_string();
        let app = &o.app;
        async move { app.get(Office::path_of(&link), None).await.body }
    };
    let jwt = String::from_utf8(fetch("credential").await).unwrap();
    let jwt_file = dir.path().join("credential.jwt");
    std::fs::write(&jwt_file, &jwt).unwrap();
    let args = |target: &std::path::Path, extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = vec!["--ob3".into(), target.to_str().unwrap().into()];
        args.extend(["--map-origin".to_string(), map.clone()]);
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    };

    let (ok, out) = validate(&script, &venv, args(&jwt_file, &["--check-status"])).await;
    assert!(ok, "the credential is valid and not revoked: {out}");
    assert!(out.contains("RS256"), "{out}");
    for (link, file) in [("credential_png", "ob3.png"), ("credential_svg", "ob3.svg")] {
        let path = dir.path().join(file);
        std::fs::write(&path, fetch(link).await).unwrap();
        let (ok, out) = validate(&script, &venv, args(&path, &[])).await;
        assert!(ok, "the baked {file} is valid: {out}");
        let baked = std::fs::read(&path).unwrap();
        let extracted = if file.ends_with("png") {
            dongari::badges::bake::unbake_png(&baked, "openbadgecredential").unwrap()
        } else {
            match dongari::badges::bake::unbake_svg(std::str::from_utf8(&baked).unwrap()) {
                Some(dongari::badges::bake::Baked::Credential(jwt)) => jwt,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(extracted, jwt, "what is baked is what was issued");
    }
    let payload = dongari::badges::ob3::payload_of(&jwt).unwrap();
    assert!(!jwt.contains(&o.member.email) && !payload.to_string().contains(&o.member.email));
    let salt = payload["credentialSubject"]["identifier"][0]["salt"]
        .as_str()
        .unwrap();
    assert!(salt.len() >= 32, "16 random bytes or more: {salt}");

    // A payload changed after signing does not verify.
    let mut parts: Vec<String> = jwt.split('.').map(str::to_string).collect();
    let forged = payload.to_string().replace("연구 발표", "위조 배지");
    parts[1] = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        forged.as_bytes(),
    );
    let tampered = dir.path().join("tampered.jwt");
    std::fs::write(&tampered, parts.join(".")).unwrap();
    let (ok, out) = validate(&script, &venv, args(&tampered, &[])).await;
    assert!(!ok, "a tampered credential fails: {out}");

    // After a rotation the old credential still verifies, and new ones are
    // signed with the new key.
    let rotated = o
        .app
        .post_json(
            "/api/v1/badges/keys/rotate",
            &json!({}),
            Some(&o.admin_token),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::CREATED, "{}", rotated.text());
    let (ok, out) = validate(&script, &venv, args(&jwt_file, &["--check-status"])).await;
    assert!(ok, "the old key still verifies: {out}");
    let other = o.app.employee("2018001").create();
    let second = o.award(class["id"].as_str().unwrap(), &other).await.json();
    let second_jwt = o
        .app
        .get(
            Office::path_of(second["links"]["credential"].as_str().unwrap()),
            None,
        )
        .await
        .text();
    let header = |jwt: &str| -> Value {
        let part = jwt.split('.').next().unwrap();
        serde_json::from_slice(
            &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, part)
                .unwrap(),
        )
        .unwrap()
    };
    assert_ne!(header(&jwt)["kid"], header(&second_jwt)["kid"]);
    assert!(header(&second_jwt)["kid"]
        .as_str()
        .unwrap()
        .ends_with(rotated.json()["id"].as_str().unwrap()));
    let second_file = dir.path().join("second.jwt");
    std::fs::write(&second_file, &second_jwt).unwrap();
    let (ok, out) = validate(&script, &venv, args(&second_file, &["--check-status"])).await;
    assert!(ok, "the new key verifies: {out}");

    // Suspended, the status check fails; resumed, it passes again.
    let suspend = |action: &'static str| {
        let path = format!(
            "/api/v1/badges/awards/{}/{action}",
            award["id"].as_str().unwrap()
        );
        let app = &o.app;
        let token = o.admin_token.clone();
        async move {
            app.post_json(&path, &json!({ "reason": "증빙 확인 중" }), Some(&token))
                .await
        }
    };
    assert_eq!(suspend("suspend").await.status, StatusCode::OK);
    let (ok, out) = validate(&script, &venv, args(&jwt_file, &["--check-status"])).await;
    assert!(!ok, "a suspended credential fails the status check: {out}");
    assert!(out.contains("suspension"), "{out}");
    assert_eq!(suspend("resume").await.status, StatusCode::OK);
    let (ok, out) = validate(&script, &venv, args(&jwt_file, &["--check-status"])).await;
    assert!(ok, "resumed: {out}");

    // Revoked: the next status check sees it; the other credential stays good.
    o.revoke(&award, "잘못 수여함").await;
    let (ok, out) = validate(&script, &venv, args(&jwt_file, &["--check-status"])).await;
    assert!(!ok, "a revoked credential fails the status check: {out}");
    assert!(out.contains("revocation"), "{out}");
    let (ok, out) = validate(&script, &venv, args(&second_file, &["--check-status"])).await;
    assert!(ok, "{out}");
    drop(server);
}
