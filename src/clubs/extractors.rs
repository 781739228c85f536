//! The caller's standing in the club named by `{club_id}` in the path.

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::service::ClubAccess;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;

impl FromRequest for ClubAccess {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = CurrentUser::from_request(req, payload);
        let club_id = req.match_info().get("club_id").map(str::to_string);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let user = user.await?;
            let (Some(club_id), Some(state)) = (club_id, state) else {
                return Err(AppError::NotFound);
            };
            state
                .db(move |conn| ClubAccess::load(conn, &club_id, &user))
                .await
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
