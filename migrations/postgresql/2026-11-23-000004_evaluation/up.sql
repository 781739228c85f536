-- Semiannual evaluation: a round per half-year with its windows, rubric,
-- evaluators and prize table; the clubs' results reports; assignments and
-- scores; and, once the administrator confirms, the awards, the top
-- contributors and the overseas-training list. Awards, recommendations and
-- the overseas list are only ever inserted.

CREATE TABLE evaluation_rounds (
    id                  TEXT PRIMARY KEY NOT NULL,
    half                TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    -- Instants (UTC) of the windows; both ends inclusive.
    submit_from         TIMESTAMP NOT NULL,
    submit_until        TIMESTAMP NOT NULL,
    score_from          TIMESTAMP NOT NULL,
    score_until         TIMESTAMP NOT NULL,
    combination         TEXT NOT NULL CHECK (combination IN ('mean', 'trimmed_mean')),
    -- The trimmed mean drops the highest and lowest only from this many evaluators on.
    trim_min_evaluators INTEGER NOT NULL,
    -- Evaluators assigned to each club; 0 means every evaluator of the round.
    evaluators_per_club INTEGER NOT NULL,
    created_by          TEXT NOT NULL REFERENCES employees(id),
    created_at          TIMESTAMP NOT NULL,
    confirmed_at        TIMESTAMP,
    confirmed_by        TEXT REFERENCES employees(id),
    adjustment_reason   TEXT
);

CREATE TABLE evaluation_criteria (
    id         TEXT PRIMARY KEY NOT NULL,
    round_id   TEXT NOT NULL REFERENCES evaluation_rounds(id),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    weight     INTEGER NOT NULL CHECK (weight > 0),
    max_points INTEGER NOT NULL CHECK (max_points > 0),
    UNIQUE (round_id, position)
);

CREATE TABLE prize_tiers (
    round_id   TEXT NOT NULL REFERENCES evaluation_rounds(id),
    tier       TEXT NOT NULL CHECK (tier IN ('grand', 'excellent', 'encouragement')),
    winners    INTEGER NOT NULL CHECK (winners >= 0),
    amount_krw BIGINT NOT NULL CHECK (amount_krw >= 0),
    PRIMARY KEY (round_id, tier)
);

CREATE TABLE round_evaluators (
    round_id    TEXT NOT NULL REFERENCES evaluation_rounds(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    PRIMARY KEY (round_id, employee_id)
);

CREATE TABLE results_reports (
    id           TEXT PRIMARY KEY NOT NULL,
    round_id     TEXT NOT NULL REFERENCES evaluation_rounds(id),
    club_id      TEXT NOT NULL REFERENCES clubs(id),
    study_task   TEXT NOT NULL,
    activities   TEXT NOT NULL,
    outcomes     TEXT NOT NULL,
    proposals    TEXT NOT NULL,
    -- Attachments as links, one per line.
    links        TEXT NOT NULL,
    submitted_by TEXT NOT NULL REFERENCES employees(id),
    submitted_at TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    -- Submitted after the window, through a reopening.
    reopened     BOOLEAN NOT NULL,
    UNIQUE (round_id, club_id)
);

-- The administrator lets one club submit after the window, until a time.
CREATE TABLE results_reopenings (
    id         TEXT PRIMARY KEY NOT NULL,
    round_id   TEXT NOT NULL REFERENCES evaluation_rounds(id),
    club_id    TEXT NOT NULL REFERENCES clubs(id),
    until      TIMESTAMP NOT NULL,
    reason     TEXT NOT NULL,
    granted_by TEXT NOT NULL REFERENCES employees(id),
    granted_at TIMESTAMP NOT NULL
);
CREATE INDEX results_reopenings_club ON results_reopenings (round_id, club_id);

-- Who scores which club. Reassigning ends an assignment (removed_at) and
-- adds another; the ended one and its scores stay for the record.
CREATE TABLE evaluation_assignments (
    id           TEXT PRIMARY KEY NOT NULL,
    round_id     TEXT NOT NULL REFERENCES evaluation_rounds(id),
    club_id      TEXT NOT NULL REFERENCES clubs(id),
    evaluator_id TEXT NOT NULL REFERENCES employees(id),
    assigned_at  TIMESTAMP NOT NULL,
    assigned_by  TEXT REFERENCES employees(id),
    removed_at   TIMESTAMP,
    removed_by   TEXT REFERENCES employees(id),
    comment      TEXT NOT NULL DEFAULT '',
    scored_at    TIMESTAMP
);
CREATE UNIQUE INDEX evaluation_assignments_live
    ON evaluation_assignments (round_id, club_id, evaluator_id) WHERE removed_at IS NULL;
CREATE INDEX evaluation_assignments_evaluator ON evaluation_assignments (evaluator_id, round_id);

CREATE TABLE evaluation_scores (
    assignment_id TEXT NOT NULL REFERENCES evaluation_assignments(id),
    criterion_id  TEXT NOT NULL REFERENCES evaluation_criteria(id),
    points        INTEGER NOT NULL CHECK (points >= 0),
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (assignment_id, criterion_id)
);

CREATE TABLE evaluation_awards (
    id            TEXT PRIMARY KEY NOT NULL,
    round_id      TEXT NOT NULL REFERENCES evaluation_rounds(id),
    club_id       TEXT NOT NULL REFERENCES clubs(id),
    tier          TEXT NOT NULL CHECK (tier IN ('grand', 'excellent', 'encouragement')),
    amount_krw    BIGINT NOT NULL,
    -- The rank and combined score (e.g. "87.50") when confirmed.
    rank          INTEGER,
    score         TEXT,
    -- What the portal proposed for this club, when the administrator adjusted.
    proposed_tier TEXT,
    awarded_by    TEXT NOT NULL REFERENCES employees(id),
    awarded_at    TIMESTAMP NOT NULL,
    UNIQUE (round_id, club_id)
);

-- Two per 최우수 or 우수 club, recommended by its president.
CREATE TABLE top_contributors (
    id                   TEXT PRIMARY KEY NOT NULL,
    round_id             TEXT NOT NULL REFERENCES evaluation_rounds(id),
    club_id              TEXT NOT NULL REFERENCES clubs(id),
    slot                 INTEGER NOT NULL CHECK (slot IN (1, 2)),
    employee_id          TEXT NOT NULL REFERENCES employees(id),
    special_leave_days   INTEGER NOT NULL,
    preferred_department BOOLEAN NOT NULL,
    reason               TEXT NOT NULL,
    recommended_by       TEXT NOT NULL REFERENCES employees(id),
    recommended_at       TIMESTAMP NOT NULL,
    UNIQUE (round_id, club_id, slot),
    UNIQUE (round_id, employee_id)
);

CREATE TABLE overseas_recommendations (
    round_id    TEXT NOT NULL REFERENCES evaluation_rounds(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    club_id     TEXT NOT NULL REFERENCES clubs(id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, employee_id)
);
