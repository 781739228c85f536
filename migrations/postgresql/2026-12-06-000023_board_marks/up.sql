-- A counter per office that the database moves whenever anything its
-- leaderboards are made from changes: points (leaderboard_totals), club
-- sizes, people's choices to be left out, clubs' defaults, memberships and
-- who is active. The office's boards, which read all of its people or
-- clubs, are kept in memory (src/memo.rs) and made again only when this
-- mark has moved.
CREATE TABLE board_marks (
    organization_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id),
    mark            BIGINT NOT NULL
);

CREATE FUNCTION board_marks_move(office TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO board_marks (organization_id, mark) VALUES (office, 1)
        ON CONFLICT (organization_id) DO UPDATE SET mark = board_marks.mark + 1;
$$;

-- The row a trigger fired for: the new one, or the old one of a delete.
CREATE FUNCTION board_marks_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    IF TG_TABLE_NAME = 'leaderboard_totals' THEN
        PERFORM board_marks_move(changed.organization_id);
    ELSIF TG_TABLE_NAME = 'leaderboard_choices' THEN
        PERFORM board_marks_move(organization_id) FROM employees WHERE id = changed.employee_id;
    ELSIF TG_TABLE_NAME = 'employees' THEN
        PERFORM board_marks_move(OLD.organization_id);
        IF NEW.organization_id <> OLD.organization_id THEN
            PERFORM board_marks_move(NEW.organization_id);
        END IF;
    ELSE
        -- club_sizes, club_leaderboard_defaults, memberships: by the club.
        PERFORM board_marks_move(organization_id) FROM clubs WHERE id = changed.club_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER board_marks_points AFTER INSERT OR UPDATE OR DELETE
    ON leaderboard_totals FOR EACH ROW EXECUTE FUNCTION board_marks_follow();
CREATE TRIGGER board_marks_sizes AFTER INSERT OR UPDATE OR DELETE
    ON club_sizes FOR EACH ROW EXECUTE FUNCTION board_marks_follow();
CREATE TRIGGER board_marks_choices AFTER INSERT OR UPDATE OR DELETE
    ON leaderboard_choices FOR EACH ROW EXECUTE FUNCTION board_marks_follow();
CREATE TRIGGER board_marks_defaults AFTER INSERT OR UPDATE OR DELETE
    ON club_leaderboard_defaults FOR EACH ROW EXECUTE FUNCTION board_marks_follow();
CREATE TRIGGER board_marks_memberships AFTER INSERT OR UPDATE
    ON memberships FOR EACH ROW EXECUTE FUNCTION board_marks_follow();
CREATE TRIGGER board_marks_employees AFTER UPDATE OF active, organization_id
    ON employees FOR EACH ROW EXECUTE FUNCTION board_marks_follow();
