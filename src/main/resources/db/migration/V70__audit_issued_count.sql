-- Issued tokens may be recorded as counts (broker.audit.issued-tokens=aggregated, the default):
-- one row per caller, connection (or app token) and minute, carrying how many tokens were issued,
-- the first request in occurred_at/request_id and the last one in the columns below. Rows of every
-- other kind, and issued tokens recorded one by one, leave last_* empty; issued_count is 1 for a
-- token recorded on its own and empty for rows that are not about issued tokens.
ALTER TABLE audit_event ADD COLUMN issued_count INTEGER;
ALTER TABLE audit_event ADD COLUMN last_occurred_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE audit_event ADD COLUMN last_request_id VARCHAR(128);
