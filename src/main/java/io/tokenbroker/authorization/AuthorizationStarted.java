package io.tokenbroker.authorization;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** Answer of {@code POST /v1/authorizations}: where to send the person, and until when. */
public record AuthorizationStarted(
    @JsonProperty("authorization_url") String authorizationUrl,
    String state,
    @JsonProperty("expires_at") Instant expiresAt) {}
