-- Club lists count members and name presidents from the index alone,
-- without reading each membership row.
DROP INDEX memberships_club;
CREATE INDEX memberships_club ON memberships(club_id, left_on, role, joined_on, employee_id);
-- A club's meetings, latest first, come in index order: no sort.
DROP INDEX meetings_club_date;
CREATE INDEX meetings_club_date ON meetings(club_id, held_on, starts_at);
