DROP INDEX clubs_by_name;
