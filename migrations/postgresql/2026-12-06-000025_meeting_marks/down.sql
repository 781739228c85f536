DROP TRIGGER meeting_marks_names ON employees;
DROP TRIGGER meeting_marks_meetings ON meetings;
DROP FUNCTION meeting_marks_follow();
DROP TABLE meeting_marks;
