CREATE TRIGGER board_marks_points AFTER INSERT OR UPDATE OR DELETE
    ON leaderboard_totals FOR EACH ROW EXECUTE FUNCTION board_marks_follow();
