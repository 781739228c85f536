DROP TABLE club_sizes;
