-- A club's real formation date, which an administrator may set in the past:
-- the months it owes reports start there. Existing clubs formed on the
-- Seoul day they were created.
ALTER TABLE clubs ADD COLUMN formed_on DATE;
UPDATE clubs SET formed_on = (created_at + INTERVAL '9 hours')::date;
ALTER TABLE clubs ALTER COLUMN formed_on SET NOT NULL;
CREATE INDEX clubs_formed ON clubs(organization_id, status, formed_on);
-- The compliance view and the sweep read a month's reports.
CREATE INDEX monthly_reports_month ON monthly_reports(month, club_id);
