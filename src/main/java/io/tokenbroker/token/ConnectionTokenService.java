package io.tokenbroker.token;

import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.DatabaseOutage;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.provider.Scopes;
import io.tokenbroker.refresh.LeaseStore;
import io.tokenbroker.refresh.RefreshCoordinator;
import io.tokenbroker.refresh.RefreshResult;
import io.tokenbroker.refresh.RefreshTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Serves a connection's access token to an allowed caller. The hot path (cached snapshot, allowed
 * caller, token that lives long enough) touches neither the database nor the provider; only a token
 * that would not live {@code min_ttl_seconds} goes through the {@link RefreshCoordinator}.
 *
 * <p>{@link #issue} is the one entry point for every door that hands out connection tokens; it may
 * block (database, provider). {@link #issueFromMemory} is its non-blocking prefix for doors served
 * on an event loop: the same checks and the same answer when memory suffices, else nothing, and the
 * door then calls {@link #issue} on a worker thread.
 */
@ApplicationScoped
public class ConnectionTokenService {

  private static final Logger LOG = Logger.getLogger(ConnectionTokenService.class);

  /**
   * Same answer for unknown and not-allowed connections: a caller learns nothing it may not use.
   */
  private static final String NOT_FOUND = "No connection with this id is available to this caller.";

  private static final Duration RECENT_REFRESH = Duration.ofSeconds(60);

  private final TokenCache cache;
  private final LeaseStore rows;
  private final RefreshCoordinator refresher;
  private final ConnectionStore store;
  private final CallerPolicy policy;
  private final TokenConfig config;
  private final AuditTrail audit;
  private final DatabaseOutageWindow outage;
  private final ProviderCatalog providers;

  ConnectionTokenService(
      TokenCache cache,
      LeaseStore rows,
      RefreshCoordinator refresher,
      ConnectionStore store,
      CallerPolicy policy,
      TokenConfig config,
      AuditTrail audit,
      DatabaseOutageWindow outage,
      ProviderCatalog providers) {
    this.cache = cache;
    this.rows = rows;
    this.refresher = refresher;
    this.store = store;
    this.policy = policy;
    this.config = config;
    this.audit = audit;
    this.outage = outage;
    this.providers = providers;
  }

  public IssuedToken issue(Caller caller, UUID id, TokenRequest request) {
    requireConsumer(caller);
    Duration minTtl = TokenRequests.minTtl(request, config);
    Set<String> wanted = TokenRequests.scopes(request);
    ConnectionSnapshot connection = cache.get(id).or(() -> readThrough(id)).orElse(null);
    requireServable(caller, id, connection, wanted, AuditAction.TOKEN_DENIED);
    requireTokensHandedOut(caller, connection);
    Instant now = Instant.now();
    if (connection.accessTokenLives(minTtl, now) || justRefreshed(connection, now)) {
      return serve(caller, connection);
    }
    return serve(caller, refreshed(caller, connection, minTtl, AuditAction.TOKEN_DENIED));
  }

  /**
   * What {@link #issue} would answer, when the cache alone can tell: a token that lives long
   * enough, or the refusal. Null when the connection is not cached (or no longer fresh) or its
   * token must be refreshed: the caller then runs {@link #issue} where it may block. Never blocks.
   */
  public IssuedToken issueFromMemory(Caller caller, UUID id, TokenRequest request) {
    requireConsumer(caller);
    Duration minTtl = TokenRequests.minTtl(request, config);
    Set<String> wanted = TokenRequests.scopes(request);
    ConnectionSnapshot connection = cache.fresh(id);
    if (connection == null) {
      return null;
    }
    requireServable(caller, id, connection, wanted, AuditAction.TOKEN_DENIED);
    requireTokensHandedOut(caller, connection);
    Instant now = Instant.now();
    if (!connection.accessTokenLives(minTtl, now) && !justRefreshed(connection, now)) {
      return null;
    }
    // Opening may need a data key this replica has not unwrapped yet (Vault): left to the worker.
    TokenCache.OpenedToken opened = cache.openedIfHeld(connection);
    return opened == null ? null : serve(caller, connection, opened);
  }

  /**
   * The proxy's bearer token when memory alone can serve it: a cached, fresh snapshot whose token
   * lives and is already opened. Empty when the database, Vault or the provider must be asked
   * ({@link #bearer}). Denials are thrown as {@link #issue} throws them. Never blocks.
   */
  public Optional<UpstreamBearer> cachedBearer(Caller caller, UUID id) {
    requireConsumer(caller);
    ConnectionSnapshot connection = cache.fresh(id);
    if (connection == null) {
      return Optional.empty();
    }
    requireServable(caller, id, connection, Set.of(), AuditAction.PROXY_DENIED);
    if (!connection.accessTokenLives(config.defaultMinTtl(), Instant.now())) {
      return Optional.empty();
    }
    TokenCache.OpenedToken opened = cache.openedIfHeld(connection);
    return opened == null
        ? Optional.empty()
        : Optional.of(new UpstreamBearer(connection, opened.accessToken()));
  }

  /** The proxy's bearer token, read through and refreshed as {@link #issue} would. Blocking. */
  public UpstreamBearer bearer(Caller caller, UUID id) {
    requireConsumer(caller);
    TokenRequest request = TokenRequest.EMPTY;
    Duration minTtl = TokenRequests.minTtl(request, config);
    ConnectionSnapshot connection = cache.get(id).or(() -> readThrough(id)).orElse(null);
    requireServable(caller, id, connection, Set.of(), AuditAction.PROXY_DENIED);
    Instant now = Instant.now();
    if (connection.accessTokenLives(minTtl, now) || justRefreshed(connection, now)) {
      return open(connection);
    }
    return open(refreshed(caller, connection, minTtl, AuditAction.PROXY_DENIED));
  }

  /**
   * Whether a 401 from the provider is worth a refresh: not when the token was obtained moments
   * ago. Then the provider refuses something a new token will not fix (Pinterest answers a missing
   * scope with 401 too), and refreshing on every such call would spend a rotation per request.
   */
  public boolean worthRefreshing(UpstreamBearer rejected) {
    Instant last = rejected.connection().lastRefreshedAt();
    return last == null || last.isBefore(Instant.now().minus(RECENT_REFRESH));
  }

  /**
   * After the provider refused {@code rejected} (401): refreshes once, through the single flight,
   * unless another request already replaced that token, and returns the new one. Blocking.
   */
  public UpstreamBearer bearerAfterRejection(Caller caller, UpstreamBearer rejected) {
    ConnectionSnapshot before = rejected.connection();
    RefreshResult result = refresher.replaceRejected(before.id(), before.accessTokenEnc());
    cache.invalidate(before.id());
    ConnectionSnapshot now = result.connection().map(this::remember).orElse(before);
    switch (result.outcome()) {
      case GONE -> throw BrokerException.notFound(NOT_FOUND);
      case REAUTHORIZATION_REQUIRED ->
          throw reauthorizationRequired(caller, now, AuditAction.PROXY_DENIED);
      default -> {}
    }
    if (Objects.equals(now.accessTokenEnc(), before.accessTokenEnc())
        || !now.accessTokenLives(Duration.ofSeconds(1), Instant.now())) {
      throw upstreamUnavailable(caller, now, result, AuditAction.PROXY_DENIED);
    }
    return open(now);
  }

  /**
   * A proxy-only provider's tokens never leave the broker
   * (broker.providers.<id>.issue-access-tokens).
   */
  private void requireTokensHandedOut(Caller caller, ConnectionSnapshot connection) {
    Provider provider = providers.find(connection.provider()).orElse(null);
    if (provider != null && !provider.issueAccessTokens()) {
      audit.recordLater(
          caller.name(),
          AuditAction.TOKEN_DENIED,
          "proxy_only",
          connection.provider(),
          connection.id(),
          null);
      throw BrokerException.forbidden(
          "This provider's tokens are not handed out; call the API through the broker's proxy,"
              + " /v1/connections/{id}/proxy/{path}.");
    }
  }

  private static void requireConsumer(Caller caller) {
    if (!caller.isTokenConsumer()) {
      throw BrokerException.forbidden("This needs the token-consumer role.");
    }
  }

  /** The caller policy, checked on every request, and what the connection's state allows. */
  private void requireServable(
      Caller caller,
      UUID id,
      ConnectionSnapshot connection,
      Set<String> wanted,
      AuditAction denied) {
    if (connection == null
        || connection.status() == ConnectionStatus.REVOKED
        || !policy.mayUseConnection(caller, connection.allowedCallers())) {
      audit.recordLater(caller.name(), denied, "not_found", null, id, null);
      throw BrokerException.notFound(NOT_FOUND);
    }
    if (connection.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED) {
      throw reauthorizationRequired(caller, connection, denied);
    }
    if (!connection.scopes().containsAll(wanted)) {
      audit.recordLater(
          caller.name(), denied, "insufficient_scope", connection.provider(), id, null);
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
  private ConnectionSnapshot refreshed(
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

  private BrokerException upstreamUnavailable(
      Caller caller, ConnectionSnapshot now, RefreshResult result, AuditAction denied) {
    Duration retryAfter =
        result
            .retryAt()
            .map(at -> Duration.between(Instant.now(), at))
            .filter(d -> !d.isNegative())
            .orElse(Duration.ofSeconds(5));
    audit.recordLater(
        caller.name(), denied, "upstream_unavailable", now.provider(), now.id(), null);
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
  private static boolean justRefreshed(ConnectionSnapshot connection, Instant now) {
    return connection.lastRefreshedAt() != null
        && connection.lastRefreshedAt().isAfter(now.minus(RECENT_REFRESH))
        && connection.accessTokenLives(Duration.ofSeconds(1), now);
  }

  private UpstreamBearer open(ConnectionSnapshot connection) {
    return new UpstreamBearer(
        connection,
        cache
            .opened(
                connection,
                () -> store.openAccessToken(connection.id(), connection.accessTokenEnc()))
            .accessToken());
  }

  private IssuedToken serve(Caller caller, ConnectionSnapshot connection) {
    return serve(
        caller,
        connection,
        cache.opened(
            connection, () -> store.openAccessToken(connection.id(), connection.accessTokenEnc())));
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

  private BrokerException reauthorizationRequired(
      Caller caller, ConnectionSnapshot connection, AuditAction denied) {
    audit.recordLater(
        caller.name(),
        denied,
        "reauthorization_required",
        connection.provider(),
        connection.id(),
        null);
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

  private ConnectionSnapshot remember(ConnectionSnapshot snapshot) {
    cache.put(snapshot);
    return snapshot;
  }
}
