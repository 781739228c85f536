-- The compliance view reads a month's report facts for every club of an
-- organization from the index alone, in club-name order without a sort.
DROP INDEX monthly_reports_month;
CREATE INDEX monthly_reports_month
    ON monthly_reports(month, club_id, current_version, late, missing_at, first_submitted_at);
DROP INDEX clubs_organization;
CREATE INDEX clubs_organization
    ON clubs(organization_id, status, name, id, formed_on, home_department_id);
