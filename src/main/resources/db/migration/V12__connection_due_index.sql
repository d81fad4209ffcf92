-- The scheduled refresher claims due connections of one provider soonest-expiring first; without
-- this index every claim would scan all of the provider's rows.
CREATE INDEX ix_connection_provider_access_expiry ON connection (provider, access_token_expires_at);
