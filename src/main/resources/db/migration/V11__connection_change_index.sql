-- The token cache's change feed asks every second which connections changed since its last poll.
CREATE INDEX ix_connection_updated_at ON connection (updated_at);
