-- Replicas announce their lease owner id here, so that a second live replica with the same id
-- (a copied setting, two pods given one name) is refused at start instead of taking the first
-- one's leases as its own. heartbeat_at is written in the database's time (now()), like leases.
CREATE TABLE broker_instance (
    owner_id     VARCHAR(128) PRIMARY KEY,
    instance_id  UUID                     NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Without Vault, each replica's data keys live in its own key file. The ids and SHA-256
-- fingerprints (never the key material) of the keys replicas seal with are recorded here, and a
-- replica that cannot open every recorded key refuses to start: replicas with different key
-- files on one database would otherwise each write values the others cannot read.
CREATE TABLE local_data_key (
    id          VARCHAR(64) PRIMARY KEY,
    fingerprint VARCHAR(64)              NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
