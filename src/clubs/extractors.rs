//! The caller's standing in the club named by `{club_id}` in the path.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::service::ClubAccess;
use crate::auth::extractors::{load_user, SignedIn};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;

impl FromRequest for ClubAccess {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    /// With the person not yet read by another extractor, the person and
    /// their standing in the club are read in one trip to the pool.
    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let known = req.extensions().get::<CurrentUser>().cloned();
        let signed_in = SignedIn::from_request(req, payload).into_inner();
        let club_id = req.match_info().get("club_id").map(str::to_string);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (Some(club_id), Some(state)) = (club_id, state) else {
                return Err(AppError::NotFound);
            };
            if let Some(user) = known {
                return state
                    .db(move |conn| ClubAccess::load(conn, &club_id, &user))
                    .await;
            }
            let signed_in = signed_in?;
            let claims = signed_in.claims().clone();
            let (user, access) = state
                .db(move |conn| {
                    let user = load_user(conn, &claims)?;
                    let access = ClubAccess::load(conn, &club_id, &user);
                    Ok((user, access))
                })
                .await?;
            // Admitted even when the club refuses them, as CurrentUser was.
            signed_in.admit(&user);
            access
        })
    }
}

/// The club's president or an administrator.
pub struct ClubManager(pub ClubAccess);

impl FromRequest for ClubManager {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let access = ClubAccess::from_request(req, payload);
        Box::pin(async move {
            let access = access.await?;
            access.require_manager()?;
            Ok(ClubManager(access))
        })
    }
}

/// A current member of the club or an administrator.
pub struct ClubMember(pub ClubAccess);

impl FromRequest for ClubMember {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let access = ClubAccess::from_request(req, payload);
        Box::pin(async move {
            let access = access.await?;
            if !access.can_log_meetings() {
                return Err(AppError::Forbidden);
            }
            Ok(ClubMember(access))
        })
    }
}
