-- An office's leaderboards are kept with the names they show: a person's
-- or a club's new name moves the office's board mark too.
CREATE TRIGGER board_marks_employees_name AFTER UPDATE OF name ON employees
    WHEN OLD.name <> NEW.name BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT NEW.organization_id, 1 WHERE true
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_clubs_name AFTER UPDATE OF name ON clubs
    WHEN OLD.name <> NEW.name BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT NEW.organization_id, 1 WHERE true
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;
