-- Clubs, membership, study tasks, meetings with attendance and support
-- spending, and each club's board.

CREATE TABLE clubs (
    id                 TEXT PRIMARY KEY NOT NULL,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('department', 'integrated')),
    home_department_id TEXT REFERENCES departments(id),
    field              TEXT NOT NULL,
    description        TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'rejected', 'dissolved')),
    usual_start        TIME,
    usual_end          TIME,
    usual_place        TEXT,
    proposed_by        TEXT REFERENCES employees(id),
    decided_by         TEXT REFERENCES employees(id),
    decided_at         TIMESTAMP,
    decision_note      TEXT,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX clubs_status ON clubs(status, name);
CREATE INDEX clubs_department ON clubs(home_department_id);

-- A stint in a club: joined and (maybe) left, with the role held.
CREATE TABLE memberships (
    id          TEXT PRIMARY KEY NOT NULL,
    club_id     TEXT NOT NULL REFERENCES clubs(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    role        TEXT NOT NULL CHECK (role IN ('president', 'member')),
    joined_on   DATE NOT NULL,
    left_on     DATE,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX memberships_club ON memberships(club_id, left_on);
CREATE INDEX memberships_employee ON memberships(employee_id, left_on);

CREATE TABLE join_requests (
    id          TEXT PRIMARY KEY NOT NULL,
    club_id     TEXT NOT NULL REFERENCES clubs(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    message     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by  TEXT REFERENCES employees(id),
    decided_at  TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX join_requests_club ON join_requests(club_id, status);

CREATE TABLE study_tasks (
    id          TEXT PRIMARY KEY NOT NULL,
    club_id     TEXT NOT NULL REFERENCES clubs(id),
    half        TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    updated_by  TEXT NOT NULL REFERENCES employees(id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (club_id, half)
);

CREATE TABLE meetings (
    id                TEXT PRIMARY KEY NOT NULL,
    club_id           TEXT NOT NULL REFERENCES clubs(id),
    held_on           DATE NOT NULL,
    starts_at         TIME NOT NULL,
    ends_at           TIME NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('regular', 'ad_hoc')),
    place             TEXT NOT NULL,
    topic             TEXT NOT NULL,
    notes             TEXT NOT NULL,
    inside_work_hours BOOLEAN NOT NULL,
    inside_reason     TEXT,
    created_by        TEXT NOT NULL REFERENCES employees(id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    -- Deleted meetings are kept, marked; who deleted is in the audit trail.
    deleted_at        TIMESTAMP
);
CREATE INDEX meetings_club_date ON meetings(club_id, held_on);

-- One row per member present; members of the club on that date without a
-- row were absent.
CREATE TABLE meeting_attendance (
    meeting_id  TEXT NOT NULL REFERENCES meetings(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    PRIMARY KEY (meeting_id, employee_id)
);
CREATE INDEX meeting_attendance_employee ON meeting_attendance(employee_id);

-- Support spending (운영지원): an invited advisor's fee (자문 수당) and
-- books bought (도서구입), in KRW.
CREATE TABLE meeting_advisors (
    meeting_id TEXT PRIMARY KEY NOT NULL REFERENCES meetings(id),
    name       TEXT NOT NULL,
    fee        INTEGER NOT NULL CHECK (fee >= 0)
);

CREATE TABLE meeting_books (
    id         TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    title      TEXT NOT NULL,
    price      INTEGER NOT NULL CHECK (price >= 0)
);
CREATE INDEX meeting_books_meeting ON meeting_books(meeting_id);

CREATE TABLE board_posts (
    id            TEXT PRIMARY KEY NOT NULL,
    club_id       TEXT NOT NULL REFERENCES clubs(id),
    author_id     TEXT NOT NULL REFERENCES employees(id),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    links         TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    hidden_at     TIMESTAMP,
    hidden_by     TEXT REFERENCES employees(id),
    hidden_reason TEXT
);
CREATE INDEX board_posts_club ON board_posts(club_id, created_at);

CREATE TABLE board_comments (
    id            TEXT PRIMARY KEY NOT NULL,
    post_id       TEXT NOT NULL REFERENCES board_posts(id),
    author_id     TEXT NOT NULL REFERENCES employees(id),
    body          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    hidden_at     TIMESTAMP,
    hidden_by     TEXT REFERENCES employees(id),
    hidden_reason TEXT
);
CREATE INDEX board_comments_post ON board_comments(post_id, created_at);
