DROP TABLE audit_events;
DROP TABLE login_throttle;
DROP TABLE target_rules;
DROP TABLE employee_roles;
DROP TABLE employees;
DROP TABLE departments;
