-- Organizations (기관): the city hall and each district run their own clubs,
-- rounds, holidays and policy from one deployment. Every existing row joins
-- the first organization; a single-organization deployment never names it.

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

ALTER TABLE departments ADD COLUMN organization_id TEXT NOT NULL
    DEFAULT '0190a000-0000-7000-8000-0000000000a1' REFERENCES organizations(id);
ALTER TABLE departments ALTER COLUMN organization_id DROP DEFAULT;
ALTER TABLE departments DROP CONSTRAINT departments_code_key;
ALTER TABLE departments ADD CONSTRAINT departments_organization_code UNIQUE (organization_id, code);

ALTER TABLE employees ADD COLUMN organization_id TEXT NOT NULL
    DEFAULT '0190a000-0000-7000-8000-0000000000a1' REFERENCES organizations(id);
ALTER TABLE employees ALTER COLUMN organization_id DROP DEFAULT;
ALTER TABLE employees DROP CONSTRAINT employees_employee_no_key;
ALTER TABLE employees ADD CONSTRAINT employees_organization_no UNIQUE (organization_id, employee_no);

ALTER TABLE clubs ADD COLUMN organization_id TEXT NOT NULL
    DEFAULT '0190a000-0000-7000-8000-0000000000a1' REFERENCES organizations(id);
ALTER TABLE clubs ALTER COLUMN organization_id DROP DEFAULT;
CREATE INDEX clubs_organization ON clubs(organization_id, status, name);

ALTER TABLE evaluation_rounds ADD COLUMN organization_id TEXT NOT NULL
    DEFAULT '0190a000-0000-7000-8000-0000000000a1' REFERENCES organizations(id);
ALTER TABLE evaluation_rounds ALTER COLUMN organization_id DROP DEFAULT;
ALTER TABLE evaluation_rounds DROP CONSTRAINT evaluation_rounds_half_key;
ALTER TABLE evaluation_rounds ADD CONSTRAINT evaluation_rounds_organization_half UNIQUE (organization_id, half);

ALTER TABLE holidays ADD COLUMN organization_id TEXT NOT NULL
    DEFAULT '0190a000-0000-7000-8000-0000000000a1' REFERENCES organizations(id);
ALTER TABLE holidays ALTER COLUMN organization_id DROP DEFAULT;
ALTER TABLE holidays DROP CONSTRAINT holidays_pkey;
ALTER TABLE holidays ADD PRIMARY KEY (organization_id, day);
