-- Scam alerts: subscribers, groups, broadcasts and one delivery row per recipient.

-- A subscription keeps only the user id (the users row holds the language). Deleting the user
-- (/delete) removes the subscription through the foreign key.
CREATE TABLE alert_subscribers (
    user_id      INTEGER PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
    created_at   REAL NOT NULL
);

-- Groups the bot was added to; alerts stay off until a group admin turns them on.
CREATE TABLE alert_groups (
    chat_id      INTEGER PRIMARY KEY,
    alerts_on    INTEGER NOT NULL DEFAULT 0,
    gone         INTEGER NOT NULL DEFAULT 0,
    created_at   REAL NOT NULL,
    updated_at   REAL NOT NULL
);

-- state: draft -> running -> done | cancelled; a draft may also be discarded.
CREATE TABLE alert_broadcasts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id       INTEGER NOT NULL,
    origin_chat     INTEGER NOT NULL,
    locale          TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL,
    created_at      REAL NOT NULL,
    started_at      REAL,
    finished_at     REAL,
    status_chat     INTEGER,
    status_message  INTEGER,
    total           INTEGER NOT NULL DEFAULT 0,
    resumed_inflight INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alert_broadcasts_by_state ON alert_broadcasts(state, id);
CREATE INDEX alert_broadcasts_by_author ON alert_broadcasts(author_id, started_at);

-- One row per recipient. state: pending, sending (claimed: a send may be in flight),
-- sent, blocked, failed, unknown (timed out after the request left: maybe delivered), cancelled.
CREATE TABLE alert_deliveries (
    broadcast_id  INTEGER NOT NULL REFERENCES alert_broadcasts(id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL,
    user_id       INTEGER REFERENCES users(user_id) ON DELETE CASCADE,
    is_group      INTEGER NOT NULL,
    locale        TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    REAL NOT NULL DEFAULT 0,
    error         TEXT,
    PRIMARY KEY (broadcast_id, chat_id)
) WITHOUT ROWID;
CREATE INDEX alert_deliveries_by_state ON alert_deliveries(broadcast_id, state, not_before);
CREATE INDEX alert_deliveries_by_user ON alert_deliveries(user_id) WHERE user_id IS NOT NULL;
