DROP TABLE hours_rules;
