//! Settings, layered: the built-in `config/default.toml`, then
//! `config/local.toml` if present, then `--config FILE`, then
//! `DONGARI__SECTION__KEY` environment variables.

use std::path::Path;

use anyhow::{anyhow, bail, Context};
use serde::Deserialize;
use toml::{Table, Value};

use crate::error::FieldProblem;

pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");
const ENV_PREFIX: &str = "DONGARI__";
const PLACEHOLDER_SECRETS: [&str; 2] = [
    "dongari-development-secret-do-not-use-in-production",
    "REPLACE-WITH-AT-LEAST-32-RANDOM-CHARACTERS",
];
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub profile: Profile,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub web: WebSettings,
    pub clubs: ClubSettings,
    pub reports: ReportSettings,
    pub evaluation: EvaluationSettings,
    pub mileage: MileageSettings,
    pub vouchers: VoucherSettings,
    pub leaderboard: LeaderboardSettings,
    pub badges: BadgeSettings,
    pub mail: MailSettings,
    pub jobs: JobSettings,
    pub log: LogSettings,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Development,
    Production,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    pub workers: usize,
    /// Empty, or the instant the server's clock starts at (`serve --as-of`).
    pub as_of: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    /// Pooled connections; 0: twice the cores.
    pub pool_size: u32,
}

impl DatabaseSettings {
    /// The connections to pool, and the threads that use them. SQLite's
    /// reads keep a core busy from start to end, so threads beyond twice
    /// the cores only take turns on them: on 2 cores, 4 instead of 8 made
    /// the pages 9–17 % cheaper and their p99 lower. A server waiting on a
    /// remote PostgreSQL may want more.
    pub fn connections(&self) -> u32 {
        match self.pool_size {
            0 => std::thread::available_parallelism().map_or(2, |cores| 2 * cores.get() as u32),
            size => size,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub jwt_secret: String,
    pub secret_file: String,
    pub token_ttl_minutes: i64,
    pub max_failed_logins: i32,
    pub lockout_minutes: i64,
    pub cookie_secure: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebSettings {
    pub templates_dir: String,
    pub assets_dir: String,
    pub max_body_kib: usize,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClubSettings {
    pub half_year_cap_hours: i64,
    pub count_ad_hoc_meetings: bool,
    pub max_meeting_hours: i64,
    pub default_start: String,
    pub default_end: String,
    /// Working hours on weekdays: a meeting that overlaps them needs a
    /// reason (근무시간 내 모임).
    #[serde(default = "default_work_start")]
    pub work_start: String,
    #[serde(default = "default_work_end")]
    pub work_end: String,
}

fn default_work_start() -> String {
    "09:00".into()
}

fn default_work_end() -> String {
    "18:00".into()
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    pub months: Vec<u32>,
    pub due_day: u32,
    pub holiday_shift: bool,
    pub remind_days: Vec<u32>,
    pub overdue_day: u32,
    pub copy_members: bool,
}

/// Defaults for a new evaluation round (the administrator can change each
/// one when opening it) and the rules around awards.
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationSettings {
    pub rubric: Vec<RubricSetting>,
    pub prizes: Vec<PrizeSetting>,
    pub combination: String,
    pub trim_min_evaluators: i32,
    pub evaluators_per_club: i32,
    /// Reminders this many days before a window closes.
    pub remind_days_before: i64,
    pub special_leave_days: i32,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RubricSetting {
    pub name: String,
    pub weight: i32,
    pub max_points: i32,
}

#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrizeSetting {
    pub tier: String,
    pub winners: i32,
    pub amount_krw: i64,
}

/// The default mileage rules of an office without versions of its own.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MileageSettings {
    pub rules: Vec<MileageRuleSetting>,
    pub points_per_hour: i64,
    pub yearly_conversion_cap_hours: i64,
    pub conversion_needs_approval: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MileageRuleSetting {
    pub activity: String,
    pub points: i64,
    pub daily_limit: Option<i32>,
    /// Activities of one pool share its half-year cap; alone by default.
    pub pool: Option<String>,
    pub half_year_cap: Option<i64>,
}

/// The default voucher rules of an office without versions of its own.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoucherSettings {
    pub rules: Vec<VoucherRuleSetting>,
    /// Vouchers of year Y expire at the end of year Y + N; 0: never.
    pub expire_after_years: i32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoucherRuleSetting {
    pub activity: String,
    pub vouchers: i64,
    /// For `leaderboard`: the places of a month's board that earn.
    pub top_n: Option<i32>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardSettings {
    pub top_n: i64,
}

/// Who issues the badges: every office is its own issuer, under its name,
/// with these address and email unless `issuers.<office code>` says
/// otherwise.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BadgeSettings {
    /// The issuer's web page; empty: the portal's address (`mail.base_url`).
    pub issuer_url: String,
    pub issuer_email: String,
    #[serde(default)]
    pub issuers: std::collections::BTreeMap<String, IssuerSettings>,
}

/// One office's issuer profile, over the defaults.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerSettings {
    pub name: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: String,
    pub from: String,
    pub file_dir: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: String,
    pub smtp_username: String,
    pub smtp_password: String,
    pub max_attempts: i32,
    pub base_url: String,
}

impl MailSettings {
    /// The portal's public address of `path` (which starts with `/`), for
    /// a mail or a document published to the world (a badge).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    pub enabled: bool,
    pub interval_seconds: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub level: String,
}

impl Settings {
    /// Loads the layers from `config/` in the working directory, the given
    /// file and the process environment, then checks the result.
    pub fn load(explicit_file: Option<&Path>) -> anyhow::Result<Self> {
        Self::load_from(Path::new("config"), explicit_file, std::env::vars())
    }

    pub fn load_from(
        config_dir: &Path,
        explicit_file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Self> {
        let mut table: Table = DEFAULT_TOML.parse().context("built-in default.toml")?;
        let local = config_dir.join("local.toml");
        if local.is_file() {
            merge(&mut table, read_table(&local)?);
        }
        if let Some(file) = explicit_file {
            merge(&mut table, read_table(file)?);
        }
        apply_env(&mut table, env)?;
        let settings: Settings = Value::Table(table)
            .try_into()
            .map_err(|e| anyhow!("invalid configuration: {e}"))?;
        settings.check()?;
        Ok(settings)
    }

    /// Rules that no single field's type can express.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.profile == Profile::Production && !self.server.as_of.trim().is_empty() {
            bail!("server.as_of (serve --as-of) sets the clock for rehearsals and tests; production refuses it");
        }
        let secret = self.auth.jwt_secret.trim();
        if !secret.is_empty()
            && (PLACEHOLDER_SECRETS.contains(&secret) || secret.len() < MIN_SECRET_LEN)
        {
            bail!(
                "auth.jwt_secret is a placeholder or shorter than {MIN_SECRET_LEN} characters: \
                 set it to at least {MIN_SECRET_LEN} random characters, or leave it empty \
                 outside production to have one generated"
            );
        }
        if self.auth.token_ttl_minutes < 1 || self.auth.token_ttl_minutes > 24 * 60 {
            bail!("auth.token_ttl_minutes must be between 1 and 1440");
        }
        if self.auth.max_failed_logins < 1 {
            bail!("auth.max_failed_logins must be at least 1");
        }
        first_broken("clubs", self.clubs.problems())?;
        first_broken("reports", self.reports.problems())?;
        self.mileage.check()?;
        self.vouchers.check()?;
        if !(1..=100).contains(&self.leaderboard.top_n) {
            bail!("leaderboard.top_n must be 1–100");
        }
        if !["smtp", "file", "memory"].contains(&self.mail.transport.as_str()) {
            bail!(
                "mail.transport must be smtp, file or memory, got {:?}",
                self.mail.transport
            );
        }
        if !["starttls", "tls", "none"].contains(&self.mail.smtp_security.as_str()) {
            bail!("mail.smtp_security must be starttls, tls or none");
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            bail!("mail.from is not a mail address: {:?}", self.mail.from);
        }
        if self.mail.max_attempts < 1 || self.jobs.interval_seconds < 1 {
            bail!("mail.max_attempts and jobs.interval_seconds must be at least 1");
        }
        crate::db::DatabaseUrl::parse(&self.database.url)?;
        Ok(())
    }
}

impl ClubSettings {
    /// Rules no field's type expresses (also for an organization's policy),
    /// each broken one with its key and why.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let mut broken = |field: &str, message: &str| problems.push(problem(field, message));
        if self.half_year_cap_hours < 0 {
            broken("half_year_cap_hours", "반기 인정 한도는 0시간 이상입니다.");
        }
        if !(1..=24).contains(&self.max_meeting_hours) {
            broken(
                "max_meeting_hours",
                "모임 최대 시간은 1시간부터 24시간까지입니다.",
            );
        }
        let time = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok();
        if time(&self.default_start).is_none() {
            broken("default_start", "모임 기본 시작 시각은 19:00처럼 적으세요.");
        }
        if time(&self.default_end).is_none() {
            broken("default_end", "모임 기본 종료 시각은 21:00처럼 적으세요.");
        }
        let (start, end) = (time(&self.work_start), time(&self.work_end));
        if start.is_none() {
            broken("work_start", "근무 시작 시각은 09:00처럼 적으세요.");
        }
        if end.is_none() {
            broken("work_end", "근무 종료 시각은 18:00처럼 적으세요.");
        }
        if let (Some(start), Some(end)) = (start, end) {
            if end <= start {
                broken("work_end", "근무 종료 시각은 시작 시각보다 늦어야 합니다.");
            }
        }
        problems
    }
}

impl MileageSettings {
    pub fn check(&self) -> anyhow::Result<()> {
        for rule in &self.rules {
            if !(0..=100_000).contains(&rule.points)
                || rule.daily_limit.is_some_and(|d| d < 1)
                || rule.half_year_cap.is_some_and(|c| c < 1)
            {
                bail!(
                    "mileage.rules: {:?} needs points 0–100000, daily_limit and half_year_cap at least 1",
                    rule.activity
                );
            }
        }
        if self.points_per_hour < 1 || !(0..=1000).contains(&self.yearly_conversion_cap_hours) {
            bail!(
                "mileage.points_per_hour must be at least 1 and yearly_conversion_cap_hours 0–1000"
            );
        }
        Ok(())
    }
}

impl VoucherSettings {
    pub fn check(&self) -> anyhow::Result<()> {
        for rule in &self.rules {
            if !(0..=10_000).contains(&rule.vouchers)
                || rule.top_n.is_some_and(|n| !(1..=100).contains(&n))
                || (rule.activity == "leaderboard") != rule.top_n.is_some()
            {
                bail!(
                    "vouchers.rules: {:?} needs vouchers 0–10000, and top_n 1–100 exactly for leaderboard",
                    rule.activity
                );
            }
        }
        if !(0..=50).contains(&self.expire_after_years) {
            bail!("vouchers.expire_after_years must be 0–50");
        }
        Ok(())
    }
}

impl ReportSettings {
    /// Rules no field's type expresses (also for an organization's policy),
    /// each broken one with its key and why.
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let mut broken = |field: &str, message: &str| problems.push(problem(field, message));
        let day = |d: &u32| (1..=28).contains(d);
        if !self.months.iter().all(|m| (1..=12).contains(m)) {
            broken("months", "보고 대상 월은 1월부터 12월까지입니다.");
        }
        if !day(&self.due_day) {
            broken("due_day", "제출 기한일은 1일부터 28일까지입니다.");
        }
        if !self.remind_days.iter().all(day) {
            broken("remind_days", "알림일은 1일부터 28일까지입니다.");
        }
        if !day(&self.overdue_day) {
            broken("overdue_day", "미제출 처리일은 1일부터 28일까지입니다.");
        } else if day(&self.due_day) && self.overdue_day <= self.due_day {
            broken(
                "overdue_day",
                "미제출 처리일은 제출 기한일보다 뒤여야 합니다.",
            );
        }
        problems
    }
}

fn problem(field: &str, message: &str) -> FieldProblem {
    FieldProblem {
        field: field.to_string(),
        message: message.to_string(),
    }
}

/// The first broken rule of a section, for the configuration's loader.
fn first_broken(section: &str, problems: Vec<FieldProblem>) -> anyhow::Result<()> {
    match problems.into_iter().next() {
        Some(p) => bail!("{section}.{}: {}", p.field, p.message),
        None => Ok(()),
    }
}

fn read_table(path: &Path) -> anyhow::Result<Table> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    text.parse::<Table>()
        .map_err(|e| anyhow!("config file {}: {e}", path.display()))
}

/// Overlays `top` onto `base`, table by table.
fn merge(base: &mut Table, top: Table) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(t)) => merge(b, t),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// `DONGARI__AUTH__TOKEN_TTL_MINUTES=30` sets `auth.token_ttl_minutes`. The
/// value is read as the type the key already has, so a URL or a number-like
/// string never changes meaning. Unknown keys are an error, not ignored.
fn apply_env(
    table: &mut Table,
    env: impl IntoIterator<Item = (String, String)>,
) -> anyhow::Result<()> {
    for (name, raw) in env {
        let Some(path) = name.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        let keys: Vec<String> = path.split("__").map(|k| k.to_ascii_lowercase()).collect();
        let (last, parents) = keys.split_last().expect("split yields one item");
        let mut node = &mut *table;
        for key in parents {
            node = match node.get_mut(key) {
                Some(Value::Table(t)) => t,
                _ => bail!("unknown setting {name}"),
            };
        }
        let value = match node.get(last) {
            Some(Value::Integer(_)) => Value::Integer(
                raw.trim()
                    .parse()
                    .map_err(|_| anyhow!("{name} must be a whole number, got {raw:?}"))?,
            ),
            Some(Value::Boolean(_)) => Value::Boolean(
                raw.trim()
                    .parse()
                    .map_err(|_| anyhow!("{name} must be true or false, got {raw:?}"))?,
            ),
            Some(Value::String(_)) => Value::String(raw),
            Some(_) => bail!("{name} is a list or table: set it in a config file"),
            None => bail!("unknown setting {name}"),
        };
        node.insert(last.clone(), value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_load_without_files() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::load_from(dir.path(), None, env(&[])).unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:8080");
        assert_eq!(s.database.url, "sqlite://data/dongari.db");
        assert_eq!(s.profile, Profile::Development);
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("local.toml"),
            "[server]\nbind = \"0.0.0.0:9000\"\n[auth]\ntoken_ttl_minutes = 30\n",
        )
        .unwrap();
        let explicit = dir.path().join("site.toml");
        std::fs::write(&explicit, "[auth]\ntoken_ttl_minutes = 20\n").unwrap();
        let s = Settings::load_from(
            dir.path(),
            Some(&explicit),
            env(&[
                ("DONGARI__AUTH__TOKEN_TTL_MINUTES", "10"),
                ("DONGARI__DATABASE__URL", "postgres://u:p@h/d"),
                ("DONGARI__AUTH__COOKIE_SECURE", "true"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(s.server.bind, "0.0.0.0:9000");
        assert_eq!(s.auth.token_ttl_minutes, 10);
        assert_eq!(s.database.url, "postgres://u:p@h/d");
        assert!(s.auth.cookie_secure);
    }

    #[test]
    fn bad_env_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = Settings::load_from(
            dir.path(),
            None,
            env(&[("DONGARI__AUTH__TOKEN_TTL_MINUTES", "soon")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("DONGARI__AUTH__TOKEN_TTL_MINUTES"), "{err}");
        let err = Settings::load_from(dir.path(), None, env(&[("DONGARI__NOPE__X", "1")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown setting DONGARI__NOPE__X"), "{err}");
    }

    #[test]
    fn placeholder_and_short_secrets_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "dongari-development-secret-do-not-use-in-production",
            "too-short",
        ] {
            let err =
                Settings::load_from(dir.path(), None, env(&[("DONGARI__AUTH__JWT_SECRET", bad)]))
                    .unwrap_err()
                    .to_string();
            assert!(err.contains("auth.jwt_secret"), "{err}");
        }
        let ok = Settings::load_from(
            dir.path(),
            None,
            env(&[
                ("DONGARI__PROFILE", "production"),
                (
                    "DONGARI__AUTH__JWT_SECRET",
                    "b3f1c0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5",
                ),
            ]),
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn unknown_database_scheme_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = Settings::load_from(
            dir.path(),
            None,
            env(&[("DONGARI__DATABASE__URL", "mysql://h/d")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unsupported database URL scheme"), "{err}");
    }
}
