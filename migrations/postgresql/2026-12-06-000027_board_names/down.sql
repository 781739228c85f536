DROP TRIGGER board_marks_clubs_name ON clubs;
DROP FUNCTION board_marks_follow_club();
DROP TRIGGER board_marks_employees_name ON employees;
