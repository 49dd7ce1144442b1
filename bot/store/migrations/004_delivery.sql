-- Delivery: screens a user is owed, and update ids already handled.
-- A row in owed_screens says "this chat is owed the screen of its user's current case" (kind
-- 'step': the question the case waits on; 'plan': verdict, evidence, guide). It is written
-- before the state change it follows is committed and deleted once Telegram confirmed every
-- message; rows left by a crash or by retries that ran out are sent again at start-up.
CREATE TABLE owed_screens (
    chat_id  INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    at       REAL NOT NULL
);
CREATE INDEX owed_screens_by_user ON owed_screens(user_id);

-- Update ids handled (Telegram redelivers unconfirmed updates after a crash); only ids, pruned
-- to the newest ones.
CREATE TABLE handled_updates (
    update_id  INTEGER PRIMARY KEY,
    at         REAL NOT NULL
);
