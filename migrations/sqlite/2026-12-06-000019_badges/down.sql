DROP TABLE badge_awards;
DROP TABLE badge_classes;
