-- The learning ledger: hours (minutes), mileage (points), vouchers, KRW and
-- special-leave days, as append-only double-entry movements. See
-- src/ledger/mod.rs for the rules; the triggers below make the append-only
-- rule the database's own, whatever code runs against it.

-- An account: an employee's, a club's, or a system account (the issuer of
-- hours, the mileage pool, the treasury...) of one unit. A person's account
-- follows the person, whichever office they are in.
CREATE TABLE ledger_accounts (
    id         TEXT PRIMARY KEY NOT NULL,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('employee', 'club', 'system')),
    owner_id   TEXT NOT NULL,
    unit       TEXT NOT NULL CHECK (unit IN ('minutes', 'points', 'vouchers', 'krw', 'leave_days')),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (owner_kind, owner_id, unit)
);

-- One operation: what caused it, under which rule, who approved it, and the
-- key that makes a retried operation write nothing new.
CREATE TABLE ledger_movements (
    id              TEXT PRIMARY KEY NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    -- A digest of the content: the same key with other content is refused.
    fingerprint     TEXT NOT NULL,
    source          TEXT NOT NULL,
    source_ref      TEXT,
    counts_for      DATE NOT NULL,
    rule_version    TEXT,
    actor_id        TEXT REFERENCES employees(id),
    reason          TEXT,
    -- A reversal names the movement it cancels; each is cancelled at most once.
    reverses_id     TEXT UNIQUE REFERENCES ledger_movements(id),
    recorded_at     TIMESTAMP NOT NULL
);
CREATE INDEX ledger_movements_source ON ledger_movements(source, source_ref);

-- The legs of the movements, in one chain: each carries a hash over its
-- content and the previous leg's hash, so that an edited or removed row is
-- found by `dongari ledger verify`.
CREATE TABLE ledger_entries (
    seq         BIGINT PRIMARY KEY NOT NULL,
    movement_id TEXT NOT NULL REFERENCES ledger_movements(id),
    account_id  TEXT NOT NULL REFERENCES ledger_accounts(id),
    unit        TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries(account_id, seq);
CREATE INDEX ledger_entries_movement ON ledger_entries(movement_id);

-- What a movement was made of, for the reader who asks "which meetings?".
CREATE TABLE ledger_entry_details (
    movement_id TEXT NOT NULL REFERENCES ledger_movements(id),
    kind        TEXT NOT NULL,
    ref_id      TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    PRIMARY KEY (movement_id, kind, ref_id)
);

-- The end of the chain, one row; writers take it in turn.
CREATE TABLE ledger_chain (
    id        INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    last_seq  BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO ledger_chain (id, last_seq, last_hash) VALUES (1, 0, '');

-- Balances as a cache, kept in the same transaction as the entries;
-- `ledger verify` recomputes them from the entries.
CREATE TABLE ledger_balances (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES ledger_accounts(id),
    balance    BIGINT NOT NULL
);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_movements_no_update BEFORE UPDATE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_movements_no_delete BEFORE DELETE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entry_details_no_update BEFORE UPDATE ON ledger_entry_details
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entry_details_no_delete BEFORE DELETE ON ledger_entry_details
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
