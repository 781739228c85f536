-- A club's number of members from a day on: one row for each day on which
-- it changed (someone joined or left). The clubs' leaderboard ranks clubs by
-- mileage per member; with this it reads one row per club instead of
-- counting every club's memberships on each request. Kept by
-- `clubs::model::resize` in the transaction of each membership change;
-- `dongari ledger verify` recounts it.
CREATE TABLE club_sizes (
    club_id  TEXT NOT NULL REFERENCES clubs(id),
    from_day DATE NOT NULL,
    members  BIGINT NOT NULL CHECK (members >= 0),
    PRIMARY KEY (club_id, from_day)
) WITHOUT ROWID;

INSERT INTO club_sizes (club_id, from_day, members)
SELECT changes.club_id, changes.day,
       (SELECT COUNT(*) FROM memberships m
         WHERE m.club_id = changes.club_id
           AND m.joined_on <= changes.day
           AND (m.left_on IS NULL OR m.left_on > changes.day))
  FROM (SELECT club_id, joined_on AS day FROM memberships
        UNION
        SELECT club_id, left_on FROM memberships WHERE left_on IS NOT NULL) AS changes;
