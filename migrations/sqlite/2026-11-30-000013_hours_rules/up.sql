-- Versions of an office's club-hours rule (the half-year cap and whether
-- ad hoc meetings count), each from a date. A half is recognized under the
-- latest version that starts on or before its first day; without one, under
-- the office's policy. Versions are only ever added: a change is a new one.
CREATE TABLE hours_rules (
    id                    TEXT PRIMARY KEY NOT NULL,
    organization_id       TEXT NOT NULL REFERENCES organizations(id),
    valid_from            DATE NOT NULL,
    half_year_cap_minutes INTEGER NOT NULL CHECK (half_year_cap_minutes >= 0),
    count_ad_hoc          BOOLEAN NOT NULL,
    reason                TEXT NOT NULL,
    created_by            TEXT NOT NULL REFERENCES employees(id),
    created_at            TIMESTAMP NOT NULL,
    UNIQUE (organization_id, valid_from)
);
