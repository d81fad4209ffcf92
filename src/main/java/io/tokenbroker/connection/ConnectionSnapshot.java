package io.tokenbroker.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An immutable copy of what the token path needs from a connection row. The access token stays
 * sealed in here; it is opened only when it is handed to a caller.
 */
public record ConnectionSnapshot(
    UUID id,
    String provider,
    ConnectionStatus status,
    Set<String> scopes,
    Set<String> allowedCallers,
    String accessTokenEnc,
    Instant accessTokenExpiresAt,
    String refreshTokenEnc,
    Instant refreshTokenExpiresAt,
    Instant refreshTokenIssuedAt,
    Instant lastRefreshedAt,
    Instant nextRefreshAt,
    String leaseOwner,
    Instant leaseExpiresAt,
    long version) {

  public static ConnectionSnapshot of(Connection c) {
    return new ConnectionSnapshot(
        c.id,
        c.provider,
        c.status,
        io.tokenbroker.provider.Scopes.parse(c.scopes),
        Set.copyOf(c.allowedCallers),
        c.accessTokenEnc,
        c.accessTokenExpiresAt,
        c.refreshTokenEnc,
        c.refreshTokenExpiresAt,
        c.refreshTokenIssuedAt,
        c.lastRefreshedAt,
        c.nextRefreshAt,
        c.leaseOwner,
        c.leaseExpiresAt,
        c.version);
  }

  /** True when an access token is held that lives at least {@code ttl} more. */
  public boolean accessTokenLives(Duration ttl, Instant now) {
    return accessTokenEnc != null
        && (accessTokenExpiresAt == null || !accessTokenExpiresAt.isBefore(now.plus(ttl)));
  }
}
