-- A round's standings are answered as pages kept whole, and a page names
-- the evaluators of its score sheets: a person's new name moves the
-- office's standings mark too.
CREATE CONSTRAINT TRIGGER view_marks_standings_employees_name AFTER UPDATE OF name ON employees
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION view_marks_follow('standings');
