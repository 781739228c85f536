-- Badges (Open Badge): an office's badge classes and the awards made of
-- them. An award is the assertion a verifier fetches; it is never deleted:
-- a revocation is kept on it, with its reason, and an expired badge stays
-- on record as expired.

-- A badge class: what it stands for and how it is earned. `rule` names the
-- achievement that earns it automatically (none: awarded by an
-- administrator only), `rule_threshold` its number (meetings, months,
-- points), `rule_match` what it must name (a prize tier, words of a course
-- title); `image_type` 'generated' draws the image from the name and the
-- colour, 'png' and 'svg' serve the uploaded `image`.
CREATE TABLE badge_classes (
    id              TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    criteria        TEXT NOT NULL,
    rule            TEXT CHECK (rule IN ('meetings_attended', 'reports_on_time', 'prize',
                                         'top_contributor', 'hours_target', 'mileage',
                                         'course', 'certificate')),
    rule_threshold  BIGINT CHECK (rule_threshold > 0),
    rule_match      TEXT,
    tags            TEXT NOT NULL,
    alignment_name  TEXT,
    alignment_url   TEXT,
    valid_months    INTEGER CHECK (valid_months > 0 AND valid_months <= 120),
    colour          TEXT NOT NULL,
    image_type      TEXT NOT NULL CHECK (image_type IN ('generated', 'png', 'svg')),
    image           BLOB,
    created_by      TEXT NOT NULL REFERENCES employees(id),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (organization_id, name),
    CHECK ((image_type = 'generated') = (image IS NULL)),
    CHECK ((alignment_url IS NULL) OR (alignment_name IS NOT NULL))
);

-- An award (the 2.0 assertion and the 3.0 credential). `achievement_key` names what earned it, so
-- that no achievement gives the same badge twice; the recipient is kept as
-- the salted hash of the email it was issued to, the form every public
-- document shows.
CREATE TABLE badge_awards (
    id                TEXT PRIMARY KEY NOT NULL,
    organization_id   TEXT NOT NULL REFERENCES organizations(id),
    badge_class_id    TEXT NOT NULL REFERENCES badge_classes(id),
    employee_id       TEXT NOT NULL REFERENCES employees(id),
    achievement_key   TEXT NOT NULL,
    recipient_salt    TEXT NOT NULL,
    recipient_hash    TEXT NOT NULL,
    narrative         TEXT NOT NULL,
    evidence_url      TEXT,
    issued_at         TIMESTAMP NOT NULL,
    expires_at        TIMESTAMP,
    awarded_by        TEXT REFERENCES employees(id),
    public            BOOLEAN NOT NULL,
    -- Announced on the home page's feed until the recipient hides it
    -- (to others only while it is public).
    in_feed           BOOLEAN NOT NULL,
    revoked_at        TIMESTAMP,
    revoked_by        TEXT REFERENCES employees(id),
    revocation_reason TEXT,
    -- Suspended for a while (an investigation), then resumed: 3.0's
    -- suspension status list says so meanwhile.
    suspended_at      TIMESTAMP,
    suspended_by      TEXT REFERENCES employees(id),
    suspension_reason TEXT,
    -- Open Badges 3.0: the credential as signed at issue (a compact JWT),
    -- and its place in the office's revocation status list.
    credential_jwt    TEXT NOT NULL,
    status_index      BIGINT NOT NULL CHECK (status_index >= 0),
    UNIQUE (badge_class_id, employee_id, achievement_key),
    UNIQUE (organization_id, status_index),
    CHECK (awarded_by IS NULL OR awarded_by <> employee_id),
    CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL)),
    CHECK ((suspended_at IS NULL) = (suspension_reason IS NULL)),
    CHECK (expires_at IS NULL OR expires_at > issued_at)
);
CREATE INDEX badge_awards_person ON badge_awards(employee_id, issued_at);
CREATE INDEX badge_awards_class ON badge_awards(badge_class_id, issued_at);
CREATE INDEX badge_awards_office ON badge_awards(organization_id, issued_at);
CREATE INDEX badge_awards_feed ON badge_awards(organization_id, issued_at, id)
    WHERE in_feed;
CREATE INDEX badge_classes_rule ON badge_classes(organization_id, rule)
    WHERE rule IS NOT NULL;
CREATE INDEX badge_awards_revoked ON badge_awards(organization_id, revoked_at)
    WHERE revoked_at IS NOT NULL;

-- Each office's keys for signing its 3.0 credentials (RS256), published as
-- a JWK Set; one signs new credentials, the retired ones stay published so
-- that what they signed still verifies.
CREATE TABLE badge_signing_keys (
    id              TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    private_key_pem TEXT NOT NULL,
    public_jwk      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    retired_at      TIMESTAMP
);
CREATE UNIQUE INDEX badge_signing_keys_active ON badge_signing_keys(organization_id)
    WHERE retired_at IS NULL;

-- The next free place in each office's status list, taken by a
-- conditional update so that two awards never share one.
CREATE TABLE badge_status_counters (
    organization_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id),
    next_index      BIGINT NOT NULL CHECK (next_index >= 0)
);
