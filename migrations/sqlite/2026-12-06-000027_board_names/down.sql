DROP TRIGGER board_marks_clubs_name;
DROP TRIGGER board_marks_employees_name;
