-- What a job found when it last finished its work for an office, as a
-- fingerprint of its inputs: a run whose inputs are the same has nothing
-- to do and skips the office without reading its clubs month by month.
CREATE TABLE job_marks (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    job             TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    marked_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, job)
);
