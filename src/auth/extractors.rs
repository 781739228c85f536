//! Who is calling, as handler arguments. `/api` requests authenticate with
//! `Authorization: Bearer <jwt>`; pages with the session cookie. Keeping the
//! two apart means a cookie can never authorize an API call (no CSRF there).

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use diesel::OptionalExtension;
use futures_util::future::LocalBoxFuture;

use crate::error::AppError;
use crate::org::model::{self, Employee, Role, RoleGrant};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "dongari_session";

/// A logged-in, active employee with the roles they hold now.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub employee: Employee,
    pub roles: Vec<RoleGrant>,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    pub fn id(&self) -> &str {
        &self.employee.id
    }
}

fn credential(req: &HttpRequest) -> Option<String> {
    if req.path().starts_with("/api/") {
        let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_string())
    } else {
        req.cookie(SESSION_COOKIE).map(|c| c.value().to_string())
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Loaded once per request even when several extractors ask.
        if let Some(user) = req.extensions().get::<CurrentUser>() {
            let user = user.clone();
            return Box::pin(async move { Ok(user) });
        }
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = credential(req);
        let req = req.clone();
        Box::pin(async move {
            let state =
                state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))?;
            let token = token.ok_or(AppError::Unauthorized)?;
            let claims = state.jwt.verify(&token, &*state.clock)?;
            let verified = claims.clone();
            let user = state
                .db(move |conn| {
                    let Some(employee) = model::employee_by_id(conn, &claims.sub).optional()?
                    else {
                        return Ok(None);
                    };
                    if !employee.active || employee.session_version != claims.ver {
                        return Ok(None);
                    }
                    let roles = model::roles_of(conn, &employee.id)?;
                    Ok(Some(CurrentUser { employee, roles }))
                })
                .await?
                .ok_or(AppError::Unauthorized)?;
            // The session's renewal (`session::renew`) reads the claims
            // that were checked here, against the database too.
            req.extensions_mut().insert(verified);
            req.extensions_mut().insert(user.clone());
            Ok(user)
        })
    }
}

/// Declares a extractor that admits only holders of one role.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub CurrentUser);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let user = CurrentUser::from_request(req, payload);
                Box::pin(async move {
                    let user = user.await?;
                    if user.has_role($role) {
                        Ok($name(user))
                    } else {
                        Err(AppError::Forbidden)
                    }
                })
            }
        }
    };
}

role_extractor!(
    /// An administrator (기획예산과 / 총무과).
    Admin,
    Role::Admin
);
role_extractor!(
    /// An evaluator (평가위원).
    Evaluator,
    Role::Evaluator
);

/// The request id given by the logging middleware, for error pages.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl FromRequest for RequestId {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req
            .extensions()
            .get::<RequestId>()
            .cloned()
            .unwrap_or(RequestId(String::new()))))
    }
}
