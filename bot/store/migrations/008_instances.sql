-- Several bot processes on one database (README "Running at scale"). Portable SQL: plain
-- tables, REAL epoch seconds, conditional UPDATE / INSERT ... ON CONFLICT claims.

-- One row per running process: its unique id (name + random suffix, new at every start), the
-- name it was given (INSTANCE_ID, or the host name), host and pid, and its lease, renewed by its
-- heartbeat. A process is live while expires_at >= now; rows it claimed are taken over once it
-- is not (at once when a process on the same host sees that pid is gone).
CREATE TABLE instances (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  REAL NOT NULL,
    seen_at     REAL NOT NULL,
    expires_at  REAL NOT NULL
);
CREATE INDEX instances_by_expiry ON instances(expires_at);

-- Named leases for work that must run in one process at a time (periodic jobs). Acquired with
-- one INSERT ... ON CONFLICT DO UPDATE ... WHERE (free, expired, or already ours); renewed by
-- the holder's heartbeat.
CREATE TABLE leases (
    name    TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    until   REAL NOT NULL
);

-- Who claimed a reminder or a delivery row (instances.id); NULL for rows claimed before this
-- migration (treated as claimed by a process that is gone).
ALTER TABLE followups ADD COLUMN claimed_by TEXT;
ALTER TABLE alert_deliveries ADD COLUMN claimed_by TEXT;

-- Optimistic versioning of a case row: every write is UPDATE ... WHERE id=? AND version=?.
ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
