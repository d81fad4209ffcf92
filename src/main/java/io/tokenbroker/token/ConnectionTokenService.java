package io.tokenbroker.token;

import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Serves a connection's access token to an allowed caller. The hot path (cached snapshot, allowed
 * caller, token that lives long enough) touches neither the database nor the provider; only a token
 * that would not live {@code min_ttl_seconds} is refreshed ({@link ServableConnections}).
 *
 * <p>{@link #issue} is the one entry point for every door that hands out connection tokens; it may
 * block (database, provider). {@link #issueFromMemory} is its non-blocking prefix for doors served
 * on an event loop: the same checks and the same answer when memory suffices, else nothing, and the
 * door then calls {@link #issue} on a worker thread.
 */
@ApplicationScoped
public class ConnectionTokenService {

  private final TokenCache cache;
  private final ServableConnections connections;
  private final TokenConfig config;
  private final AuditTrail audit;
  private final ProviderCatalog providers;

  ConnectionTokenService(
      TokenCache cache,
      ServableConnections connections,
      TokenConfig config,
      AuditTrail audit,
      ProviderCatalog providers) {
    this.cache = cache;
    this.connections = connections;
    this.config = config;
    this.audit = audit;
    this.providers = providers;
  }

  public IssuedToken issue(Caller caller, UUID id, TokenRequest request) {
    ServableConnections.requireConsumer(caller);
    Duration minTtl = TokenRequests.minTtl(request, config);
    Set<String> wanted = TokenRequests.scopes(request);
    ConnectionSnapshot connection = connections.find(id);
    connections.requireServable(caller, id, connection, wanted, AuditAction.TOKEN_DENIED);
    requireTokensHandedOut(caller, connection);
    Instant now = Instant.now();
    if (connection.accessTokenLives(minTtl, now)
        || ServableConnections.justRefreshed(connection, now)) {
      return serve(caller, connection);
    }
    return serve(
        caller, connections.refreshed(caller, connection, minTtl, AuditAction.TOKEN_DENIED));
  }

  /**
   * What {@link #issue} would answer, when the cache alone can tell: a token that lives long
   * enough, or the refusal. Null when the connection is not cached (or no longer fresh) or its
   * token must be refreshed: the caller then runs {@link #issue} where it may block. Never blocks.
   */
  public IssuedToken issueFromMemory(Caller caller, UUID id, TokenRequest request) {
    ServableConnections.requireConsumer(caller);
    Duration minTtl = TokenRequests.minTtl(request, config);
    Set<String> wanted = TokenRequests.scopes(request);
    ConnectionSnapshot connection = cache.fresh(id);
    if (connection == null) {
      return null;
    }
    connections.requireServable(caller, id, connection, wanted, AuditAction.TOKEN_DENIED);
    requireTokensHandedOut(caller, connection);
    Instant now = Instant.now();
    if (!connection.accessTokenLives(minTtl, now)
        && !ServableConnections.justRefreshed(connection, now)) {
      return null;
    }
    // Opening may need a data key this replica has not unwrapped yet (Vault): left to the worker.
    TokenCache.OpenedToken opened = cache.openedIfHeld(connection);
    return opened == null ? null : serve(caller, connection, opened);
  }

  /**
   * A proxy-only provider's tokens never leave the broker
   * (broker.providers.<id>.issue-access-tokens).
   */
  private void requireTokensHandedOut(Caller caller, ConnectionSnapshot connection) {
    Provider provider = providers.find(connection.provider()).orElse(null);
    if (provider != null && !provider.issueAccessTokens()) {
      audit.recordLater(
          AuditEntry.of(AuditAction.TOKEN_DENIED, caller.name())
              .outcome("proxy_only")
              .provider(connection.provider())
              .connection(connection.id()));
      throw BrokerException.forbidden(
          "This provider's tokens are not handed out; call the API through the broker's proxy,"
              + " /v1/connections/{id}/proxy/{path}.");
    }
  }

  private IssuedToken serve(Caller caller, ConnectionSnapshot connection) {
    return serve(caller, connection, connections.opened(connection));
  }

  private IssuedToken serve(
      Caller caller, ConnectionSnapshot connection, TokenCache.OpenedToken token) {
    Instant expiresAt = connection.accessTokenExpiresAt();
    audit.issued(
        AuditAction.TOKEN_ISSUED, caller.name(), connection.provider(), connection.id(), null);
    return new IssuedToken(
        token.accessToken(),
        "Bearer",
        expiresAt,
        expiresAt == null
            ? null
            : Math.max(0, (expiresAt.toEpochMilli() - System.currentTimeMillis()) / 1000),
        token.scopes());
  }
}
