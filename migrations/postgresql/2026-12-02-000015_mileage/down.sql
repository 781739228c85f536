DROP TABLE mileage_conversions;
DROP TABLE mileage_earnings;
DROP TABLE conversion_rules;
DROP TABLE mileage_rules;
