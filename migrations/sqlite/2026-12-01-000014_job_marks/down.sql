DROP TABLE job_marks;
