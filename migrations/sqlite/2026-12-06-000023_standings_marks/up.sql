-- A counter per office that the database moves whenever a club's points
-- (leaderboard_totals of clubs) or a club's kept sizes (club_sizes) change:
-- the clubs' board, which reads every club of the office, is kept in
-- memory (src/memo.rs) and made again only when this mark has moved.
CREATE TABLE standings_marks (
    organization_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id),
    mark            BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER standings_marks_points_insert AFTER INSERT ON leaderboard_totals
WHEN NEW.owner_kind = 'club' BEGIN
    INSERT INTO standings_marks (organization_id, mark) VALUES (NEW.organization_id, 1)
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER standings_marks_points_update AFTER UPDATE ON leaderboard_totals
WHEN NEW.owner_kind = 'club' OR OLD.owner_kind = 'club' BEGIN
    INSERT INTO standings_marks (organization_id, mark) VALUES (NEW.organization_id, 1)
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER standings_marks_points_delete AFTER DELETE ON leaderboard_totals
WHEN OLD.owner_kind = 'club' BEGIN
    INSERT INTO standings_marks (organization_id, mark) VALUES (OLD.organization_id, 1)
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER standings_marks_sizes_insert AFTER INSERT ON club_sizes BEGIN
    INSERT INTO standings_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER standings_marks_sizes_update AFTER UPDATE ON club_sizes BEGIN
    INSERT INTO standings_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER standings_marks_sizes_delete AFTER DELETE ON club_sizes BEGIN
    INSERT INTO standings_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = OLD.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;
