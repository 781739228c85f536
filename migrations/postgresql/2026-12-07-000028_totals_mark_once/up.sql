-- An earning changes six totals (its person's and its club's month,
-- half-year and year), a meeting's ten attendees thirty-three: a trigger
-- per row moved the office's board mark as many times. The code that adds
-- to the totals (src/mileage/totals.rs) now moves it once per statement;
-- whatever else writes them must move it too.
DROP TRIGGER board_marks_points ON leaderboard_totals;
