-- The claim pack: evidence files, unauthorised transactions, the contact log and what the user
-- is entering right now. Everything hangs off a case (or the user), so /delete and retention
-- remove it through the foreign keys. File bytes stay on Telegram's servers: a row keeps the
-- file_id to fetch them again and the SHA-256 of the original to prove they did not change.
CREATE TABLE evidence_files (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    item            TEXT,
    kind            TEXT NOT NULL,
    file_id         TEXT NOT NULL,
    file_unique_id  TEXT NOT NULL,
    file_name       TEXT,
    mime            TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    note            TEXT,
    proposal        TEXT,
    received_at     REAL NOT NULL
);
CREATE UNIQUE INDEX evidence_files_unique ON evidence_files(case_id, file_unique_id);
CREATE INDEX evidence_files_by_hash ON evidence_files(case_id, sha256);

CREATE TABLE evidence_transactions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    order_no    TEXT NOT NULL,
    at          TEXT NOT NULL,
    amount      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    file        INTEGER REFERENCES evidence_files(id) ON DELETE SET NULL,
    created_at  REAL NOT NULL,
    updated_at  REAL NOT NULL
);
CREATE INDEX evidence_transactions_by_case ON evidence_transactions(case_id, id);

CREATE TABLE evidence_contacts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    channel     TEXT NOT NULL,
    ref         TEXT,
    note        TEXT,
    created_at  REAL NOT NULL
);
CREATE INDEX evidence_contacts_by_case ON evidence_contacts(case_id, id);

-- One row per user: the item new uploads are filed under, and the entry being typed (a
-- transaction or a contact) with the field the next text message answers.
CREATE TABLE evidence_state (
    user_id      INTEGER PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
    case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    upload_item  TEXT,
    upload_at    REAL,
    draft_kind   TEXT,
    draft_target INTEGER,
    draft_field  TEXT,
    draft_data   TEXT NOT NULL DEFAULT '{}',
    updated_at   REAL NOT NULL
);
