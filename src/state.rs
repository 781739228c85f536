//! What every request handler and job shares: the pool, settings, clock,
//! templates, signing keys, mailer and the views kept in memory. It sits
//! at the bottom of the house: domains use it, it uses no domain's
//! handlers.

use actix_web::web;

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::writer::Writer;
use crate::db::{self, DatabaseUrl, DbConn, DbPool};
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::mail::Mailer;
use crate::memo::Kept;
use crate::reactions::Reactions;
use crate::tokens::jwt::JwtKeys;

pub struct AppState {
    pub pool: DbPool,
    pub backend: &'static str,
    /// The configuration; an organization's own rules come from
    /// `org::policy::of`, over these.
    pub settings: std::sync::Arc<Settings>,
    pub clock: SharedClock,
    pub templates: Templates,
    pub jwt: JwtKeys,
    pub mailer: Mailer,
    /// What other domains do when a club's event happens (the badges).
    pub reactions: Reactions,
    /// On SQLite, the one connection every web write goes through, in
    /// groups (see `tx` and `db::writer`).
    writer: Option<Writer>,
    /// The office's leaderboards as made (`leaderboard::board`), made
    /// again when the office's board mark moves. A period's board of the
    /// city hall's people is about half a megabyte; the boards read daily
    /// are each office's month, half-year and year, of people and clubs.
    pub boards: std::sync::Arc<Kept>,
    /// Views of a whole office (a month's report facts, a round's
    /// ranking), made again when the office's mark of that view moves
    /// (`db::view_marks`).
    pub views: std::sync::Arc<Kept>,
    /// Pages as answered (the club list, a club's meetings), made again
    /// when the mark of the office or the club moves.
    pub pages: std::sync::Arc<Kept>,
}

impl AppState {
    /// Connects and loads templates; `startup::prepare` also brings the
    /// database up to this version.
    pub fn build(
        settings: Settings,
        clock: SharedClock,
        reactions: Reactions,
    ) -> anyhow::Result<Self> {
        let url = DatabaseUrl::parse(&settings.database.url)?;
        let pool = db::connect(&url, settings.database.connections())?;
        let templates = load_templates(&settings.web.templates_dir)?;
        let secret = crate::tokens::secret::signing_secret(&settings.auth, settings.profile)?;
        let jwt = JwtKeys::new(&secret, settings.auth.token_ttl_minutes);
        let mailer = Mailer::from_settings(&settings.mail)?;
        let writer = match &url {
            DatabaseUrl::Sqlite(_) => Some(Writer::start(&url)?),
            DatabaseUrl::Postgres(_) => None,
        };
        Ok(Self {
            pool,
            backend: url.backend(),
            settings: std::sync::Arc::new(settings),
            clock,
            templates,
            jwt,
            mailer,
            reactions,
            writer,
            boards: std::sync::Arc::new(Kept::with_limit(256)),
            // A round of 4,000 clubs is kept in about a megabyte; a month's
            // facts in a tenth of that.
            views: std::sync::Arc::new(Kept::with_limit(32)),
            // A page of twenty meetings is about 20 KB, of clubs 8 KB.
            pages: std::sync::Arc::new(Kept::with_limit(512)),
        })
    }

    /// Runs blocking database work off the async threads, with one pooled
    /// connection. Reads, and single-statement writes, go here.
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

    /// `db` for work that only reads, in one read transaction
    /// (`db::read_tx`): one snapshot, and on SQLite the locks taken once for
    /// all of its statements. For a page or answer of several statements.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.db(move |conn| db::read_tx(conn, f)).await
    }

    /// `db`, with `f` in one write transaction (`db::write_tx`): all of its
    /// writes or none. On SQLite it runs on the one writer connection, where
    /// it may run twice (`db::writer`): it changes only the database.
    pub async fn tx<T, F>(&self, f: F) -> AppResult<T>
    where
        F: Fn(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        match self.writer.clone() {
            Some(writer) => writer.run(f).await,
            None => self.db(move |conn| db::write_tx(conn, f)).await,
        }
    }

    /// `tx` for a write that changes thousands of rows (approving an
    /// office's hours, opening a round): on a pooled connection, never in
    /// the writer's group, whose savepoint journal is kept in memory and
    /// slows down as it grows (`db::writer`).
    pub async fn bulk_tx<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.db(move |conn| db::write_tx(conn, f)).await
    }
}

pub fn load_templates(dir: &str) -> anyhow::Result<Templates> {
    Templates::load(dir, |tera| {
        tera.register_filter("won", won_filter);
        tera.register_filter("hours", hours_filter);
        tera.register_filter("paragraphs", Paragraphs);
        tera.register_filter("t", crate::i18n::Translate);
        tera.register_filter("day", crate::i18n::Written(crate::i18n::day));
        tera.register_filter("month", crate::i18n::Written(crate::i18n::month));
        tera.register_filter("half_year", crate::i18n::Written(crate::i18n::half_year));
        tera.register_filter("period", crate::i18n::Written(crate::i18n::period));
    })
}

/// `{{ text | paragraphs }}`: a person's text as HTML, escaped, a
/// paragraph for each run of lines separated by a blank one, and a line
/// break for each single newline.
struct Paragraphs;

impl tera::Filter for Paragraphs {
    fn filter(
        &self,
        value: &tera::Value,
        _: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let text = value.as_str().unwrap_or_default().replace("\r\n", "\n");
        let html: String = text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let lines: Vec<String> = p.lines().map(tera::escape_html).collect();
                format!("<p>{}</p>", lines.join("<br>"))
            })
            .collect();
        Ok(tera::Value::String(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `{{ 500000 | won }}` → `500,000원`.
fn won_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let n = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg("won: not a whole number"))?;
    let amount = crate::format::thousands(n);
    Ok(tera::Value::String(match crate::i18n::current() {
        crate::i18n::Lang::Ko => format!("{amount}원"),
        crate::i18n::Lang::En => format!("KRW {amount}"),
    }))
}

/// `{{ 690 | hours }}` → `11시간 30분`; minutes, signed.
fn hours_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let minutes = value
        .as_i64()
        .ok_or_else(|| tera::Error::msg("hours: not a whole number of minutes"))?;
    Ok(tera::Value::String(match crate::i18n::current() {
        crate::i18n::Lang::Ko => crate::format::hours_ko(minutes),
        crate::i18n::Lang::En => crate::format::hours_en(minutes),
    }))
}

#[cfg(test)]
mod tests {
    use tera::Filter;

    #[test]
    fn paragraphs_are_escaped_and_split() {
        let text = "첫 줄 <b>굵게</b>\r\n둘째 줄\r\n\r\n\r\n새 문단 & 끝\n";
        let html = super::Paragraphs
            .filter(&tera::Value::from(text), &Default::default())
            .unwrap();
        assert_eq!(
            html.as_str().unwrap(),
            "<p>첫 줄 &lt;b&gt;굵게&lt;&#x2F;b&gt;<br>둘째 줄</p><p>새 문단 &amp; 끝</p>"
        );
        assert!(super::Paragraphs.is_safe());
    }
}
