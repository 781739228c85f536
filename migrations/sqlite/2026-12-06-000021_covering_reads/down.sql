DROP INDEX meetings_club_date;
CREATE INDEX meetings_club_date ON meetings(club_id, held_on, starts_at, kind, deleted_at);
DROP INDEX memberships_employee;
CREATE INDEX memberships_employee ON memberships(employee_id, left_on);
