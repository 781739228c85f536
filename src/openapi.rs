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
        crate::org::handlers::me,
        crate::org::handlers::list_employees,
        crate::org::handlers::list_departments,
        crate::org::handlers::list_target_rules,
        crate::clubs::handlers::list_clubs,
        crate::clubs::handlers::create_club,
        crate::clubs::handlers::get_club,
        crate::clubs::handlers::update_club,
        crate::clubs::handlers::decide_club,
        crate::clubs::handlers::dissolve_club,
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
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerAuth),
    tags((name = "auth", description = "Tokens and passwords"), (name = "org", description = "Employees and departments"),
        (name = "clubs", description = "Clubs, members, meetings and hours"),
        (name = "board", description = "Each club's board of learning outputs"),
        (name = "reports", description = "Monthly activity reports, compliance and the holiday calendar"),
        (name = "evaluation", description = "Semiannual results reports, scoring, ranking, prizes and top contributors"))
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

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
