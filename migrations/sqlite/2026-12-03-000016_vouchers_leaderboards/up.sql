-- Learning vouchers (학습바우처), the office's catalog and its redemptions;
-- leaderboards (리더보드) of mileage with each person's choice to be left
-- out; the yearly knowledge king (지식왕). Vouchers live in the ledger only
-- (unit 'vouchers'): nothing here keeps a balance.

-- What earns vouchers, versioned per office like the mileage rules: a course
-- completed (a line of the HR import), a badge earned, a place in the top
-- `top_n` of a month's leaderboard.
CREATE TABLE voucher_rules (
    id              TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    activity        TEXT NOT NULL CHECK (activity IN ('course', 'badge', 'leaderboard')),
    version         INTEGER NOT NULL CHECK (version > 0),
    valid_from      DATE NOT NULL,
    vouchers        INTEGER NOT NULL CHECK (vouchers >= 0 AND vouchers <= 10000),
    top_n           INTEGER CHECK (top_n > 0 AND top_n <= 100),
    reason          TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES employees(id),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (organization_id, activity, version),
    CHECK ((activity = 'leaderboard') = (top_n IS NOT NULL))
);

-- What an office offers for vouchers. `stock` none: unlimited; it never
-- goes below zero (a redemption takes one by a conditional update).
CREATE TABLE catalog_items (
    id              TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    kind            TEXT NOT NULL CHECK (kind IN ('book', 'course', 'seminar')),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    price           INTEGER NOT NULL CHECK (price > 0),
    stock           INTEGER CHECK (stock >= 0),
    active          BOOLEAN NOT NULL,
    created_by      TEXT NOT NULL REFERENCES employees(id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX catalog_items_office ON catalog_items(organization_id, active, name);

-- A redemption: the vouchers held at once by a ledger movement (person →
-- the office's catalog account); fulfilled by the office, or cancelled with
-- a reversal that gives them back.
CREATE TABLE voucher_redemptions (
    id                 TEXT PRIMARY KEY NOT NULL,
    organization_id    TEXT NOT NULL REFERENCES organizations(id),
    employee_id        TEXT NOT NULL REFERENCES employees(id),
    item_id            TEXT NOT NULL REFERENCES catalog_items(id),
    price              INTEGER NOT NULL CHECK (price > 0),
    status             TEXT NOT NULL CHECK (status IN ('held', 'fulfilled', 'cancelled')),
    hold_movement_id   TEXT NOT NULL UNIQUE REFERENCES ledger_movements(id),
    refund_movement_id TEXT UNIQUE REFERENCES ledger_movements(id),
    requested_at       TIMESTAMP NOT NULL,
    decided_by         TEXT REFERENCES employees(id),
    decided_at         TIMESTAMP,
    decision_reason    TEXT,
    CHECK ((status = 'cancelled') = (refund_movement_id IS NOT NULL))
);
CREATE INDEX voucher_redemptions_person ON voucher_redemptions(employee_id, requested_at);
CREATE INDEX voucher_redemptions_queue ON voucher_redemptions(organization_id, status, requested_at);

-- The club an earning came through, for the clubs' leaderboard.
ALTER TABLE mileage_earnings ADD COLUMN club_id TEXT REFERENCES clubs(id);

-- Mileage credited per period, person and club: the leaderboards read
-- these, not the earnings. A period is a month (2026-11), a half-year
-- (2026H2) or a year (2026); an earning or take-back counts in the periods
-- of the day it is credited, so that a closed period never changes.
CREATE TABLE leaderboard_totals (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    period          TEXT NOT NULL,
    owner_kind      TEXT NOT NULL CHECK (owner_kind IN ('employee', 'club')),
    owner_id        TEXT NOT NULL,
    points          INTEGER NOT NULL,
    PRIMARY KEY (organization_id, period, owner_kind, owner_id)
);
-- Covering: a rank is counted from the index alone.
CREATE INDEX leaderboard_totals_rank ON leaderboard_totals(organization_id, period, owner_kind, points, owner_id);

INSERT INTO leaderboard_totals (organization_id, period, owner_kind, owner_id, points)
SELECT organization_id, period, 'employee', employee_id, SUM(points) FROM (
    SELECT e.organization_id, e.employee_id, e.points, strftime('%Y-%m', datetime(m.recorded_at, '+9 hours')) AS period
    FROM mileage_earnings e JOIN ledger_movements m ON m.id = e.movement_id
    UNION ALL
    SELECT e.organization_id, e.employee_id, e.points,
           strftime('%Y', datetime(m.recorded_at, '+9 hours'))
           || CASE WHEN CAST(strftime('%m', datetime(m.recorded_at, '+9 hours')) AS INTEGER) <= 6 THEN 'H1' ELSE 'H2' END
    FROM mileage_earnings e JOIN ledger_movements m ON m.id = e.movement_id
    UNION ALL
    SELECT e.organization_id, e.employee_id, e.points, strftime('%Y', datetime(m.recorded_at, '+9 hours'))
    FROM mileage_earnings e JOIN ledger_movements m ON m.id = e.movement_id
) GROUP BY organization_id, period, employee_id;

-- A person's choice to be left out of others' leaderboards (or, against
-- their club's default, to be shown); none: the clubs' default.
CREATE TABLE leaderboard_choices (
    employee_id TEXT PRIMARY KEY NOT NULL REFERENCES employees(id),
    hidden      BOOLEAN NOT NULL,
    chosen_at   TIMESTAMP NOT NULL
);
CREATE INDEX leaderboard_choices_hidden ON leaderboard_choices(hidden);

-- A club's default for its members who have not chosen.
CREATE TABLE club_leaderboard_defaults (
    club_id    TEXT PRIMARY KEY NOT NULL REFERENCES clubs(id),
    hidden     BOOLEAN NOT NULL,
    chosen_by  TEXT NOT NULL REFERENCES employees(id),
    chosen_at  TIMESTAMP NOT NULL
);
CREATE INDEX club_leaderboard_defaults_hidden ON club_leaderboard_defaults(hidden);

-- Deactivated people are never ranked: found without reading everyone.
CREATE INDEX employees_inactive ON employees(organization_id) WHERE active = false;

-- The knowledge king of a year, as an administrator confirmed it: the
-- portal's proposal, and the reason when another was chosen. One per
-- office and year.
CREATE TABLE knowledge_kings (
    organization_id      TEXT NOT NULL REFERENCES organizations(id),
    year                 INTEGER NOT NULL,
    employee_id          TEXT NOT NULL REFERENCES employees(id),
    points               INTEGER NOT NULL,
    proposed_employee_id TEXT REFERENCES employees(id),
    reason               TEXT,
    confirmed_by         TEXT NOT NULL REFERENCES employees(id),
    confirmed_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, year)
);
