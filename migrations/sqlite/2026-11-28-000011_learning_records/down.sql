ALTER TABLE ledger_movements DROP COLUMN title;
ALTER TABLE ledger_movements DROP COLUMN learning_type;
