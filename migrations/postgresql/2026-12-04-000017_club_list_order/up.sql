-- The club list of an office, in name order, one page at a time: read in
-- the index's order and stopped at the page's end, without sorting every
-- club of the office first.
CREATE INDEX clubs_by_name ON clubs(organization_id, name);
