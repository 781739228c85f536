-- Organizations (기관): the city hall and each district run their own clubs,
-- rounds, holidays and policy from one deployment. Every existing row joins
-- the first organization; a single-organization deployment never names it.
-- Tables whose unique keys become per-organization are rebuilt (SQLite
-- cannot drop an inline UNIQUE), with foreign keys off while they are.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE organizations (
    id         TEXT PRIMARY KEY NOT NULL,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    -- The organization's own policy over config/default.toml (JSON).
    policy     TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL
);
INSERT INTO organizations (id, code, name, policy, created_at)
VALUES ('0190a000-0000-7000-8000-0000000000a1', 'main', '기관', '{}', CURRENT_TIMESTAMP);

CREATE TABLE departments_new (
    id              TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    parent_id       TEXT REFERENCES departments(id),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (organization_id, code)
);
INSERT INTO departments_new (id, organization_id, code, name, parent_id, created_at)
SELECT id, '0190a000-0000-7000-8000-0000000000a1', code, name, parent_id, created_at FROM departments;
DROP TABLE departments;
ALTER TABLE departments_new RENAME TO departments;
CREATE INDEX departments_parent ON departments(parent_id);

CREATE TABLE employees_new (
    id              TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    employee_no     TEXT NOT NULL,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    department_id   TEXT REFERENCES departments(id),
    grade           INTEGER CHECK (grade BETWEEN 1 AND 9),
    job_family      TEXT NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash   TEXT,
    session_version INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (organization_id, employee_no)
);
INSERT INTO employees_new (id, organization_id, employee_no, name, email, department_id, grade,
                           job_family, active, password_hash, session_version, created_at, updated_at)
SELECT id, '0190a000-0000-7000-8000-0000000000a1', employee_no, name, email, department_id, grade,
       job_family, active, password_hash, session_version, created_at, updated_at FROM employees;
DROP TABLE employees;
ALTER TABLE employees_new RENAME TO employees;
CREATE INDEX employees_department ON employees(department_id);

ALTER TABLE clubs ADD COLUMN organization_id TEXT NOT NULL
    DEFAULT '0190a000-0000-7000-8000-0000000000a1' REFERENCES organizations(id);
CREATE INDEX clubs_organization ON clubs(organization_id, status, name);

CREATE TABLE evaluation_rounds_new (
    id                  TEXT PRIMARY KEY NOT NULL,
    organization_id     TEXT NOT NULL REFERENCES organizations(id),
    half                TEXT NOT NULL,
    title               TEXT NOT NULL,
    submit_from         TIMESTAMP NOT NULL,
    submit_until        TIMESTAMP NOT NULL,
    score_from          TIMESTAMP NOT NULL,
    score_until         TIMESTAMP NOT NULL,
    combination         TEXT NOT NULL CHECK (combination IN ('mean', 'trimmed_mean')),
    trim_min_evaluators INTEGER NOT NULL,
    evaluators_per_club INTEGER NOT NULL,
    created_by          TEXT NOT NULL REFERENCES employees(id),
    created_at          TIMESTAMP NOT NULL,
    confirmed_at        TIMESTAMP,
    confirmed_by        TEXT REFERENCES employees(id),
    adjustment_reason   TEXT,
    UNIQUE (organization_id, half)
);
INSERT INTO evaluation_rounds_new (id, organization_id, half, title, submit_from, submit_until,
    score_from, score_until, combination, trim_min_evaluators, evaluators_per_club, created_by,
    created_at, confirmed_at, confirmed_by, adjustment_reason)
SELECT id, '0190a000-0000-7000-8000-0000000000a1', half, title, submit_from, submit_until,
    score_from, score_until, combination, trim_min_evaluators, evaluators_per_club, created_by,
    created_at, confirmed_at, confirmed_by, adjustment_reason FROM evaluation_rounds;
DROP TABLE evaluation_rounds;
ALTER TABLE evaluation_rounds_new RENAME TO evaluation_rounds;

CREATE TABLE holidays_new (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    day             DATE NOT NULL,
    name            TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, day)
);
INSERT INTO holidays_new (organization_id, day, name, created_at)
SELECT '0190a000-0000-7000-8000-0000000000a1', day, name, created_at FROM holidays;
DROP TABLE holidays;
ALTER TABLE holidays_new RENAME TO holidays;

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
