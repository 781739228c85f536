-- Kept in their key's order (WITHOUT ROWID): a meeting's attendee and a
-- movement's detail are one b-tree entry each, not a row in a b-tree of
-- row ids plus the same key again in the primary key's index. Both tables
-- are written in every meeting's transaction, one row per attendee, and
-- read by their key's first column (a meeting's attendees, a movement's
-- details). No table refers to either.
CREATE TABLE meeting_attendance_by_key (
    meeting_id  TEXT NOT NULL REFERENCES meetings(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    PRIMARY KEY (meeting_id, employee_id)
) WITHOUT ROWID;
INSERT INTO meeting_attendance_by_key (meeting_id, employee_id)
    SELECT meeting_id, employee_id FROM meeting_attendance;
DROP TABLE meeting_attendance;
ALTER TABLE meeting_attendance_by_key RENAME TO meeting_attendance;
CREATE INDEX meeting_attendance_employee ON meeting_attendance(employee_id);

CREATE TABLE ledger_entry_details_by_key (
    movement_id TEXT NOT NULL REFERENCES ledger_movements(id),
    kind        TEXT NOT NULL,
    ref_id      TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    PRIMARY KEY (movement_id, kind, ref_id)
) WITHOUT ROWID;
INSERT INTO ledger_entry_details_by_key (movement_id, kind, ref_id, amount)
    SELECT movement_id, kind, ref_id, amount FROM ledger_entry_details;
DROP TABLE ledger_entry_details;
ALTER TABLE ledger_entry_details_by_key RENAME TO ledger_entry_details;
CREATE TRIGGER ledger_entry_details_no_update BEFORE UPDATE ON ledger_entry_details
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entry_details_no_delete BEFORE DELETE ON ledger_entry_details
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
