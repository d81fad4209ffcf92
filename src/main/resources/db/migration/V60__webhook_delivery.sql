-- The webhook outbox: one row per event, written in the transaction of the status change it
-- reports, delivered at least once. Portable SQL (PostgreSQL and H2). The payload is the exact
-- body that is signed and sent on every attempt; it holds metadata only, never a token.
CREATE TABLE webhook_delivery (
    id               VARCHAR(64)  NOT NULL PRIMARY KEY,
    event_type       VARCHAR(64)  NOT NULL,
    connection_id    UUID,
    payload          VARCHAR(8192) NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    give_up_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_attempt_at  TIMESTAMP WITH TIME ZONE,
    last_status      INTEGER,
    last_error       VARCHAR(512),
    delivered_at     TIMESTAMP WITH TIME ZONE
);

-- Deliverers claim due rows of state 'pending' soonest first; the backlog gauge and the admin
-- listing read by state and age.
CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (state, next_attempt_at);
CREATE INDEX ix_webhook_delivery_created ON webhook_delivery (state, created_at);
