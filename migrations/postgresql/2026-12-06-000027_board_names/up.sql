-- An office's leaderboards are kept with the names they show: a person's
-- or a club's new name moves the office's board mark too.
CREATE TRIGGER board_marks_employees_name AFTER UPDATE OF name ON employees
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION board_marks_follow();

CREATE FUNCTION board_marks_follow_club() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM board_marks_move(NEW.organization_id);
    RETURN NULL;
END $$;

CREATE TRIGGER board_marks_clubs_name AFTER UPDATE OF name ON clubs
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION board_marks_follow_club();
