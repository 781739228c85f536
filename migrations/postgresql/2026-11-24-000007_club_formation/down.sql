DROP INDEX monthly_reports_month;
DROP INDEX clubs_formed;
ALTER TABLE clubs DROP COLUMN formed_on;
