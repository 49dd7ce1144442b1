-- Privacy and background work: retention finds idle users by an index (no full scan), and a
-- finished broadcast keeps its delivery figures in one JSON column once its per-recipient rows
-- (which name every recipient) are compacted away.
CREATE INDEX users_by_updated ON users(updated_at);
ALTER TABLE alert_broadcasts ADD COLUMN summary TEXT;
CREATE INDEX alert_broadcasts_by_created ON alert_broadcasts(created_at);
