package io.tokenbroker.connect;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * Answer of {@code POST /v1/connect-links}. The {@code url} carries the link's token: it is shown
 * this once and cannot be read back.
 */
public record ConnectLinkCreated(
    UUID id, String url, @JsonProperty("expires_at") Instant expiresAt) {}
