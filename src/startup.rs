//! Wires the application: routes, middleware, the jobs thread and the
//! server. Used by `main` and by the tests.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;

use crate::error::AppError;
use crate::state::AppState;
use crate::{
    auth, badges, clubs, corrections, directory, evaluation, hr, jobs, leaderboard, ledger,
    mileage, openapi, recognition, reports, stats, vouchers, web as pages,
};

/// The shared state, its database brought up to this version (schema
/// migrations and the data they call for).
pub fn prepare(
    settings: crate::config::Settings,
    clock: crate::clock::SharedClock,
) -> anyhow::Result<AppState> {
    let state = AppState::build(settings, clock, crate::badges::rules::club_reactions())?;
    let mut conn = state
        .pool
        .get()
        .with_context(|| format!("cannot connect to the {} database", state.backend))?;
    let applied = crate::upgrade::migrate(&mut conn, state.clock.now_naive())?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "database migrated");
    }
    drop(conn);
    Ok(state)
}

/// The whole application: routes, middleware and extractor limits.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let max_body = state.settings.web.max_body_kib * 1024;
    let assets_dir = state.settings.web.assets_dir.clone();
    App::new()
        .app_data(state)
        .app_data(
            web::JsonConfig::default()
                .limit(max_body)
                .error_handler(crate::http::json_error),
        )
        .app_data(
            web::FormConfig::default()
                .limit(max_body)
                .error_handler(crate::http::form_error),
        )
        .app_data(
            web::PathConfig::default()
                .error_handler(|e, _| AppError::BadRequest(e.to_string()).into()),
        )
        .app_data(
            web::QueryConfig::default()
                .error_handler(|e, _| AppError::BadRequest(e.to_string()).into()),
        )
        .app_data(web::PayloadConfig::default().limit(max_body))
        .wrap(middleware::from_fn(
            crate::http::plain_text::refuse_control_characters,
        ))
        .wrap(middleware::from_fn(pages::error_pages))
        .wrap(middleware::from_fn(auth::session::renew))
        .wrap(middleware::from_fn(auth::csrf::ensure_cookie))
        .wrap(middleware::from_fn(crate::i18n::choose))
        .wrap(middleware::from_fn(pages::request_log))
        .wrap(middleware::Compress::default())
        .wrap(security_headers())
        .route("/healthz", web::get().to(crate::http::healthz))
        .route("/api/openapi.json", web::get().to(openapi::document))
        .service(
            web::scope("/api/v1")
                .configure(auth::api_routes)
                .configure(directory::api_routes)
                .configure(clubs::api_routes)
                .configure(reports::api_routes)
                .configure(evaluation::api_routes)
                .configure(hr::api_routes)
                .configure(ledger::api_routes)
                .configure(recognition::api_routes)
                .configure(corrections::api_routes)
                .configure(mileage::api_routes)
                .configure(vouchers::api_routes)
                .configure(leaderboard::api_routes)
                .configure(badges::api_routes)
                .configure(stats::api_routes),
        )
        .service(
            web::scope("/assets")
                .wrap(
                    middleware::DefaultHeaders::new()
                        .add(("Cache-Control", "public, max-age=604800")),
                )
                .service(actix_files::Files::new("", assets_dir)),
        )
        .configure(auth::page_routes)
        .service(web::resource("/").route(web::get().to(pages::home::home)))
        .service(web::resource("/lang/{code}").route(web::get().to(auth::lang::switch)))
        .configure(directory::page_routes)
        .configure(clubs::page_routes)
        .configure(pages::club::routes)
        .configure(reports::page_routes)
        .configure(evaluation::page_routes)
        .configure(hr::page_routes)
        .configure(ledger::page_routes)
        .configure(recognition::page_routes)
        .configure(mileage::page_routes)
        .configure(vouchers::page_routes)
        .configure(leaderboard::page_routes)
        .configure(badges::public_routes)
        .configure(badges::page_routes)
        .configure(stats::page_routes)
        .default_service(web::to(crate::http::not_found))
}

/// What every answer carries: the pages load scripts and styles from the
/// portal alone (none inline), are never framed, and tell browsers not to
/// guess types, leak paths to other sites or offer device features.
fn security_headers() -> middleware::DefaultHeaders {
    middleware::DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ))
}

/// Runs the jobs on their own thread, off the async workers, every
/// `jobs.interval_seconds`, for as long as the process lives.
fn spawn_jobs(state: web::Data<AppState>) {
    let interval = std::time::Duration::from_secs(state.settings.jobs.interval_seconds);
    std::thread::Builder::new()
        .name("dongari-jobs".into())
        .spawn(move || loop {
            let run = state
                .pool
                .get()
                .map_err(AppError::from)
                .and_then(|mut conn| {
                    jobs::run_once(
                        &mut conn,
                        &state.templates,
                        &state.settings,
                        &state.mailer,
                        state.clock.now(),
                    )
                });
            match run {
                Ok(report) if report != jobs::JobReport::default() => {
                    tracing::info!(?report, "jobs ran")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "jobs failed"),
            }
            std::thread::sleep(interval);
        })
        .expect("the jobs thread starts");
}

/// Serves until stopped. An operator clock starts running once the server
/// listens.
pub async fn serve(
    state: AppState,
    operator_clock: Option<std::sync::Arc<crate::clock::OperatorClock>>,
) -> anyhow::Result<()> {
    let bind = state.settings.server.bind.clone();
    let workers = state.settings.server.workers;
    let state = web::Data::new(state);
    if state.settings.jobs.enabled {
        spawn_jobs(state.clone());
    }
    tracing::info!(%bind, backend = state.backend, "dongari listening on http://{bind}");
    let pool_size = state.settings.database.connections() as usize;
    let mut server = HttpServer::new(move || app(state.clone()));
    let workers = if workers > 0 {
        workers
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    // Database work runs on each worker's blocking threads; more threads
    // than pooled connections would only queue on the pool's lock, so
    // together they match the pool.
    server = server
        .workers(workers)
        .worker_max_blocking_threads((pool_size / workers).max(1));
    let server = server
        .bind(&bind)
        .with_context(|| format!("cannot listen on {bind}"))?
        .run();
    if let Some(clock) = operator_clock {
        clock.run();
    }
    server.await.context("server stopped with an error")
}
