-- A counter per office that the database moves whenever anything its
-- leaderboards are made from changes: points (leaderboard_totals), club
-- sizes, people's choices to be left out, clubs' defaults, memberships and
-- who is active. The office's boards, which read all of its people or
-- clubs, are kept in memory (src/memo.rs) and made again only when this
-- mark has moved.
CREATE TABLE board_marks (
    organization_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id),
    mark            BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER board_marks_points_insert AFTER INSERT ON leaderboard_totals BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT NEW.organization_id, 1 WHERE true
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_sizes_insert AFTER INSERT ON club_sizes BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_choices_insert AFTER INSERT ON leaderboard_choices BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM employees WHERE id = NEW.employee_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_defaults_insert AFTER INSERT ON club_leaderboard_defaults BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_points_update AFTER UPDATE ON leaderboard_totals BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT NEW.organization_id, 1 WHERE true
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_sizes_update AFTER UPDATE ON club_sizes BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_choices_update AFTER UPDATE ON leaderboard_choices BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM employees WHERE id = NEW.employee_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_defaults_update AFTER UPDATE ON club_leaderboard_defaults BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_points_delete AFTER DELETE ON leaderboard_totals BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT OLD.organization_id, 1 WHERE true
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_sizes_delete AFTER DELETE ON club_sizes BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = OLD.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_choices_delete AFTER DELETE ON leaderboard_choices BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM employees WHERE id = OLD.employee_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_defaults_delete AFTER DELETE ON club_leaderboard_defaults BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = OLD.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_memberships_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_memberships_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT organization_id, 1 FROM clubs WHERE id = NEW.club_id
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;

CREATE TRIGGER board_marks_employees_update AFTER UPDATE OF active, organization_id ON employees BEGIN
    INSERT INTO board_marks (organization_id, mark)
        SELECT id, 1 FROM organizations WHERE id IN (OLD.organization_id, NEW.organization_id)
        ON CONFLICT (organization_id) DO UPDATE SET mark = mark + 1;
END;
