DROP INDEX join_requests_one_pending;
DROP INDEX memberships_one_open;
DROP INDEX memberships_one_president;
