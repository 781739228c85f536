-- The language a person reads the portal and its mail in: Korean unless
-- they chose English with the toggle.
ALTER TABLE employees ADD COLUMN language TEXT NOT NULL DEFAULT 'ko'
    CHECK (language IN ('ko', 'en'));
