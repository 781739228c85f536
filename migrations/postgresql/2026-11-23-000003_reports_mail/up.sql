-- Monthly activity reports with frozen versions, the holiday calendar,
-- reminders sent (one per kind, month and club or department), and the
-- mail outbox.

CREATE TABLE holidays (
    day        DATE PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE monthly_reports (
    id                 TEXT PRIMARY KEY NOT NULL,
    club_id            TEXT NOT NULL REFERENCES clubs(id),
    month              TEXT NOT NULL,
    -- The working text: the draft, or after submission an amendment's draft.
    narrative          TEXT NOT NULL,
    current_version    INTEGER NOT NULL DEFAULT 0,
    -- Set once, at the first submission, never rewritten.
    first_submitted_at TIMESTAMP,
    late               BOOLEAN,
    -- When the deadline sweep found the report missing (kept afterwards).
    missing_at         TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (club_id, month)
);

-- A submitted version is frozen: never updated, never deleted.
CREATE TABLE report_versions (
    id               TEXT PRIMARY KEY NOT NULL,
    report_id        TEXT NOT NULL REFERENCES monthly_reports(id),
    version          INTEGER NOT NULL,
    narrative        TEXT NOT NULL,
    activity         TEXT NOT NULL,
    submitted_at     TIMESTAMP NOT NULL,
    submitted_by     TEXT NOT NULL REFERENCES employees(id),
    due_at           TIMESTAMP NOT NULL,
    late             BOOLEAN NOT NULL,
    amendment_reason TEXT,
    UNIQUE (report_id, version)
);

CREATE TABLE reminders (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL,
    month      TEXT NOT NULL,
    -- A club id, or a department id for a coordinator's summary.
    subject_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (kind, month, subject_id)
);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY NOT NULL,
    to_address      TEXT NOT NULL,
    to_name         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error      TEXT,
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
