package io.tokenbroker.token;

import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.refresh.RefreshCoordinator;
import io.tokenbroker.refresh.RefreshResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The proxy's upstream bearer token for a caller's request: the same checks as a token fetch
 * ({@link ServableConnections}), but the token is attached by the broker and never handed out, so a
 * proxy-only provider is served too. {@link #cachedBearer} never blocks; the rest may.
 */
@ApplicationScoped
public class UpstreamBearers {

  private final TokenCache cache;
  private final ServableConnections connections;
  private final RefreshCoordinator refresher;
  private final TokenConfig config;

  UpstreamBearers(
      TokenCache cache,
      ServableConnections connections,
      RefreshCoordinator refresher,
      TokenConfig config) {
    this.cache = cache;
    this.connections = connections;
    this.refresher = refresher;
    this.config = config;
  }

  /**
   * The proxy's bearer token when memory alone can serve it: a cached, fresh snapshot whose token
   * lives and is already opened. Empty when the database, Vault or the provider must be asked
   * ({@link #bearer}). Denials are thrown as a token fetch throws them. Never blocks.
   */
  public Optional<UpstreamBearer> cachedBearer(Caller caller, UUID id) {
    ServableConnections.requireConsumer(caller);
    ConnectionSnapshot connection = cache.fresh(id);
    if (connection == null) {
      return Optional.empty();
    }
    connections.requireServable(caller, id, connection, Set.of(), AuditAction.PROXY_DENIED);
    if (!connection.accessTokenLives(config.defaultMinTtl(), Instant.now())) {
      return Optional.empty();
    }
    TokenCache.OpenedToken opened = cache.openedIfHeld(connection);
    return opened == null
        ? Optional.empty()
        : Optional.of(new UpstreamBearer(connection, opened.accessToken()));
  }

  /** The proxy's bearer token, read through and refreshed as a token fetch would. Blocking. */
  public UpstreamBearer bearer(Caller caller, UUID id) {
    ServableConnections.requireConsumer(caller);
    TokenRequest request = TokenRequest.EMPTY;
    Duration minTtl = TokenRequests.minTtl(request, config);
    ConnectionSnapshot connection = connections.find(id);
    connections.requireServable(caller, id, connection, Set.of(), AuditAction.PROXY_DENIED);
    Instant now = Instant.now();
    if (connection.accessTokenLives(minTtl, now)
        || ServableConnections.justRefreshed(connection, now)) {
      return open(connection);
    }
    return open(connections.refreshed(caller, connection, minTtl, AuditAction.PROXY_DENIED));
  }

  /**
   * Whether a 401 from the provider is worth a refresh: not when the token was obtained moments
   * ago. Then the provider refuses something a new token will not fix (Pinterest answers a missing
   * scope with 401 too), and refreshing on every such call would spend a rotation per request.
   */
  public boolean worthRefreshing(UpstreamBearer rejected) {
    Instant last = rejected.connection().lastRefreshedAt();
    return last == null || last.isBefore(Instant.now().minus(ServableConnections.RECENT_REFRESH));
  }

  /**
   * After the provider refused {@code rejected} (401): refreshes once, through the single flight,
   * unless another request already replaced that token, and returns the new one. Blocking.
   */
  public UpstreamBearer bearerAfterRejection(Caller caller, UpstreamBearer rejected) {
    ConnectionSnapshot before = rejected.connection();
    RefreshResult result = refresher.replaceRejected(before.id(), before.accessTokenEnc());
    cache.invalidate(before.id());
    ConnectionSnapshot now = result.connection().map(connections::remember).orElse(before);
    switch (result.outcome()) {
      case GONE -> throw BrokerException.notFound(ServableConnections.NOT_FOUND);
      case REAUTHORIZATION_REQUIRED ->
          throw connections.reauthorizationRequired(caller, now, AuditAction.PROXY_DENIED);
      default -> {}
    }
    if (Objects.equals(now.accessTokenEnc(), before.accessTokenEnc())
        || !now.accessTokenLives(Duration.ofSeconds(1), Instant.now())) {
      throw connections.upstreamUnavailable(caller, now, result, AuditAction.PROXY_DENIED);
    }
    return open(now);
  }

  private UpstreamBearer open(ConnectionSnapshot connection) {
    return new UpstreamBearer(connection, connections.opened(connection).accessToken());
  }
}
