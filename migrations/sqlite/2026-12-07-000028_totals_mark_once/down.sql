CREATE TABLE leaderboard_totals_with_rowid (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    period          TEXT NOT NULL,
    owner_kind      TEXT NOT NULL CHECK (owner_kind IN ('employee', 'club')),
    owner_id        TEXT NOT NULL,
    points          INTEGER NOT NULL,
    PRIMARY KEY (organization_id, period, owner_kind, owner_id)
);
INSERT INTO leaderboard_totals_with_rowid (organization_id, period, owner_kind, owner_id, points)
    SELECT organization_id, period, owner_kind, owner_id, points FROM leaderboard_totals;
DROP TABLE leaderboard_totals;
ALTER TABLE leaderboard_totals_with_rowid RENAME TO leaderboard_totals;
CREATE INDEX leaderboard_totals_rank ON leaderboard_totals(organization_id, period, owner_kind, points, owner_id);

CREATE TRIGGER board_marks_points_insert AFTER INSERT ON leaderboard_totals BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT NEW.organization_id, 1 WHERE true
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER board_marks_points_update AFTER UPDATE ON leaderboard_totals BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT NEW.organization_id, 1 WHERE true
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;
CREATE TRIGGER board_marks_points_delete AFTER DELETE ON leaderboard_totals BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT OLD.organization_id, 1 WHERE true
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;
