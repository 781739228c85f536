DROP INDEX meetings_club_date;
CREATE INDEX meetings_club_date ON meetings(club_id, held_on);
DROP INDEX memberships_club;
CREATE INDEX memberships_club ON memberships(club_id, left_on);
