-- A scored sheet's points in criterion order ("7,8,6,9"), written with
-- the points themselves whenever an evaluator saves: the standings of a
-- round read one short row per sheet instead of joining every score.
-- evaluation_scores stays the record; NULL until the sheet is scored.
ALTER TABLE evaluation_assignments ADD COLUMN sheet_points TEXT;

-- The standings read a round's sheets from the index alone, and count each
-- club's regular meetings in a half without visiting the meetings.
CREATE INDEX evaluation_assignments_sheets
    ON evaluation_assignments (round_id, club_id, sheet_points) WHERE removed_at IS NULL;
DROP INDEX meetings_club_date;
CREATE INDEX meetings_club_date ON meetings(club_id, held_on, starts_at, kind, deleted_at);

-- A confirmed round's results are announced by the jobs run, not by the
-- confirmation; rounds confirmed before this were announced then.
INSERT INTO reminders (id, kind, month, subject_id, created_at)
    SELECT 'announced-' || id, 'results_announced', id, id, confirmed_at
    FROM evaluation_rounds WHERE confirmed_at IS NOT NULL;
