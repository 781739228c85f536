//! The statistics page: four charts, each with its table, and the same
//! figures as CSV and XLSX.

use actix_web::{web, HttpResponse};

use super::handlers::{load, StatsQuery};
use super::views::{self, Section};
use crate::auth::csrf::CsrfToken;
use crate::auth::page_context;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::export::{xlsx, Format};
use crate::http::{download, render};
use crate::state::AppState;

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    query: web::Query<StatsQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let department = query.department.clone().unwrap_or_default();
    let stats = load(&state, user.clone(), query).await?;
    let organization_id = user.employee.organization_id.clone();
    let departments = state
        .db(move |conn| Ok(crate::org::model::all_departments(conn, &organization_id)?))
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("charts", &views::charts(&stats));
    ctx.insert("stats", &stats);
    ctx.insert("q_department", &department);
    ctx.insert("departments", &departments);
    render(&state, "stats/index.html", &ctx)
}

/// `/stats/{section}.csv` or `.xlsx`, and `/stats/all.xlsx` with a sheet
/// for each section.
pub async fn file(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    query: web::Query<StatsQuery>,
) -> AppResult<HttpResponse> {
    let (name, extension) = path.into_inner();
    let format = Format::from_extension(&extension).ok_or(AppError::NotFound)?;
    let sections: Vec<Section> = match (name.as_str(), format) {
        ("all", Format::Xlsx) => Section::ALL.to_vec(),
        (code, _) => vec![Section::parse(code).ok_or(AppError::NotFound)?],
    };
    let stats = load(&state, user, query.into_inner()).await?;
    let tables: Vec<_> = sections.iter().map(|s| views::table(&stats, *s)).collect();
    let body = match format {
        Format::Xlsx => {
            let charted: Vec<_> = sections
                .iter()
                .zip(&tables)
                .map(|(s, table)| (table, views::xlsx_chart(&stats, *s)))
                .collect();
            xlsx::charted_workbook(&charted)?
        }
        Format::Csv => crate::export::csv(&tables[0]).into_bytes(),
    };
    Ok(download(
        format.content_type(),
        &format!("statistics-{}-{name}.{}", stats.year, format.extension()),
        body,
    ))
}
