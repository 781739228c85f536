//! Every SQL statement and its duration, at debug level under the target
//! `dongari::sql` (`RUST_LOG=dongari::sql=debug`): how an operator sees
//! what a request costs, and the check that a page runs a fixed number of
//! queries. Off, it costs one level check per new connection.

use std::time::Instant;

use diesel::connection::{Instrumentation, InstrumentationEvent};

#[derive(Default)]
pub struct SqlLog {
    started: Option<Instant>,
}

impl SqlLog {
    /// An instrumentation for a new connection, when the log wants it.
    pub fn if_enabled() -> Option<SqlLog> {
        tracing::enabled!(target: "dongari::sql", tracing::Level::DEBUG).then(SqlLog::default)
    }
}

impl Instrumentation for SqlLog {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { .. } => self.started = Some(Instant::now()),
            InstrumentationEvent::FinishQuery { query, error, .. } => {
                let micros = self.started.take().map(|s| s.elapsed().as_micros());
                tracing::debug!(target: "dongari::sql", ?micros, error = ?error, "{query}");
            }
            _ => {}
        }
    }
}
