DROP TABLE knowledge_kings;
DROP INDEX employees_inactive;
DROP TABLE club_leaderboard_defaults;
DROP TABLE leaderboard_choices;
DROP TABLE leaderboard_totals;
ALTER TABLE mileage_earnings DROP COLUMN club_id;
DROP TABLE voucher_redemptions;
DROP TABLE catalog_items;
DROP TABLE voucher_rules;
