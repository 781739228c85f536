DROP TABLE outbox;
DROP TABLE reminders;
DROP TABLE report_versions;
DROP TABLE monthly_reports;
DROP TABLE holidays;
