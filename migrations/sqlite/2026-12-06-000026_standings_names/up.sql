-- A round's standings are answered as pages kept whole, and a page names
-- the evaluators of its score sheets: a person's new name moves the
-- office's standings mark too.
CREATE TRIGGER view_marks_standings_employees_name AFTER UPDATE OF name ON employees
    WHEN OLD.name <> NEW.name BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'standings', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;
