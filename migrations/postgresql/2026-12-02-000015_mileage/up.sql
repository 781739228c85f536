-- Mileage (마일리지): the earning rules and the conversion rule, versioned
-- per office; each earning as a row beside its ledger movement; and the
-- conversions into recognized hours. Points themselves live in the ledger
-- only (unit 'points'): nothing here keeps a balance.

-- One activity's earning rule, numbered 1, 2, … per office and activity,
-- each from a date. An event is earned under the version starting last on or
-- before its day; without one, under the defaults in the configuration.
-- `daily_limit` counts events per person and day; `half_year_cap` caps the
-- points a person earns per half-year from every activity of `cap_pool`.
CREATE TABLE mileage_rules (
    id              TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    activity        TEXT NOT NULL CHECK (activity IN ('post', 'comment', 'meeting', 'report_on_time',
                        'prize_grand', 'prize_excellent', 'prize_encouragement', 'top_contributor', 'badge')),
    version         INTEGER NOT NULL CHECK (version > 0),
    valid_from      DATE NOT NULL,
    points          BIGINT NOT NULL CHECK (points >= 0 AND points <= 100000),
    daily_limit     INTEGER CHECK (daily_limit > 0),
    cap_pool        TEXT NOT NULL,
    half_year_cap   BIGINT CHECK (half_year_cap > 0),
    reason          TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES employees(id),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (organization_id, activity, version)
);

-- The conversion of mileage into 상시학습 hours: the rate, the yearly cap of
-- converted hours per person and whether an administrator approves each.
CREATE TABLE conversion_rules (
    id                 TEXT PRIMARY KEY NOT NULL,
    organization_id    TEXT NOT NULL REFERENCES organizations(id),
    version            INTEGER NOT NULL CHECK (version > 0),
    valid_from         DATE NOT NULL,
    points_per_hour    BIGINT NOT NULL CHECK (points_per_hour > 0),
    yearly_cap_minutes BIGINT NOT NULL CHECK (yearly_cap_minutes >= 0),
    needs_approval     BOOLEAN NOT NULL,
    reason             TEXT NOT NULL,
    created_by         TEXT NOT NULL REFERENCES employees(id),
    created_at         TIMESTAMP NOT NULL,
    UNIQUE (organization_id, version)
);

-- Each earning, written with its ledger movement, for the caps and the
-- leaderboards; a take-back is a row of negative points naming the earning
-- it cancels (at most once). Append-only like the ledger.
CREATE TABLE mileage_earnings (
    movement_id     TEXT PRIMARY KEY NOT NULL REFERENCES ledger_movements(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    employee_id     TEXT NOT NULL REFERENCES employees(id),
    activity        TEXT NOT NULL,
    cap_pool        TEXT NOT NULL,
    event_ref       TEXT NOT NULL,
    earned_on       DATE NOT NULL,
    points          BIGINT NOT NULL CHECK (points <> 0),
    reverses_id     TEXT UNIQUE REFERENCES mileage_earnings(movement_id),
    CHECK ((reverses_id IS NULL) = (points > 0))
);
CREATE INDEX mileage_earnings_person ON mileage_earnings(employee_id, earned_on);
CREATE INDEX mileage_earnings_office ON mileage_earnings(organization_id, earned_on);
CREATE INDEX mileage_earnings_event ON mileage_earnings(activity, event_ref);

-- A conversion: the points are taken when it is asked for (held while an
-- administrator decides, given back by a reversal if refused); the hours
-- are granted when it is approved, or at once when no approval is needed.
CREATE TABLE mileage_conversions (
    id                TEXT PRIMARY KEY NOT NULL,
    organization_id   TEXT NOT NULL REFERENCES organizations(id),
    employee_id       TEXT NOT NULL REFERENCES employees(id),
    points            BIGINT NOT NULL CHECK (points > 0),
    minutes           BIGINT NOT NULL CHECK (minutes > 0),
    year              INTEGER NOT NULL,
    rule_version      TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    hold_movement_id  TEXT NOT NULL UNIQUE REFERENCES ledger_movements(id),
    grant_movement_id TEXT UNIQUE REFERENCES ledger_movements(id),
    requested_at      TIMESTAMP NOT NULL,
    decided_by        TEXT REFERENCES employees(id),
    decided_at        TIMESTAMP,
    decision_reason   TEXT,
    CHECK ((status = 'approved') = (grant_movement_id IS NOT NULL))
);
-- One conversion waiting per person: the yearly cap counts what is waiting.
CREATE UNIQUE INDEX mileage_conversions_one_pending
    ON mileage_conversions (employee_id) WHERE status = 'pending';
CREATE INDEX mileage_conversions_person ON mileage_conversions(employee_id, year);
CREATE INDEX mileage_conversions_queue ON mileage_conversions(organization_id, status, requested_at);

CREATE TRIGGER mileage_earnings_append_only BEFORE UPDATE OR DELETE ON mileage_earnings
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER mileage_earnings_no_truncate BEFORE TRUNCATE ON mileage_earnings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
