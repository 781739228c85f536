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
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerAuth),
    tags((name = "auth", description = "Tokens and passwords"), (name = "org", description = "Employees and departments"))
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
