-- A counter per club that the database moves whenever the club's meetings
-- change, or the name of someone who may appear in them: the pages of a
-- club's meetings are kept in memory (src/memo.rs) under it. Attendance,
-- advisors and books are only ever written together with their meeting's
-- row (a new meeting, or an edit), which moves the mark.
CREATE TABLE meeting_marks (
    club_id TEXT PRIMARY KEY NOT NULL REFERENCES clubs(id),
    mark    BIGINT NOT NULL
);

CREATE FUNCTION meeting_marks_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'employees' THEN
        INSERT INTO meeting_marks (club_id, mark)
            SELECT DISTINCT club_id, 1 FROM memberships WHERE employee_id = NEW.id
            ON CONFLICT (club_id) DO UPDATE SET mark = meeting_marks.mark + 1;
    ELSE
        INSERT INTO meeting_marks (club_id, mark)
            VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.club_id ELSE NEW.club_id END, 1)
            ON CONFLICT (club_id) DO UPDATE SET mark = meeting_marks.mark + 1;
    END IF;
    RETURN NULL;
END $$;

-- Deferred to the commit, like the view marks (migration 24).
CREATE CONSTRAINT TRIGGER meeting_marks_meetings AFTER INSERT OR UPDATE OR DELETE ON meetings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION meeting_marks_follow();
CREATE CONSTRAINT TRIGGER meeting_marks_names AFTER UPDATE OF name ON employees
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION meeting_marks_follow();
