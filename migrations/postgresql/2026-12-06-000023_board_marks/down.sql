DROP TRIGGER board_marks_employees ON employees;
DROP TRIGGER board_marks_memberships ON memberships;
DROP TRIGGER board_marks_defaults ON club_leaderboard_defaults;
DROP TRIGGER board_marks_choices ON leaderboard_choices;
DROP TRIGGER board_marks_sizes ON club_sizes;
DROP TRIGGER board_marks_points ON leaderboard_totals;
DROP FUNCTION board_marks_follow();
DROP FUNCTION board_marks_move(TEXT);
DROP TABLE board_marks;
