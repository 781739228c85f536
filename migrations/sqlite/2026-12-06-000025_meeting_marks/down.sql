DROP TRIGGER meeting_marks_names;
DROP TRIGGER meeting_marks_delete;
DROP TRIGGER meeting_marks_update;
DROP TRIGGER meeting_marks_insert;
DROP TABLE meeting_marks;
