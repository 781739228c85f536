//! Builds the application from Settings; used by `main` and by the tests.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;
use tera::Tera;

use crate::auth::jwt::JwtKeys;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::{self, DatabaseUrl, DbConn, DbPool};
use crate::error::{AppError, AppResult};
use crate::mail::Mailer;
use crate::{auth, clubs, evaluation, jobs, openapi, org, reports, web as pages};

/// Everything a request handler may need, shared by all workers.
pub struct AppState {
    pub pool: DbPool,
    pub backend: &'static str,
    pub settings: Settings,
    pub clock: SharedClock,
    pub templates: Tera,
    pub jwt: JwtKeys,
    pub mailer: Mailer,
}

impl AppState {
    /// Connects, migrates and loads templates.
    pub fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let url = DatabaseUrl::parse(&settings.database.url)?;
        let pool = db::connect(&url, settings.database.pool_size)?;
        let mut conn = pool
            .get()
            .with_context(|| format!("cannot connect to the {} database", url.backend()))?;
        let applied = db::migrate(&mut conn)?;
        if !applied.is_empty() {
            tracing::info!(migrations = ?applied, "database migrated");
        }
        drop(conn);
        let templates = load_templates(&settings.web.templates_dir)?;
        let jwt = JwtKeys::new(&settings.auth.jwt_secret, settings.auth.token_ttl_minutes);
        let mailer = Mailer::from_settings(&settings.mail)?;
        Ok(Self {
            pool,
            backend: url.backend(),
            settings,
            clock,
            templates,
            jwt,
            mailer,
        })
    }

    /// Runs blocking database work off the async threads, with one pooled
    /// connection. Multi-row changes open their transaction inside `f`.
    pub async fn db<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}

impl AppState {
    /// `db`, with `f` in one transaction: all of its writes or none.
    pub async fn tx<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.db(move |conn| {
            use diesel::Connection;
            conn.transaction(f)
        })
        .await
    }
}

pub fn load_templates(dir: &str) -> anyhow::Result<Tera> {
    let glob = format!("{}/**/*", dir.trim_end_matches('/'));
    let mut tera = Tera::new(&glob).map_err(|e| anyhow::anyhow!("templates in {dir}: {e:?}"))?;
    if tera.get_template_names().next().is_none() {
        anyhow::bail!("no templates found in {dir}/ (run dongari from the project folder or set web.templates_dir)");
    }
    tera.autoescape_on(vec![".html"]);
    tera.register_filter("won", won_filter);
    Ok(tera)
}

/// `{{ 500000 | won }}` → `500,000원`.
fn won_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let n = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg("won: not a whole number"))?;
    Ok(tera::Value::String(format!(
        "{}원",
        crate::web::thousands(n)
    )))
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
                .error_handler(pages::json_error),
        )
        .app_data(
            web::FormConfig::default()
                .limit(max_body)
                .error_handler(pages::form_error),
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
        .wrap(middleware::from_fn(pages::error_pages))
        .wrap(middleware::from_fn(auth::csrf::ensure_cookie))
        .wrap(middleware::from_fn(pages::request_log))
        .wrap(middleware::Compress::default())
        .route("/healthz", web::get().to(pages::healthz))
        .route("/api/openapi.json", web::get().to(openapi::document))
        .service(
            web::scope("/api/v1")
                .configure(auth::api_routes)
                .configure(org::api_routes)
                .configure(clubs::api_routes)
                .configure(reports::api_routes)
                .configure(evaluation::api_routes),
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
        .configure(org::page_routes)
        .configure(clubs::page_routes)
        .configure(reports::page_routes)
        .configure(evaluation::page_routes)
        .default_service(web::to(pages::not_found))
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

/// Serves until stopped.
pub async fn serve(state: AppState) -> anyhow::Result<()> {
    let bind = state.settings.server.bind.clone();
    let workers = state.settings.server.workers;
    let state = web::Data::new(state);
    if state.settings.jobs.enabled {
        spawn_jobs(state.clone());
    }
    tracing::info!(%bind, backend = state.backend, "dongari listening on http://{bind}");
    let mut server = HttpServer::new(move || app(state.clone()));
    if workers > 0 {
        server = server.workers(workers);
    }
    server
        .bind(&bind)
        .with_context(|| format!("cannot listen on {bind}"))?
        .run()
        .await
        .context("server stopped with an error")
}
