-- A counter per office and kind of view that the database moves whenever
-- anything such a view is made from changes. These views of an office are
-- kept in memory (src/memo.rs) under their marks: 'reports', a month's
-- report facts for the compliance view (clubs and monthly reports);
-- 'standings', a round's ranking (rounds, criteria, prize tiers, results
-- reports, score sheets, clubs and the regular meetings counted for ties);
-- 'clubs', pages of the club list (clubs, their sizes, memberships, who
-- presides and their names, departments' names).
CREATE TABLE view_marks (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    kind            TEXT NOT NULL CHECK (kind IN ('reports', 'standings', 'clubs')),
    mark            BIGINT NOT NULL,
    PRIMARY KEY (organization_id, kind)
);

CREATE FUNCTION view_marks_move(office TEXT, view_kind TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO view_marks (organization_id, kind, mark) VALUES (office, view_kind, 1)
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = view_marks.mark + 1;
$$;

-- The row a trigger fired for (the old one of a delete) names its office:
-- itself, by its club, or by its round. The kind is the trigger's argument.
CREATE FUNCTION view_marks_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    IF TG_TABLE_NAME IN ('clubs', 'evaluation_rounds', 'departments', 'employees') THEN
        PERFORM view_marks_move(changed.organization_id, TG_ARGV[0]);
    ELSIF TG_TABLE_NAME IN ('monthly_reports', 'meetings', 'club_sizes', 'memberships') THEN
        PERFORM view_marks_move(organization_id, TG_ARGV[0]) FROM clubs WHERE id = changed.club_id;
    ELSE
        PERFORM view_marks_move(organization_id, TG_ARGV[0])
            FROM evaluation_rounds WHERE id = changed.round_id;
    END IF;
    RETURN NULL;
END $$;

-- Deferred to the commit: a writer holds an office's view mark only while
-- it commits, and always after any board mark it took as it wrote.

CREATE CONSTRAINT TRIGGER view_marks_reports_clubs AFTER INSERT OR UPDATE OR DELETE ON clubs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('reports');
CREATE CONSTRAINT TRIGGER view_marks_reports_monthly_reports AFTER INSERT OR UPDATE OR DELETE ON monthly_reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('reports');
CREATE CONSTRAINT TRIGGER view_marks_standings_clubs AFTER INSERT OR UPDATE OR DELETE ON clubs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('standings');
CREATE CONSTRAINT TRIGGER view_marks_standings_meetings AFTER INSERT OR UPDATE OR DELETE ON meetings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('standings');
CREATE CONSTRAINT TRIGGER view_marks_standings_evaluation_rounds AFTER INSERT OR UPDATE OR DELETE ON evaluation_rounds
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('standings');
CREATE CONSTRAINT TRIGGER view_marks_standings_evaluation_criteria AFTER INSERT OR UPDATE OR DELETE ON evaluation_criteria
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('standings');
CREATE CONSTRAINT TRIGGER view_marks_standings_prize_tiers AFTER INSERT OR UPDATE OR DELETE ON prize_tiers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('standings');
CREATE CONSTRAINT TRIGGER view_marks_standings_results_reports AFTER INSERT OR UPDATE OR DELETE ON results_reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('standings');
CREATE CONSTRAINT TRIGGER view_marks_standings_evaluation_assignments AFTER INSERT OR UPDATE OR DELETE ON evaluation_assignments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('standings');
CREATE CONSTRAINT TRIGGER view_marks_clubs_clubs AFTER INSERT OR UPDATE OR DELETE ON clubs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('clubs');
CREATE CONSTRAINT TRIGGER view_marks_clubs_club_sizes AFTER INSERT OR UPDATE OR DELETE ON club_sizes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('clubs');
CREATE CONSTRAINT TRIGGER view_marks_clubs_memberships AFTER INSERT OR UPDATE OR DELETE ON memberships
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('clubs');
CREATE CONSTRAINT TRIGGER view_marks_clubs_departments AFTER INSERT OR UPDATE OR DELETE ON departments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION view_marks_follow('clubs');
CREATE CONSTRAINT TRIGGER view_marks_clubs_employees_name AFTER UPDATE OF name ON employees
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION view_marks_follow('clubs');
