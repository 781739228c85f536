-- How many clubs an office has in each state, kept by the database itself
-- on every insert, change of state or office, and delete of a club: the
-- club list's total is one row read, however many clubs the city has (a
-- count walked the index, 1,116 entries at city hall).
CREATE TABLE club_counts (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    status          TEXT NOT NULL,
    clubs           BIGINT NOT NULL CHECK (clubs >= 0),
    PRIMARY KEY (organization_id, status)
);

INSERT INTO club_counts (organization_id, status, clubs)
    SELECT organization_id, status, COUNT(*) FROM clubs GROUP BY organization_id, status;

CREATE FUNCTION club_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE club_counts SET clubs = clubs - 1
            WHERE organization_id = OLD.organization_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO club_counts (organization_id, status, clubs)
            VALUES (NEW.organization_id, NEW.status, 1)
            ON CONFLICT (organization_id, status) DO UPDATE SET clubs = club_counts.clubs + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER club_counts_follow AFTER INSERT OR DELETE OR UPDATE OF organization_id, status
    ON clubs FOR EACH ROW EXECUTE FUNCTION club_counts_follow();
