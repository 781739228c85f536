DROP TRIGGER club_counts_follow ON clubs;
DROP FUNCTION club_counts_follow();
DROP TABLE club_counts;
