-- The message checker: reports users made ("this verdict was wrong") and scam messages admins
-- confirmed (matched from then on). Texts are stored masked (digit runs hidden), and only when
-- the user chose to report.
CREATE TABLE checker_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER REFERENCES users(user_id) ON DELETE CASCADE,  -- NULL: no consent
    at          REAL NOT NULL,
    verdict     TEXT NOT NULL,
    kind        TEXT,
    signals     TEXT NOT NULL DEFAULT '',
    text        TEXT,
    status      TEXT NOT NULL DEFAULT 'open',   -- open | scam | not_scam
    decided_by  INTEGER,
    decided_at  REAL
);
CREATE INDEX checker_reports_open ON checker_reports(status, id);

CREATE TABLE checker_examples (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    text      TEXT NOT NULL UNIQUE,
    kind      TEXT,
    added_at  REAL NOT NULL,
    report_id INTEGER
);

-- Groups whose admins turned the guard on: warn, or delete and warn, on near-certain scams.
CREATE TABLE checker_groups (
    chat_id  INTEGER PRIMARY KEY,
    mode     TEXT NOT NULL,            -- warn | delete
    set_by   INTEGER NOT NULL,
    set_at   REAL NOT NULL
);
