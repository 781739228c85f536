DROP TRIGGER club_counts_delete;
DROP TRIGGER club_counts_update;
DROP TRIGGER club_counts_insert;
DROP TABLE club_counts;
