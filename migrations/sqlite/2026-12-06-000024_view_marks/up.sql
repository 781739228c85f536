-- A counter per office and kind of view that the database moves whenever
-- anything such a view is made from changes. These views of an office are
-- kept in memory (src/memo.rs) under their marks: 'reports', a month's
-- report facts for the compliance view (clubs and monthly reports);
-- 'standings', a round's ranking (rounds, criteria, prize tiers, results
-- reports, score sheets, clubs and the regular meetings counted for ties);
-- 'clubs', pages of the club list (clubs, their sizes, memberships, who
-- presides and their names, departments' names).
CREATE TABLE view_marks (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    kind            TEXT NOT NULL CHECK (kind IN ('reports', 'standings', 'clubs')),
    mark            BIGINT NOT NULL,
    PRIMARY KEY (organization_id, kind)
) WITHOUT ROWID;

CREATE TRIGGER view_marks_reports_clubs_insert AFTER INSERT ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'reports', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_reports_clubs_update AFTER UPDATE ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'reports', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_reports_clubs_delete AFTER DELETE ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT OLD.organization_id, 'reports', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_reports_monthly_reports_insert AFTER INSERT ON monthly_reports BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'reports', 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_reports_monthly_reports_update AFTER UPDATE ON monthly_reports BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'reports', 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_reports_monthly_reports_delete AFTER DELETE ON monthly_reports BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'reports', 1 FROM clubs WHERE id = OLD.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_clubs_insert AFTER INSERT ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'standings', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_clubs_update AFTER UPDATE ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'standings', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_clubs_delete AFTER DELETE ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT OLD.organization_id, 'standings', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_meetings_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_meetings_update AFTER UPDATE ON meetings BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_meetings_delete AFTER DELETE ON meetings BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM clubs WHERE id = OLD.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_rounds_insert AFTER INSERT ON evaluation_rounds BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'standings', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_rounds_update AFTER UPDATE ON evaluation_rounds BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'standings', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_rounds_delete AFTER DELETE ON evaluation_rounds BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT OLD.organization_id, 'standings', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_criteria_insert AFTER INSERT ON evaluation_criteria BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = NEW.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_criteria_update AFTER UPDATE ON evaluation_criteria BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = NEW.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_criteria_delete AFTER DELETE ON evaluation_criteria BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = OLD.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_prize_tiers_insert AFTER INSERT ON prize_tiers BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = NEW.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_prize_tiers_update AFTER UPDATE ON prize_tiers BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = NEW.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_prize_tiers_delete AFTER DELETE ON prize_tiers BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = OLD.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_results_reports_insert AFTER INSERT ON results_reports BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = NEW.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_results_reports_update AFTER UPDATE ON results_reports BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = NEW.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_results_reports_delete AFTER DELETE ON results_reports BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = OLD.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_assignments_insert AFTER INSERT ON evaluation_assignments BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = NEW.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_assignments_update AFTER UPDATE ON evaluation_assignments BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = NEW.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_standings_evaluation_assignments_delete AFTER DELETE ON evaluation_assignments BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'standings', 1 FROM evaluation_rounds WHERE id = OLD.round_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_clubs_insert AFTER INSERT ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'clubs', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_clubs_update AFTER UPDATE ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'clubs', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_clubs_delete AFTER DELETE ON clubs BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT OLD.organization_id, 'clubs', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_club_sizes_insert AFTER INSERT ON club_sizes BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'clubs', 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_club_sizes_update AFTER UPDATE ON club_sizes BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'clubs', 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_club_sizes_delete AFTER DELETE ON club_sizes BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'clubs', 1 FROM clubs WHERE id = OLD.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_memberships_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'clubs', 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_memberships_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'clubs', 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_memberships_delete AFTER DELETE ON memberships BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT organization_id, 'clubs', 1 FROM clubs WHERE id = OLD.club_id
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_departments_insert AFTER INSERT ON departments BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'clubs', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_departments_update AFTER UPDATE ON departments BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'clubs', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_departments_delete AFTER DELETE ON departments BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT OLD.organization_id, 'clubs', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER view_marks_clubs_employees_name AFTER UPDATE OF name ON employees
    WHEN OLD.name <> NEW.name BEGIN
    INSERT INTO view_marks (organization_id, kind, mark)
        SELECT NEW.organization_id, 'clubs', 1 WHERE true
        ON CONFLICT (organization_id, kind) DO UPDATE SET mark = mark + 1;
END;
