//! The OpenAPI 3 document of `/api/v1`, generated from the handlers'
//! annotations and served at `/api/openapi.json`.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "dongari API", description = "학습동아리 포털 — JSON API. Authenticate with POST /api/v1/auth/token, then send `Authorization: Bearer <token>`."),
    paths(
        crate::auth::handlers::issue_token,
        crate::auth::handlers::api_logout,
        crate::auth::handlers::api_change_password,
        crate::directory::handlers::me,
        crate::directory::handlers::list_employees,
        crate::directory::handlers::list_departments,
        crate::directory::handlers::list_target_rules,
        crate::directory::handlers::get_organization,
        crate::directory::handlers::put_policy,
        crate::clubs::handlers::list_clubs,
        crate::clubs::handlers::create_club,
        crate::clubs::handlers::get_club,
        crate::clubs::handlers::update_club,
        crate::clubs::handlers::decide_club,
        crate::clubs::handlers::dissolve_club,
        crate::clubs::handlers::set_formation,
        crate::clubs::handlers::list_members,
        crate::clubs::handlers::add_member,
        crate::clubs::handlers::remove_member,
        crate::clubs::handlers::transfer_presidency,
        crate::clubs::handlers::list_join_requests,
        crate::clubs::handlers::request_to_join,
        crate::clubs::handlers::decide_join_request,
        crate::clubs::handlers::get_study_task,
        crate::clubs::handlers::put_study_task,
        crate::clubs::handlers::list_meetings,
        crate::clubs::handlers::log_meeting,
        crate::clubs::handlers::get_meeting,
        crate::clubs::handlers::edit_meeting,
        crate::clubs::handlers::delete_meeting,
        crate::clubs::handlers::my_hours,
        crate::clubs::handlers::list_posts,
        crate::clubs::handlers::create_post,
        crate::clubs::handlers::edit_post,
        crate::clubs::handlers::hide_post,
        crate::clubs::handlers::add_comment,
        crate::clubs::handlers::edit_comment,
        crate::clubs::handlers::hide_comment,
        crate::reports::handlers::list_reports,
        crate::reports::handlers::get_report,
        crate::reports::handlers::put_report,
        crate::reports::handlers::submit_report,
        crate::reports::handlers::get_compliance,
        crate::reports::handlers::list_holidays,
        crate::reports::handlers::add_holiday,
        crate::reports::handlers::remove_holiday,
        crate::evaluation::handlers::list_rounds,
        crate::evaluation::handlers::open_round,
        crate::evaluation::handlers::get_round,
        crate::evaluation::handlers::change_windows,
        crate::evaluation::handlers::get_report,
        crate::evaluation::handlers::put_report,
        crate::evaluation::handlers::reopen,
        crate::evaluation::handlers::my_sheets,
        crate::evaluation::handlers::put_scores,
        crate::evaluation::handlers::reassign,
        crate::evaluation::handlers::get_standings,
        crate::evaluation::handlers::confirm,
        crate::evaluation::handlers::get_results,
        crate::evaluation::handlers::recommend,
        crate::recognition::handlers::get_recognition,
        crate::recognition::handlers::approve_recognition,
        crate::ledger::handlers::my_ledger,
        crate::ledger::handlers::adjust,
        crate::corrections::reverse_movement,
        crate::hr::handlers::import_hr_hours,
        crate::recognition::handlers::preview_recognition,
        crate::recognition::handlers::list_hours_rules,
        crate::recognition::handlers::add_hours_rule,
        crate::ledger::handlers::my_progress,
        crate::ledger::handlers::office_progress,
        crate::stats::handlers::get_statistics,
        crate::mileage::handlers::my_mileage,
        crate::mileage::handlers::convert,
        crate::mileage::handlers::conversion_queue,
        crate::mileage::handlers::approve,
        crate::mileage::handlers::refuse,
        crate::mileage::handlers::list_rules,
        crate::mileage::handlers::add_rule,
        crate::mileage::handlers::add_conversion_rule,
        crate::vouchers::handlers::my_vouchers,
        crate::vouchers::handlers::catalog_list,
        crate::vouchers::handlers::add_item,
        crate::vouchers::handlers::change_item,
        crate::vouchers::handlers::redeem,
        crate::vouchers::handlers::cancel_mine,
        crate::vouchers::handlers::redemption_queue,
        crate::vouchers::handlers::fulfil,
        crate::vouchers::handlers::cancel,
        crate::vouchers::handlers::list_rules,
        crate::vouchers::handlers::add_rule,
        crate::leaderboard::handlers::people,
        crate::leaderboard::handlers::clubs,
        crate::leaderboard::handlers::my_choice,
        crate::leaderboard::handlers::choose,
        crate::leaderboard::handlers::club_default,
        crate::leaderboard::handlers::get_king,
        crate::leaderboard::handlers::confirm_king,
        crate::badges::handlers::list_classes,
        crate::badges::handlers::add_class,
        crate::badges::handlers::award,
        crate::badges::handlers::revoke,
        crate::badges::handlers::my_badges,
        crate::badges::handlers::set_visibility,
        crate::badges::handlers::rotate_key,
        crate::badges::handlers::backfill,
        crate::badges::handlers::award_file,
        crate::badges::handlers::suspend,
        crate::badges::handlers::resume,
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerAuth, &ErrorAnswers),
    tags((name = "auth", description = "Tokens and passwords"), (name = "org", description = "Employees and departments"),
        (name = "clubs", description = "Clubs, members, meetings and hours"),
        (name = "board", description = "Each club's board of learning outputs"),
        (name = "reports", description = "Monthly activity reports, compliance and the holiday calendar"),
        (name = "evaluation", description = "Semiannual results reports, scoring, ranking, prizes and top contributors"),
        (name = "ledger", description = "The learning ledger: recognized hours, mileage, vouchers"),
        (name = "mileage", description = "Mileage: earning rules, conversion into hours"),
        (name = "vouchers", description = "Learning vouchers: earning rules, the catalog, redemptions"),
        (name = "leaderboards", description = "Mileage leaderboards, leaving them, the knowledge king"),
        (name = "badges", description = "Badges: classes, awards, revocations; my badges. The Open Badges documents themselves are public, under /badges/v2/"),
        (name = "stats", description = "An office's statistics: meetings, attendance and hours; report compliance; evaluations; target attainment"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Lists, on every operation, the error answers the service gives it by
/// its shape (each with the `ErrorBody`), besides those its handler names:
/// 400 for a malformed path or query and 422 for a refused character in
/// them (every operation); 401 and 403 when it needs a login; 404 when its
/// path names something; 400, 413, 415 and 422 when it takes a body; 409
/// for a write that can meet a conflicting state.
struct ErrorAnswers;

impl ErrorAnswers {
    const ANSWERS: [(&'static str, &'static str); 9] = [
        ("400", "Malformed path, query or body"),
        ("401", "No valid login (missing, expired or ended token)"),
        ("403", "Logged in, but not allowed to do this"),
        ("404", "Nothing is found under this path"),
        (
            "409",
            "Conflicts with the current state (already decided, already exists, …)",
        ),
        ("413", "Request body too large"),
        ("415", "Body is not application/json"),
        ("422", "A field breaks a rule; `field` names it"),
        ("429", "Too many failed attempts; see Retry-After"),
    ];

    fn applies(code: &str, method: &str, op: &utoipa::openapi::path::Operation) -> bool {
        use utoipa::openapi::path::ParameterIn;
        let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
        let names_something = op
            .parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == ParameterIn::Path);
        let has_body = op.request_body.is_some();
        let writes = method != "get";
        match code {
            "400" | "422" => true,
            "401" | "403" => secured,
            "404" => names_something,
            "409" => writes && secured,
            "413" | "415" => has_body,
            _ => false, // 429 only where the handler names it (logins)
        }
    }
}

impl Modify for ErrorAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                ("get", &mut item.get),
                ("post", &mut item.post),
                ("put", &mut item.put),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, op) in operations {
                let Some(op) = op.as_mut() else { continue };
                for (code, description) in Self::ANSWERS {
                    if op.responses.responses.contains_key(code) || !Self::applies(code, method, op)
                    {
                        continue;
                    }
                    let response = ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ErrorBody")))
                                .build(),
                        )
                        .build();
                    op.responses
                        .responses
                        .insert(code.to_string(), RefOr::T(response));
                }
            }
        }
    }
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
