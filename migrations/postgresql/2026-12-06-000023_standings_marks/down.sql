DROP TRIGGER standings_marks_follow_sizes ON club_sizes;
DROP FUNCTION standings_marks_follow_sizes();
DROP TRIGGER standings_marks_follow_points ON leaderboard_totals;
DROP FUNCTION standings_marks_follow_points();
DROP FUNCTION standings_marks_move(TEXT);
DROP TABLE standings_marks;
