//! `?page=&per_page=` for every list, and the `{"items": […], "total": N}`
//! shape every list answers.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppError, AppResult};

/// A screenful: what a page shows and an API client gets unless it asks
/// for more (up to `MAX_PER_PAGE`).
pub const DEFAULT_PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    pub page: Option<i64>,
    /// Items per page (default 20, at most 200).
    pub per_page: Option<i64>,
}

impl PageQuery {
    /// (offset, limit), or a validation error naming the parameter.
    pub fn window(&self) -> AppResult<(i64, i64)> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page < 1 {
            return Err(AppError::validation("page", "page는 1 이상이어야 합니다."));
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(AppError::validation(
                "per_page",
                format!("per_page는 1~{MAX_PER_PAGE} 사이여야 합니다."),
            ));
        }
        let offset = (page - 1)
            .checked_mul(per_page)
            .ok_or_else(|| AppError::validation("page", "page가 너무 큽니다."))?;
        Ok((offset, per_page))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// A page serialized once, to be kept (`memo::Kept`) and answered as it is.
pub fn json_bytes<T: Serialize>(page: &T) -> actix_web::web::Bytes {
    actix_web::web::Bytes::from(serde_json::to_vec(page).expect("a page is JSON"))
}

/// A kept page as the answer.
pub fn kept_json(page: &actix_web::web::Bytes) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(page.clone())
}
