-- Versions of an office's club-hours rule (the half-year cap and whether
-- ad hoc meetings count), numbered 1, 2, … per office, each from a date. A
-- half is recognized under the version starting last on or before its first
-- day (of two from the same day, the later one); without one, under the
-- office's policy. Versions are only ever added: a correction is a new one.
CREATE TABLE hours_rules (
    id                    TEXT PRIMARY KEY NOT NULL,
    organization_id       TEXT NOT NULL REFERENCES organizations(id),
    version               INTEGER NOT NULL CHECK (version > 0),
    valid_from            DATE NOT NULL,
    half_year_cap_minutes INTEGER NOT NULL CHECK (half_year_cap_minutes >= 0),
    count_ad_hoc          BOOLEAN NOT NULL,
    reason                TEXT NOT NULL,
    created_by            TEXT NOT NULL REFERENCES employees(id),
    created_at            TIMESTAMP NOT NULL,
    UNIQUE (organization_id, version)
);
