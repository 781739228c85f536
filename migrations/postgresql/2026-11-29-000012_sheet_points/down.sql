DELETE FROM reminders WHERE kind = 'results_announced';
DROP INDEX meetings_club_date;
CREATE INDEX meetings_club_date ON meetings(club_id, held_on, starts_at);
DROP INDEX evaluation_assignments_sheets;
ALTER TABLE evaluation_assignments DROP COLUMN sheet_points;
