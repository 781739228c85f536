-- Organization, accounts and the audit trail.
-- Ids are UUIDv7 text made by the application; instants are UTC.

CREATE TABLE departments (
    id         TEXT PRIMARY KEY NOT NULL,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    parent_id  TEXT REFERENCES departments(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX departments_parent ON departments(parent_id);

CREATE TABLE employees (
    id              TEXT PRIMARY KEY NOT NULL,
    employee_no     TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    department_id   TEXT REFERENCES departments(id),
    grade           INTEGER CHECK (grade BETWEEN 1 AND 9),
    job_family      TEXT NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash   TEXT,
    session_version INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX employees_department ON employees(department_id);

CREATE TABLE employee_roles (
    id            TEXT PRIMARY KEY NOT NULL,
    employee_id   TEXT NOT NULL REFERENCES employees(id),
    role          TEXT NOT NULL CHECK (role IN ('member', 'evaluator', 'coordinator', 'admin')),
    department_id TEXT REFERENCES departments(id),
    granted_at    TIMESTAMP NOT NULL,
    granted_by    TEXT REFERENCES employees(id)
);
CREATE UNIQUE INDEX employee_roles_unique ON employee_roles(employee_id, role, COALESCE(department_id, ''));

-- First matching rule (lowest priority number) gives the annual
-- continuous-learning target; annual_hours NULL means "no target".
CREATE TABLE target_rules (
    id           TEXT PRIMARY KEY NOT NULL,
    priority     INTEGER NOT NULL UNIQUE,
    job_family   TEXT,
    grade_min    INTEGER,
    grade_max    INTEGER,
    annual_hours INTEGER CHECK (annual_hours >= 0),
    description  TEXT NOT NULL
);
INSERT INTO target_rules (id, priority, job_family, grade_min, grade_max, annual_hours, description) VALUES
    ('0190a000-0000-7000-8000-000000000001', 10, NULL, 1, 4, NULL, '4급 이상: 목표시간 없음'),
    ('0190a000-0000-7000-8000-000000000002', 20, 'operations_office', NULL, NULL, 80, '관리운영직군 사무운영: 80시간'),
    ('0190a000-0000-7000-8000-000000000003', 30, 'operations_other', NULL, NULL, 30, '관리운영직군 사무운영 외: 30시간'),
    ('0190a000-0000-7000-8000-000000000004', 40, NULL, 5, 9, 80, '5급 이하: 80시간');

-- Failed logins are counted per submitted employee number, known or not,
-- so that the lockout does not reveal which numbers exist.
CREATE TABLE login_throttle (
    employee_no  TEXT PRIMARY KEY NOT NULL,
    failures     INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE audit_events (
    id       TEXT PRIMARY KEY NOT NULL,
    at       TIMESTAMP NOT NULL,
    actor_id TEXT REFERENCES employees(id),
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE INDEX audit_events_subject ON audit_events(subject, at);
