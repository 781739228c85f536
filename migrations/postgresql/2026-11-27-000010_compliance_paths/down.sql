DROP INDEX clubs_organization;
CREATE INDEX clubs_organization ON clubs(organization_id, status, name);
DROP INDEX monthly_reports_month;
CREATE INDEX monthly_reports_month ON monthly_reports(month, club_id);
