-- Follow-up reminders: one row per reminder, found by a due-time index (never one job per row).
-- state: pending -> sending (claimed) -> sent | skipped | failed | interrupted;
--        pending <-> paused; pending/paused -> cancelled.
CREATE TABLE followups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    step        TEXT NOT NULL,
    due_at      REAL NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  REAL NOT NULL,
    claimed_at  REAL,
    sent_at     REAL,
    message_id  INTEGER,
    answer      TEXT,
    answered_at REAL,
    error       TEXT
);
CREATE INDEX followups_due ON followups(state, due_at);
CREATE INDEX followups_by_case ON followups(case_id, state);
CREATE INDEX followups_by_user ON followups(user_id, state);

-- Cases whose reminders are paused (by the user, or because the user blocked the bot).
CREATE TABLE followup_pauses (
    case_id  INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    at       REAL NOT NULL,
    reason   TEXT NOT NULL
);
