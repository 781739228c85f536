-- The rules that say "one" or "at most one", held by the database itself:
-- a read before the write only makes the message kinder.

-- Exactly one president among a club's current members.
CREATE UNIQUE INDEX memberships_one_president
    ON memberships (club_id) WHERE role = 'president' AND left_on IS NULL;
-- One open membership per person and club.
CREATE UNIQUE INDEX memberships_one_open
    ON memberships (club_id, employee_id) WHERE left_on IS NULL;
-- One pending join request per person and club.
CREATE UNIQUE INDEX join_requests_one_pending
    ON join_requests (club_id, employee_id) WHERE status = 'pending';
