//! Who is calling, as handler arguments. `/api` requests authenticate with
//! `Authorization: Bearer <jwt>`; pages with the session cookie. Keeping the
//! two apart means a cookie can never authorize an API call (no CSRF there).

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::error::AppError;
use crate::org::model::{self, Employee, Role, RoleGrant};
use crate::state::AppState;
use crate::tokens::jwt::Claims;

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
            let signed_in = SignedIn::verify(&req, &state, token)?;
            let claims = signed_in.claims.clone();
            let user = state.db(move |conn| load_user(conn, &claims)).await?;
            signed_in.admit(&user);
            Ok(user)
        })
    }
}

/// The person a checked token names, as they are now: unauthorized when
/// they are gone, inactive, or their sessions were ended since.
pub fn load_user(conn: &mut crate::db::DbConn, claims: &Claims) -> Result<CurrentUser, AppError> {
    let (employee, roles) = model::employee_with_roles(conn, &claims.sub)?
        .filter(|(e, _)| e.active && e.session_version == claims.ver)
        .ok_or(AppError::Unauthorized)?;
    Ok(CurrentUser { employee, roles })
}

/// A caller whose token is checked (signature, expiry) but who is not yet
/// read from the database. The busiest reads (the home page, my ledger,
/// `/api/v1/me`, my hours, a club's `ClubAccess`) take this instead of
/// `CurrentUser` and read the person (`load_user`) in the same trip to the
/// pool as everything else they read: one trip instead of two.
pub struct SignedIn {
    req: HttpRequest,
    claims: Claims,
}

impl SignedIn {
    fn verify(req: &HttpRequest, state: &AppState, token: String) -> Result<Self, AppError> {
        let claims = state.jwt.verify(&token, &*state.clock)?;
        Ok(Self {
            req: req.clone(),
            claims,
        })
    }

    pub fn claims(&self) -> &Claims {
        &self.claims
    }

    /// Records the person read with these claims on the request, as
    /// `CurrentUser` does: the session's renewal (`session::renew`) renews
    /// only a page that checked its person, and other extractors of the
    /// request find them there.
    pub fn admit(&self, user: &CurrentUser) {
        self.req.extensions_mut().insert(self.claims.clone());
        self.req.extensions_mut().insert(user.clone());
    }
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let checked = match (req.app_data::<web::Data<AppState>>(), credential(req)) {
            (Some(state), Some(token)) => Self::verify(req, state, token),
            (None, _) => Err(AppError::Internal(anyhow::anyhow!("app state missing"))),
            (_, None) => Err(AppError::Unauthorized),
        };
        ready(checked)
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
