-- What a recognized hour was, as the HR learning system files it: the
-- learning type (기관주관교육, 부서학습, 학습동아리, 사이버교육, …) and the
-- course or activity's title. Set by HR imports; a club-hours grant or a
-- conversion says it by its source. Part of the movement's fingerprint.
ALTER TABLE ledger_movements ADD COLUMN learning_type TEXT;
ALTER TABLE ledger_movements ADD COLUMN title TEXT;
