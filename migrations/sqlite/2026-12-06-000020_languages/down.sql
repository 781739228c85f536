ALTER TABLE employees DROP COLUMN language;
