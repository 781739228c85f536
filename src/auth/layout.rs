//! The base layout's part of every page: the signed-in person in the
//! navigation, the CSRF token, the language.

use serde::Serialize;
use tera::Context;

use super::csrf::CsrfToken;
use super::extractors::CurrentUser;
use crate::org::model::Role;

/// What the base layout needs on every page.
#[derive(Serialize)]
struct NavUser<'a> {
    name: &'a str,
    employee_no: &'a str,
    is_admin: bool,
    is_evaluator: bool,
    sees_compliance: bool,
}

pub fn page_context(user: Option<&CurrentUser>, csrf: &CsrfToken) -> Context {
    let mut ctx = Context::new();
    ctx.insert("csrf_token", &csrf.0);
    ctx.insert("lang", crate::i18n::current().code());
    ctx.insert("asset_version", env!("CARGO_PKG_VERSION"));
    if let Some(u) = user {
        ctx.insert(
            "user",
            &NavUser {
                name: &u.employee.name,
                employee_no: &u.employee.employee_no,
                is_admin: u.has_role(Role::Admin),
                is_evaluator: u.has_role(Role::Evaluator),
                sees_compliance: u.has_role(Role::Admin) || u.has_role(Role::Coordinator),
            },
        );
    }
    ctx
}
