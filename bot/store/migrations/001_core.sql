-- Users (a row exists only once they chose a language or gave consent), cases and their history.
CREATE TABLE users (
    user_id        INTEGER PRIMARY KEY,
    locale         TEXT NOT NULL,
    consent_at     REAL,
    current_case   INTEGER,
    created_at     REAL NOT NULL,
    updated_at     REAL NOT NULL
);

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    status         TEXT NOT NULL,
    step           TEXT,
    paused         INTEGER NOT NULL DEFAULT 0,
    symptoms       TEXT NOT NULL DEFAULT '[]',
    emergency_done TEXT NOT NULL DEFAULT '[]',
    evidence_done  TEXT NOT NULL DEFAULT '[]',
    answers        TEXT NOT NULL DEFAULT '{}',
    amount         TEXT,
    verdict        TEXT,
    created_at     REAL NOT NULL,
    updated_at     REAL NOT NULL,
    closed_at      REAL
);
CREATE INDEX cases_by_user ON cases(user_id, id);
CREATE INDEX cases_by_closed ON cases(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX cases_by_updated ON cases(updated_at);

CREATE TABLE case_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id   INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at        REAL NOT NULL,
    kind      TEXT NOT NULL,
    data      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_by_case ON case_events(case_id, id);
