package io.tokenbroker.token;

import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.connection.ConnectionRows;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.DatabaseOutage;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.provider.Scopes;
import io.tokenbroker.refresh.RefreshCoordinator;
import io.tokenbroker.refresh.RefreshResult;
import io.tokenbroker.refresh.RefreshTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The checks and reads that every door serving a connection's token shares: the caller policy on
 * every request, the connection's state, the row read through the cache (or its last known snapshot
 * while the database is away), and an on-demand refresh of a token that would not live long enough.
 * Every refusal is audited under the door's own denial action.
 */
@ApplicationScoped
class ServableConnections {

  private static final Logger LOG = Logger.getLogger(ServableConnections.class);

  /**
   * Same answer for unknown and not-allowed connections: a caller learns nothing it may not use.
   */
  static final String NOT_FOUND = "No connection with this id is available to this caller.";

  static final Duration RECENT_REFRESH = Duration.ofSeconds(60);

  private final TokenCache cache;
  private final ConnectionRows rows;
  private final ConnectionStore store;
  private final RefreshCoordinator refresher;
  private final CallerPolicy policy;
  private final AuditTrail audit;
  private final DatabaseOutageWindow outage;

  ServableConnections(
      TokenCache cache,
      ConnectionRows rows,
      ConnectionStore store,
      RefreshCoordinator refresher,
      CallerPolicy policy,
      AuditTrail audit,
      DatabaseOutageWindow outage) {
    this.cache = cache;
    this.rows = rows;
    this.store = store;
    this.refresher = refresher;
    this.policy = policy;
    this.audit = audit;
    this.outage = outage;
  }

  /** The connection's access token, opened once and then kept with the cached snapshot. */
  TokenCache.OpenedToken opened(ConnectionSnapshot connection) {
    return cache.opened(
        connection, () -> store.openAccessToken(connection.id(), connection.accessTokenEnc()));
  }

  /** The connection from the cache, else from the database; null when it does not exist. */
  ConnectionSnapshot find(UUID id) {
    return cache.get(id).or(() -> readThrough(id)).orElse(null);
  }

  static void requireConsumer(Caller caller) {
    if (!caller.isTokenConsumer()) {
      throw BrokerException.forbidden("This needs the token-consumer role.");
    }
  }

  /** The caller policy, checked on every request, and what the connection's state allows. */
  void requireServable(
      Caller caller,
      UUID id,
      ConnectionSnapshot connection,
      Set<String> wanted,
      AuditAction denied) {
    if (connection == null
        || connection.status() == ConnectionStatus.REVOKED
        || !policy.mayUseConnection(caller, connection.allowedCallers())) {
      audit.recordLater(AuditEntry.of(denied, caller.name()).outcome("not_found").connection(id));
      throw BrokerException.notFound(NOT_FOUND);
    }
    if (connection.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED) {
      throw reauthorizationRequired(caller, connection, denied);
    }
    if (!connection.scopes().containsAll(wanted)) {
      audit.recordLater(
          AuditEntry.of(denied, caller.name())
              .outcome("insufficient_scope")
              .provider(connection.provider())
              .connection(id));
      throw new BrokerException(
              ProblemCode.INSUFFICIENT_SCOPE,
              "The connection was not granted all of the requested scopes.")
          .with("granted_scopes", List.copyOf(new TreeSet<>(connection.scopes())));
    }
  }

  /**
   * The row from the database, remembered; while the database cannot be read, the last snapshot
   * this replica saw, if it still holds one.
   */
  private Optional<ConnectionSnapshot> readThrough(UUID id) {
    Optional<ConnectionSnapshot> lastKnown = cache.lastKnown(id);
    if (lastKnown.isPresent() && outage.skipDatabase()) {
      return lastKnown;
    }
    try {
      Optional<ConnectionSnapshot> read = rows.read(id).map(this::remember);
      outage.answered();
      return read;
    } catch (RuntimeException e) {
      if (!DatabaseOutage.causedBy(e)) {
        outage.answered();
        throw e;
      }
      outage.failed();
      if (lastKnown.isEmpty()) {
        throw e;
      }
      LOG.debugf("database unavailable; connection %s served from its last known snapshot", id);
      return lastKnown;
    }
  }

  /** The connection with a token that lives, refreshed on demand; else the problem. */
  ConnectionSnapshot refreshed(
      Caller caller, ConnectionSnapshot stale, Duration minTtl, AuditAction denied) {
    boolean held = stale.accessTokenLives(Duration.ofSeconds(1), Instant.now());
    if (held && outage.skipDatabase()) {
      return stale;
    }
    RefreshResult result;
    try {
      result = refresher.ensureFresh(stale.id(), minTtl, RefreshTrigger.ON_DEMAND);
      outage.answered();
    } catch (RuntimeException e) {
      if (DatabaseOutage.causedBy(e)) {
        outage.failed();
      } else {
        outage.answered();
      }
      if (!held) {
        throw e;
      }
      // The refresh could not even be tried or recorded (database down, secret store down): the
      // token held is still valid, and a short-lived token beats a 503.
      LOG.warnf(
          "connection %s: refresh failed (%s); serving the token held, which still lives",
          stale.id(), e.getClass().getSimpleName());
      return stale;
    }
    cache.invalidate(stale.id());
    ConnectionSnapshot now = result.connection().map(this::remember).orElse(stale);
    switch (result.outcome()) {
      case GONE -> throw BrokerException.notFound(NOT_FOUND);
      case REAUTHORIZATION_REQUIRED -> throw reauthorizationRequired(caller, now, denied);
      default -> {}
    }
    if (now.accessTokenLives(Duration.ofSeconds(1), Instant.now())) {
      // Fresh from the provider, or still valid while the provider is down: a token that lives
      // less than asked is better than none, and refusing the one just issued would only make the
      // caller ask again and spend another rotation.
      return now;
    }
    throw upstreamUnavailable(caller, now, result, denied);
  }

  BrokerException upstreamUnavailable(
      Caller caller, ConnectionSnapshot now, RefreshResult result, AuditAction denied) {
    Duration retryAfter =
        result
            .retryAt()
            .map(at -> Duration.between(Instant.now(), at))
            .filter(d -> !d.isNegative())
            .orElse(Duration.ofSeconds(5));
    audit.recordLater(
        AuditEntry.of(denied, caller.name())
            .outcome("upstream_unavailable")
            .provider(now.provider())
            .connection(now.id()));
    return new BrokerException(
            ProblemCode.UPSTREAM_UNAVAILABLE,
            "The provider could not refresh this connection's token and no valid token is held.")
        .retryAfter(retryAfter);
  }

  /**
   * A token refreshed moments ago is served as it is even when it lives less than asked: the
   * provider's lifetime is shorter than the caller's wish, and refreshing on every request would
   * turn that wish into a storm of upstream calls.
   */
  static boolean justRefreshed(ConnectionSnapshot connection, Instant now) {
    return connection.lastRefreshedAt() != null
        && connection.lastRefreshedAt().isAfter(now.minus(RECENT_REFRESH))
        && connection.accessTokenLives(Duration.ofSeconds(1), now);
  }

  BrokerException reauthorizationRequired(
      Caller caller, ConnectionSnapshot connection, AuditAction denied) {
    audit.recordLater(
        AuditEntry.of(denied, caller.name())
            .outcome("reauthorization_required")
            .provider(connection.provider())
            .connection(connection.id()));
    return new BrokerException(
            ProblemCode.REAUTHORIZATION_REQUIRED,
            "The account's grant is no longer valid; a person must link it again.")
        .with(
            "reauthorize",
            Map.of(
                "href", "/v1/authorizations",
                "method", "POST",
                "body",
                    Map.of(
                        "provider",
                        connection.provider(),
                        "scopes",
                        Scopes.of(connection.scopes()))));
  }

  ConnectionSnapshot remember(ConnectionSnapshot snapshot) {
    cache.put(snapshot);
    return snapshot;
  }
}
