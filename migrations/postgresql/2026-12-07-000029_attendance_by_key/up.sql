-- Nothing to change on PostgreSQL, whose tables keep no b-tree of row ids
-- (SQLite's migration of the same name keeps the attendance and the ledger's
-- details in their key's order). Kept so that both backends count the same
-- migrations.
SELECT 1;
