DROP TABLE badge_status_counters;
DROP TABLE badge_signing_keys;
DROP TABLE badge_awards;
DROP TABLE badge_classes;
