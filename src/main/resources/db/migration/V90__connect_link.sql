-- Connect links (io.tokenbroker.connect). Portable SQL: runs on PostgreSQL and H2.
-- Only the SHA-256 of a link's token is stored: a database reader cannot open someone's link.
CREATE TABLE connect_link (
    id                UUID          NOT NULL PRIMARY KEY,
    token_hash        VARCHAR(64)   NOT NULL,
    provider          VARCHAR(64)   NOT NULL,
    scopes            VARCHAR(4000) NOT NULL,
    allowed_callers   VARCHAR(4000),
    label             VARCHAR(255),
    note              VARCHAR(1000),
    created_by        VARCHAR(255)  NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at        TIMESTAMP WITH TIME ZONE,
    revoked_by        VARCHAR(255),
    used_at           TIMESTAMP WITH TIME ZONE,
    connection_id     UUID,
    account_name      VARCHAR(255),
    CONSTRAINT uq_connect_link_token UNIQUE (token_hash)
);

CREATE INDEX ix_connect_link_created ON connect_link (created_at);

-- Which feature started an authorization for someone else ("connect-link:<id>"), if any: the
-- callback lets that feature refuse, record and show the result.
ALTER TABLE authorization_request ADD COLUMN source VARCHAR(128);
