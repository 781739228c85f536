DROP TABLE ledger_balances;
DROP TABLE ledger_chain;
DROP TABLE ledger_entry_details;
DROP TABLE ledger_entries;
DROP TABLE ledger_movements;
DROP TABLE ledger_accounts;
