-- An earning changes six totals (its person's and its club's month,
-- half-year and year), a meeting's ten attendees thirty-three: a trigger
-- per row moved the office's board mark as many times. The code that adds
-- to the totals (src/mileage/totals.rs) now moves it once per statement;
-- whatever else writes them must move it too.
DROP TRIGGER board_marks_points_insert;
DROP TRIGGER board_marks_points_update;
DROP TRIGGER board_marks_points_delete;

-- Kept in their key's order (WITHOUT ROWID): adding to a total changes the
-- key's b-tree and the ranking index, not a third b-tree of row ids.
CREATE TABLE leaderboard_totals_by_key (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    period          TEXT NOT NULL,
    owner_kind      TEXT NOT NULL CHECK (owner_kind IN ('employee', 'club')),
    owner_id        TEXT NOT NULL,
    points          INTEGER NOT NULL,
    PRIMARY KEY (organization_id, period, owner_kind, owner_id)
) WITHOUT ROWID;
INSERT INTO leaderboard_totals_by_key (organization_id, period, owner_kind, owner_id, points)
    SELECT organization_id, period, owner_kind, owner_id, points FROM leaderboard_totals;
DROP TABLE leaderboard_totals;
ALTER TABLE leaderboard_totals_by_key RENAME TO leaderboard_totals;
-- Covering: a rank is counted from the index alone.
CREATE INDEX leaderboard_totals_rank ON leaderboard_totals(organization_id, period, owner_kind, points, owner_id);
