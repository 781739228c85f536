-- A counter per office that the database moves whenever a club's points
-- (leaderboard_totals of clubs) or a club's kept sizes (club_sizes) change:
-- the clubs' board, which reads every club of the office, is kept in
-- memory (src/memo.rs) and made again only when this mark has moved.
CREATE TABLE standings_marks (
    organization_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id),
    mark            BIGINT NOT NULL
);

CREATE FUNCTION standings_marks_move(office TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO standings_marks (organization_id, mark) VALUES (office, 1)
        ON CONFLICT (organization_id) DO UPDATE SET mark = standings_marks.mark + 1;
$$;

CREATE FUNCTION standings_marks_follow_points() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.owner_kind = 'club' THEN
            PERFORM standings_marks_move(OLD.organization_id);
        END IF;
    ELSIF NEW.owner_kind = 'club' OR (TG_OP = 'UPDATE' AND OLD.owner_kind = 'club') THEN
        PERFORM standings_marks_move(NEW.organization_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER standings_marks_follow_points AFTER INSERT OR UPDATE OR DELETE
    ON leaderboard_totals FOR EACH ROW EXECUTE FUNCTION standings_marks_follow_points();

CREATE FUNCTION standings_marks_follow_sizes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM standings_marks_move(organization_id) FROM clubs
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.club_id ELSE NEW.club_id END;
    RETURN NULL;
END $$;

CREATE TRIGGER standings_marks_follow_sizes AFTER INSERT OR UPDATE OR DELETE
    ON club_sizes FOR EACH ROW EXECUTE FUNCTION standings_marks_follow_sizes();
