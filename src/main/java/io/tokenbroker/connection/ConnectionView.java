package io.tokenbroker.connection;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** What the API shows of a connection: metadata only, never a token. */
public record ConnectionView(
    UUID id,
    String provider,
    Account account,
    String label,
    List<String> scopes,
    ConnectionStatus status,
    @JsonProperty("access_token_expires_at") Instant accessTokenExpiresAt,
    @JsonProperty("refresh_token_expires_at") Instant refreshTokenExpiresAt,
    @JsonProperty("last_refreshed_at") Instant lastRefreshedAt,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("allowed_callers") List<String> allowedCallers) {

  public record Account(String id, String username) {}

  public static ConnectionView of(Connection c) {
    return new ConnectionView(
        c.id,
        c.provider,
        new Account(c.accountId, c.accountUsername),
        c.label,
        c.scopes.isBlank() ? List.of() : Arrays.asList(c.scopes.split(" ")),
        c.status,
        c.accessTokenExpiresAt,
        c.refreshTokenExpiresAt,
        c.lastRefreshedAt,
        c.createdAt,
        c.allowedCallers.stream().sorted().toList());
  }
}
