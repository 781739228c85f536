-- A person's half-year hours (the home page, /me/hours) read their clubs'
-- meetings of the half and each one's times from the index alone, and a
-- person's clubs come from their memberships' index without a row each.
DROP INDEX meetings_club_date;
CREATE INDEX meetings_club_date
    ON meetings(club_id, held_on, starts_at, kind, deleted_at, ends_at, id);
DROP INDEX memberships_employee;
CREATE INDEX memberships_employee ON memberships(employee_id, left_on, club_id);
