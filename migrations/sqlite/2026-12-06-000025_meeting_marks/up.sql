-- A counter per club that the database moves whenever the club's meetings
-- change, or the name of someone who may appear in them: the pages of a
-- club's meetings are kept in memory (src/memo.rs) under it. Attendance,
-- advisors and books are only ever written together with their meeting's
-- row (a new meeting, or an edit), which moves the mark.
CREATE TABLE meeting_marks (
    club_id TEXT PRIMARY KEY NOT NULL REFERENCES clubs(id),
    mark    BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER meeting_marks_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO meeting_marks (club_id, mark) VALUES (NEW.club_id, 1)
        ON CONFLICT (club_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER meeting_marks_update AFTER UPDATE ON meetings BEGIN
    INSERT INTO meeting_marks (club_id, mark) VALUES (NEW.club_id, 1)
        ON CONFLICT (club_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER meeting_marks_delete AFTER DELETE ON meetings BEGIN
    INSERT INTO meeting_marks (club_id, mark) VALUES (OLD.club_id, 1)
        ON CONFLICT (club_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER meeting_marks_names AFTER UPDATE OF name ON employees
    WHEN OLD.name <> NEW.name BEGIN
    INSERT INTO meeting_marks (club_id, mark)
        SELECT DISTINCT club_id, 1 FROM memberships WHERE employee_id = NEW.id
        ON CONFLICT (club_id) DO UPDATE SET mark = mark + 1;
END;
