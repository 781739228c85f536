//! The command line: serve, migrate, user, import, demo.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use clap::{Parser, Subcommand};

use crate::clock::{Clock, FixedClock, SharedClock, SystemClock};
use crate::config::Settings;
use crate::db::{self, DatabaseUrl, DbConn};
use crate::error::AppError;
use crate::org::forms::{EmployeeInput, RawEmployee};
use crate::org::import::{self, ImportError, ImportSummary};
use crate::org::model::{self, Role, RoleGrant};
use crate::org::{demo, service};
use crate::password;
use crate::startup;

#[derive(Parser, Debug)]
#[command(
    name = "dongari",
    version,
    about = "동아리 — 학습동아리 포털 (learning-club portal)"
)]
pub struct Cli {
    /// A configuration file layered over config/default.toml and config/local.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The organization (기관) a user or import command is for, by code;
    /// needed only when the portal serves several.
    #[arg(long, global = true, value_name = "CODE")]
    pub organization: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the portal (the default).
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8080 (also DONGARI__SERVER__BIND).
        #[arg(long, value_name = "ADDR:PORT")]
        bind: Option<String>,
        /// Run the whole server as of this instant, time running on from
        /// there (rehearsals, training copies, tests; refused in
        /// production). Also DONGARI__SERVER__AS_OF.
        #[arg(long, value_name = "DATETIME")]
        as_of: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import CSV files (UTF-8, with or without BOM; all rows or none).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Load a demo district office (~150 employees) into an empty database,
    /// or with --scale a city-sized one.
    Demo {
        /// `seoul` (26 offices, 42,443 employees, 4,000 clubs, five years
        /// of meetings and reports) or a factor of it, e.g. 0.003 for one
        /// district.
        #[arg(long, value_name = "SCALE")]
        scale: Option<String>,
        /// With --scale: put the people and clubs in this many offices
        /// (1 to 26) instead of the city's own split; `--offices 1` makes
        /// one office with every club in one evaluation round.
        #[arg(long, value_name = "N", requires = "scale")]
        offices: Option<usize>,
        /// Make the data as of this instant (Asia/Seoul) instead of now,
        /// e.g. to serve it later with `serve --as-of` the same instant.
        #[arg(long, value_name = "DATETIME")]
        as_of: Option<String>,
    },
    /// Background jobs: the deadline sweep, reminders and mail delivery.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Organizations (기관): the city hall and districts served.
    #[command(subcommand)]
    Org(OrgCommand),
    /// The learning ledger (hours, mileage, vouchers, KRW, leave).
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Badges (Open Badges 2.0 and 3.0).
    #[command(subcommand)]
    Badges(BadgesCommand),
}

#[derive(Subcommand, Debug)]
pub enum BadgesCommand {
    /// Give what every rule badge of the office (--org) would have given
    /// for the past; again, nothing new.
    Backfill {
        /// As of this instant (default: now).
        #[arg(long, value_name = "DATETIME")]
        as_of: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum LedgerCommand {
    /// Replay the whole ledger: the hash chain, every movement's balance and
    /// fingerprint, reversals and the balance cache. Exits non-zero naming
    /// each violation.
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// List the organizations.
    List,
    /// Add an organization.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
    /// Rename an organization (e.g. the first one, made as "기관").
    Rename {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    /// Run every job once and exit.
    Run {
        /// The instant to run as, e.g. 2026-12-06T09:00:00+09:00, or
        /// "2026-12-06 09:00" / 2026-12-06 in Seoul time (default: now).
        #[arg(long, value_name = "DATETIME")]
        as_of: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an employee who can log in.
    Add {
        #[arg(long)]
        employee_no: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// member, evaluator, coordinator or admin; repeat or separate by commas.
        #[arg(long, value_delimiter = ',', default_value = "member")]
        role: Vec<String>,
        /// Department code (a coordinator coordinates this department).
        #[arg(long)]
        department: Option<String>,
        /// Grade 1–9.
        #[arg(long)]
        grade: Option<String>,
        /// 행정, 기술, 연구지도, 관리운영-사무운영, 관리운영-기타, 임기제, 기타 (or the code).
        #[arg(long)]
        job_family: Option<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password for an employee (ends their sessions).
    Passwd {
        #[arg(long)]
        employee_no: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Columns: employee_no, name, email, department_code, grade, job_family[, active]
    /// (Korean headers 사원번호, 성명, 이메일, 부서코드, 직급, 직군 work too).
    Employees { file: PathBuf },
    /// Columns: code, name[, parent_code].
    Departments { file: PathBuf },
    /// One row per membership: club, kind, department_code, field,
    /// formed_on, employee_no, role, joined_on[, left_on] (Korean headers
    /// 동아리, 종류, 부서코드, 분야, 결성일, 사원번호, 역할, 가입일, 탈퇴일 too).
    Clubs { file: PathBuf },
    /// Recognized hours from the HR learning system, one line per record:
    /// employee_no, learning_type, title, hours, date[, record_no] (Korean
    /// headers 사원번호, 학습유형, 과정명, 시간, 학습일, 이력번호 too).
    /// Importing the same file again records nothing new.
    HrHours { file: PathBuf },
}

pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut settings = Settings::load(cli.config.as_deref())?;
    init_tracing(&settings.log.level);
    let clock: SharedClock = Arc::new(SystemClock);
    let default = Command::Serve {
        bind: None,
        as_of: None,
    };
    match cli.command.unwrap_or(default) {
        Command::Serve { bind, as_of } => {
            if let Some(bind) = bind {
                settings.server.bind = bind;
            }
            if let Some(as_of) = as_of {
                settings.server.as_of = as_of;
                settings.check()?;
            }
            if settings.server.as_of.trim().is_empty() {
                let state = startup::prepare(settings, clock)?;
                return actix_web::rt::System::new().block_on(startup::serve(state, None));
            }
            let start = parse_instant(&settings.server.as_of)?;
            let operator = Arc::new(crate::clock::OperatorClock::new(start));
            tracing::warn!(as_of = %start.with_timezone(&crate::clock::seoul()), "serving with an operator clock, not the system clock");
            let state = startup::prepare(settings, operator.clone())?;
            actix_web::rt::System::new().block_on(startup::serve(state, Some(operator)))
        }
        Command::Migrate => {
            let mut conn = open(&settings)?;
            let applied = crate::upgrade::migrate(&mut conn, clock.now_naive())?;
            if applied.is_empty() {
                println!("database is up to date");
            } else {
                println!(
                    "applied {} migration(s): {}",
                    applied.len(),
                    applied.join(", ")
                );
            }
            Ok(())
        }
        Command::User(cmd) => user(cmd, cli.organization.as_deref(), &settings, &clock),
        Command::Org(cmd) => organizations(cmd, &settings, &clock),
        Command::Ledger(LedgerCommand::Verify) => {
            let mut conn = connect(&settings)?;
            let mut report = crate::ledger::verify::verify(&mut conn)?;
            report
                .violations
                .extend(crate::leaderboard::verify::check(&mut conn)?);
            report
                .violations
                .extend(crate::clubs::service::check_sizes(&mut conn)?);
            report
                .violations
                .extend(crate::clubs::service::check_counts(&mut conn)?);
            for violation in &report.violations {
                println!("violation: {violation}");
            }
            if !report.is_clean() {
                bail!("the ledger has {} violation(s)", report.violations.len());
            }
            println!(
                "ledger verified: {} entries in {} movements, {} accounts",
                report.entries, report.movements, report.accounts
            );
            Ok(())
        }
        Command::Badges(BadgesCommand::Backfill { as_of }) => {
            let clock = clock_as_of(as_of, clock)?;
            let mut conn = connect(&settings)?;
            let organization =
                service::resolve_organization(&mut conn, cli.organization.as_deref())
                    .map_err(user_error)?;
            let given = crate::badges::rules::backfill_office(
                &mut conn,
                &settings,
                &organization.id,
                clock.today(),
                clock.now_naive(),
            )
            .map_err(user_error)?;
            if given.is_empty() {
                println!("{}: no badge has a rule", organization.name);
            }
            for (class, awarded) in given {
                println!("{}: {class}: {awarded} new award(s)", organization.name);
            }
            Ok(())
        }
        Command::Jobs(JobsCommand::Run { as_of }) => {
            let clock = clock_as_of(as_of, clock)?;
            let now = clock.now();
            let state = startup::prepare(settings, clock)?;
            let mut conn = state.pool.get()?;
            let started = std::time::Instant::now();
            let report = crate::jobs::run_once(
                &mut conn,
                &state.templates,
                &state.settings,
                &state.mailer,
                now,
            )
            .map_err(user_error)?;
            if report.skipped {
                println!("another instance is running the jobs right now; nothing done");
                return Ok(());
            }
            println!(
                "jobs as of {}: {} report(s) marked missing, {} reminder mail(s) queued, {} mail(s) sent, {} to retry, {} failed, {} badge(s) awarded, {} badge notice(s) queued, in {} ms",
                now.with_timezone(&crate::clock::seoul()).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                report.marked_missing,
                report.reminders_queued,
                report.mails_sent,
                report.mails_retrying,
                report.mails_failed,
                report.badges_awarded,
                report.badge_notices,
                started.elapsed().as_millis()
            );
            Ok(())
        }
        Command::Import(cmd) => import(cmd, cli.organization.as_deref(), &settings, &clock),
        Command::Demo {
            scale: Some(scale),
            offices,
            as_of,
        } => {
            let clock = clock_as_of(as_of, clock)?;
            generate(&scale, offices, &settings, &clock)
        }
        Command::Demo {
            scale: None, as_of, ..
        } => {
            let clock = clock_as_of(as_of, clock)?;
            let mut conn = connect(&settings)?;
            let (today, now) = (clock.today(), clock.now_naive());
            let (
                accounts,
                (clubs, members),
                ((on_time, late), awarded),
                (recognized, hr_lines),
                ((items, redemptions), king),
                (badge_classes, badges),
            ) = crate::db::write_tx(&mut conn, |c| {
                let accounts = demo::load(c, now)?;
                let reactions = crate::badges::rules::club_reactions();
                let clubs = crate::clubs::demo::load(c, &settings, &reactions, today, now)?;
                let reports = crate::reports::demo::load(c, &settings, today, clock.now())?;
                let templates = crate::state::load_templates(&settings.web.templates_dir)?;
                let awarded = crate::evaluation::demo::load(c, &templates, &settings, today)?;
                let ledger = (
                    crate::recognition::demo::load(c, &settings, today, now)?,
                    crate::hr::demo::load(c, &settings, today, now)?,
                );
                let vouchers = crate::vouchers::demo::load(c, today, now)?;
                let king = crate::leaderboard::demo::load(c, today, now)?;
                let badges = crate::badges::demo::load(c, &settings, today, now)?;
                Ok::<_, AppError>((
                    accounts,
                    clubs,
                    (reports, awarded),
                    ledger,
                    (vouchers, king),
                    badges,
                ))
            })
            .map_err(user_error)?;
            println!(
                "데모 조직을 불러왔습니다: 5개 국·소, 14개 과, {} 명, 동아리 {clubs}개 (회원 {members}명), 1년 치 모임 기록, 월별 활동보고서 {on_time}건 기한 내 · {late}건 지각 제출.",
                model::employee_count(&mut conn)?
            );
            if let Some(awarded) = awarded {
                println!("2026년 상반기 성과 평가: 모든 동아리가 성과보고서를 내고 채점을 받아 {awarded}개 동아리 시상이 확정되었습니다.");
            }
            if recognized > 0 {
                println!("2026년 상반기 학습동아리 상시학습: {recognized}명의 인정 시간이 승인되었습니다.");
            }
            println!(
                "인사 학습이력 {hr_lines}건을 가져왔습니다 (목표 달성 현황: /ledger/progress)."
            );
            println!("학습바우처 카탈로그 {items}개 품목, 사용 신청 {redemptions}건 (/me/vouchers, /vouchers).");
            if let Some(king) = king {
                println!("2025년 지식왕: {king} (리더보드: /leaderboards).");
            }
            println!(
                "배지 {badge_classes}종, {badges}개 수여 (오픈 배지 2.0·3.0: /me/badges, /badges)."
            );
            println!("로그인할 수 있는 계정 (비밀번호는 지금 한 번만 표시됩니다):");
            for a in accounts {
                println!(
                    "  {:<10} 사원번호 {}  비밀번호 {}  {}",
                    a.role, a.employee_no, a.password, a.name
                );
            }
            println!(
                "dongari serve 로 시작한 뒤 http://{}/login 에서 로그인하세요.",
                settings.server.bind
            );
            Ok(())
        }
    }
}

/// `demo --scale`: the generator, with a summary of what it made.
/// The clock a command runs on: fixed at `--as-of` when given.
fn clock_as_of(as_of: Option<String>, clock: SharedClock) -> anyhow::Result<SharedClock> {
    Ok(match as_of {
        Some(text) => Arc::new(FixedClock::new(parse_instant(&text)?)),
        None => clock,
    })
}

fn generate(
    scale: &str,
    offices: Option<usize>,
    settings: &Settings,
    clock: &SharedClock,
) -> anyhow::Result<()> {
    let mut plan = crate::scale::Plan::parse(scale)
        .ok_or_else(|| anyhow!("--scale: `seoul` or a factor between 0 and 1, got {scale:?}"))?;
    if let Some(n) = offices {
        plan = plan
            .in_offices(n)
            .ok_or_else(|| anyhow!("--offices: between 1 and 26, got {n}"))?;
    }
    let mut conn = connect(settings)?;
    let password = password::generate();
    let hash = password::hash(&password).map_err(user_error)?;
    let started = std::time::Instant::now();
    let made = crate::scale::generate(
        &mut conn,
        plan,
        &hash,
        settings,
        clock.today(),
        clock.now_naive(),
    )
    .map_err(user_error)?;
    println!(
        "made in {:.1} s: {} organization(s), {} employees, {} clubs ({} memberships), {} meetings with {} attendance rows, {} monthly reports, {} evaluation round(s) with {} score sheets, {} mileage earnings (a year of meetings)",
        started.elapsed().as_secs_f64(),
        made.organizations,
        made.employees,
        made.clubs,
        made.memberships,
        made.meetings,
        made.attendance,
        made.reports,
        made.rounds,
        made.score_sheets,
        made.mileage_earnings
    );
    println!("each organization's administrator is 9000001, password (shown once): {password}");
    println!("organizations: {}", made.codes.join(", "));
    Ok(())
}

/// `--as-of`: see `clock::parse_instant`.
fn parse_instant(text: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    crate::clock::parse_instant(text.trim()).ok_or_else(|| {
        anyhow!("--as-of: expected 2026-12-06T09:00:00+09:00 or \"2026-12-06 09:00\" (Seoul time), got {text:?}")
    })
}

fn init_tracing(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::stdout().is_terminal())
        .try_init();
}

/// A migrated connection for one-off commands.
/// A connection to an up-to-date database.
fn connect(settings: &Settings) -> anyhow::Result<db::PooledConn> {
    let mut conn = open(settings)?;
    crate::upgrade::migrate(&mut conn, SystemClock.now().naive_utc())?;
    Ok(conn)
}

fn open(settings: &Settings) -> anyhow::Result<db::PooledConn> {
    let url = DatabaseUrl::parse(&settings.database.url)?;
    let pool = db::connect(&url, 1)?;
    pool.get()
        .with_context(|| format!("cannot connect to the {} database", url.backend()))
}

fn user_error(e: AppError) -> anyhow::Error {
    match e {
        AppError::Validation { field, message } => anyhow!("{field}: {message}"),
        other => anyhow!("{other}"),
    }
}

fn read_password_stdin(employee_no: &str) -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    password::check_policy(&password, employee_no).map_err(user_error)?;
    Ok(password)
}

fn organizations(cmd: OrgCommand, settings: &Settings, clock: &SharedClock) -> anyhow::Result<()> {
    let mut conn = connect(settings)?;
    match cmd {
        OrgCommand::List => {
            for o in model::organizations(&mut conn)? {
                println!("{}\t{}", o.code, o.name);
            }
        }
        OrgCommand::Add { code, name } => {
            let code = code.trim();
            if code.is_empty()
                || code.len() > 20
                || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                bail!("--code: 1-20 letters, digits or hyphens");
            }
            model::insert_organization(&mut conn, code, name.trim(), clock.now_naive())
                .map_err(|e| user_error(AppError::unique_as("that code exists")(e)))?;
            println!("added organization {code} {}", name.trim());
        }
        OrgCommand::Rename { code, name } => {
            let organization =
                service::resolve_organization(&mut conn, Some(&code)).map_err(user_error)?;
            model::rename_organization(&mut conn, &organization.id, name.trim())?;
            println!("renamed organization {code} to {}", name.trim());
        }
    }
    Ok(())
}

fn user(
    cmd: UserCommand,
    organization: Option<&str>,
    settings: &Settings,
    clock: &SharedClock,
) -> anyhow::Result<()> {
    let mut conn = connect(settings)?;
    let now = clock.now_naive();
    let organization =
        service::resolve_organization(&mut conn, organization).map_err(user_error)?;
    match cmd {
        UserCommand::Add {
            employee_no,
            name,
            email,
            role,
            department,
            grade,
            job_family,
            password_stdin,
        } => {
            let input = EmployeeInput::parse(&RawEmployee {
                employee_no: &employee_no,
                name: &name,
                email: &email,
                department_code: department.as_deref(),
                grade: grade.as_deref(),
                job_family: job_family.as_deref(),
                active: None,
            })
            .map_err(|errors| {
                anyhow!(errors
                    .into_iter()
                    .map(|e| user_error(e).to_string())
                    .collect::<Vec<_>>()
                    .join("\n"))
            })?;
            let roles = parse_roles(&mut conn, &organization.id, &role, department.as_deref())?;
            let (password, generated) = if password_stdin {
                (read_password_stdin(&input.employee_no)?, false)
            } else {
                (password::generate(), true)
            };
            let hash = password::hash(&password).map_err(user_error)?;
            crate::db::write_tx(&mut conn, |c| {
                service::create_employee(
                    c,
                    &organization.id,
                    &input,
                    &roles,
                    Some(&hash),
                    None,
                    now,
                )
            })
            .map_err(user_error)?;
            let labels: Vec<&str> = roles.iter().map(|g| g.role.code()).collect();
            println!(
                "added {} {} ({})",
                input.employee_no,
                input.name,
                labels.join(", ")
            );
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        UserCommand::Passwd {
            employee_no,
            password_stdin,
        } => {
            let employee = model::employee_by_no(&mut conn, &organization.id, employee_no.trim())?
                .ok_or_else(|| anyhow!("no employee with number {employee_no}"))?;
            let password = if password_stdin {
                read_password_stdin(&employee.employee_no)?
            } else {
                password::generate()
            };
            let hash = password::hash(&password).map_err(user_error)?;
            crate::db::write_tx(&mut conn, |c| -> Result<(), AppError> {
                model::set_password(c, &employee.id, &hash, now)?;
                crate::audit::record(
                    c,
                    now,
                    None,
                    "password.set",
                    &employee.id,
                    serde_json::json!({ "by": "cli" }),
                )?;
                Ok(())
            })
            .map_err(user_error)?;
            println!(
                "password set for {} {}",
                employee.employee_no, employee.name
            );
            if !password_stdin {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
    }
}

fn parse_roles(
    conn: &mut DbConn,
    organization_id: &str,
    names: &[String],
    department: Option<&str>,
) -> anyhow::Result<Vec<RoleGrant>> {
    let mut grants = vec![RoleGrant {
        role: Role::Member,
        department_id: None,
    }];
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let role = Role::parse(name).ok_or_else(|| {
            anyhow!("role: unknown role {name:?} (member, evaluator, coordinator, admin)")
        })?;
        let department_id = if role == Role::Coordinator {
            let code =
                department.ok_or_else(|| anyhow!("role: a coordinator needs --department CODE"))?;
            service::department_id_for(conn, organization_id, Some(code)).map_err(user_error)?
        } else {
            None
        };
        let grant = RoleGrant {
            role,
            department_id,
        };
        if !grants.contains(&grant) {
            grants.push(grant);
        }
    }
    Ok(grants)
}

fn import(
    cmd: ImportCommand,
    organization: Option<&str>,
    settings: &Settings,
    clock: &SharedClock,
) -> anyhow::Result<()> {
    let (file, kind) = match &cmd {
        ImportCommand::Employees { file } => (file, "employees"),
        ImportCommand::Departments { file } => (file, "departments"),
        ImportCommand::Clubs { file } => (file, "clubs"),
        ImportCommand::HrHours { file } => (file, "HR learning hours"),
    };
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut conn = connect(settings)?;
    let now = clock.now_naive();
    let organization =
        service::resolve_organization(&mut conn, organization).map_err(user_error)?;
    let org_id = organization.id.as_str();
    let mut bar = ProgressBar::new();
    let result = match cmd {
        ImportCommand::Employees { .. } => {
            import::import_employees(&mut conn, org_id, &bytes, now, &mut |d, t| bar.show(d, t))
        }
        ImportCommand::Departments { .. } => {
            import::import_departments(&mut conn, org_id, &bytes, now, &mut |d, t| bar.show(d, t))
        }
        ImportCommand::Clubs { .. } => {
            crate::clubs::import::import_clubs(&mut conn, org_id, &bytes, clock.today(), now)
        }
        ImportCommand::HrHours { .. } => crate::hr::import::import_hr_hours(
            &mut conn,
            settings,
            org_id,
            &bytes,
            None,
            clock.today(),
            now,
        ),
    };
    bar.finish();
    match result {
        Ok(ImportSummary {
            created,
            updated,
            unchanged,
        }) => {
            println!("imported {kind} from {}: {created} created, {updated} updated, {unchanged} unchanged", file.display());
            Ok(())
        }
        Err(ImportError::Invalid(errors)) => {
            const SHOWN: usize = 200;
            for e in errors.iter().take(SHOWN) {
                eprintln!("{}:{e}", file.display());
            }
            if errors.len() > SHOWN {
                eprintln!("… and {} more", errors.len() - SHOWN);
            }
            bail!(
                "{} problem(s) in {}; nothing was imported",
                errors.len(),
                file.display()
            )
        }
        Err(ImportError::Failed(e)) => Err(e.context("import failed; nothing was imported")),
    }
}

/// A text progress bar on standard error, for large files on a terminal.
struct ProgressBar {
    enabled: bool,
    last_percent: usize,
    drawn: bool,
}

impl ProgressBar {
    const MIN_ROWS: usize = 1000;

    fn new() -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            last_percent: usize::MAX,
            drawn: false,
        }
    }

    fn show(&mut self, done: usize, total: usize) {
        if !self.enabled || total < Self::MIN_ROWS {
            return;
        }
        let percent = done * 100 / total;
        if percent == self.last_percent {
            return;
        }
        self.last_percent = percent;
        self.drawn = true;
        let filled = percent * 30 / 100;
        eprint!(
            "\r[{}{}] {percent:>3}% {done}/{total}",
            "#".repeat(filled),
            " ".repeat(30 - filled)
        );
        let _ = std::io::stderr().flush();
    }

    fn finish(&self) {
        if self.drawn {
            eprintln!();
        }
    }
}
