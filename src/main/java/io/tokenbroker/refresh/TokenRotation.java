package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.grant.GrantException;
import io.tokenbroker.grant.GrantFailure;
import io.tokenbroker.grant.RefreshTokenGrant;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Refreshes one connection under its lease — the one place where a rotating refresh token is spent.
 * The order of steps is what keeps a rotation from being lost or done twice:
 *
 * <ol>
 *   <li>take the lease (conditional UPDATE), then re-read the row: another replica may have just
 *       refreshed it;
 *   <li>call the token endpoint with no transaction open;
 *   <li>write both new tokens in one transaction, only while this owner still holds the lease or
 *       the row still holds the refresh token that was spent; retry that write while the lease
 *       lives, and log loudly if it cannot be done;
 *   <li>on {@code invalid_grant}, re-read the row first: if the refresh token changed meanwhile,
 *       someone else rotated it and the grant is fine.
 * </ol>
 */
@ApplicationScoped
public class TokenRotation {

  private static final Logger LOG = Logger.getLogger(TokenRotation.class);
  private static final int WRITE_ATTEMPTS = 5;

  private final LeaseStore leases;
  private final ProviderCatalog providers;
  private final RefreshTokenGrant grant;
  private final ConnectionStore store;
  private final RefreshConfig config;
  private final AuditTrail audit;
  private final EntityManager em;

  TokenRotation(
      LeaseStore leases,
      ProviderCatalog providers,
      RefreshTokenGrant grant,
      ConnectionStore store,
      RefreshConfig config,
      AuditTrail audit,
      EntityManager em) {
    this.leases = leases;
    this.providers = providers;
    this.grant = grant;
    this.store = store;
    this.config = config;
    this.audit = audit;
    this.em = em;
  }

  /**
   * @param stillNeeded asked of the row before and again after taking the lease: false means the
   *     work is done already (maybe by another replica), so nothing is spent
   */
  public RefreshResult refresh(
      UUID id,
      RefreshTrigger trigger,
      Predicate<ConnectionSnapshot> stillNeeded,
      LeaseOwner owner) {
    boolean force = trigger == RefreshTrigger.FORCED;
    Instant now = Instant.now();
    Optional<ConnectionSnapshot> before = leases.read(id);
    if (before.isEmpty() || before.get().status() == ConnectionStatus.REVOKED) {
      return RefreshResult.of(RefreshResult.Outcome.GONE, null);
    }
    ConnectionSnapshot row = before.get();
    if (row.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED) {
      return RefreshResult.of(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED, row);
    }
    if (!stillNeeded.test(row)) {
      return RefreshResult.of(RefreshResult.Outcome.ALREADY_FRESH, row);
    }
    if (!force
        && row.nextRefreshAt() != null
        && now.isBefore(row.nextRefreshAt())
        && row.status() == ConnectionStatus.DEGRADED) {
      return new RefreshResult(
          RefreshResult.Outcome.RETRY_LATER,
          Optional.of(row),
          Optional.empty(),
          Optional.of(row.nextRefreshAt()));
    }
    if (!leases.tryAcquire(id, owner, config.leaseTtl())) {
      return RefreshResult.of(RefreshResult.Outcome.BUSY, row);
    }
    try {
      return refreshHoldingLease(id, trigger, stillNeeded, owner);
    } finally {
      // A no-op when the write already cleared it; frees it on every early exit and failure.
      leases.release(id, owner);
    }
  }

  private RefreshResult refreshHoldingLease(
      UUID id,
      RefreshTrigger trigger,
      Predicate<ConnectionSnapshot> stillNeeded,
      LeaseOwner owner) {
    Instant now = Instant.now();
    ConnectionSnapshot row = leases.read(id).orElse(null);
    if (row == null || row.status() == ConnectionStatus.REVOKED) {
      return RefreshResult.of(RefreshResult.Outcome.GONE, null);
    }
    if (!stillNeeded.test(row)) {
      return RefreshResult.of(RefreshResult.Outcome.ALREADY_FRESH, row);
    }
    Provider provider = providers.require(row.provider());
    if (row.refreshTokenEnc() == null
        || (row.refreshTokenExpiresAt() != null && row.refreshTokenExpiresAt().isBefore(now))) {
      return markReauthorizationRequired(row, trigger, "refresh token missing or expired");
    }
    String spent = row.refreshTokenEnc();
    TokenResponse tokens;
    try {
      tokens = grant.refresh(provider, store.openRefreshToken(row.id(), row.refreshTokenEnc()));
    } catch (GrantException e) {
      return onGrantFailure(row, trigger, e.failure(), owner);
    } catch (BrokerException e) {
      // e.g. the secret store is unavailable: nothing was spent upstream, retry later.
      return onGrantFailure(
          row, trigger, GrantFailure.transientFailure("broker_unavailable", e.detail(), 0), owner);
    }
    ConnectionSnapshot after = writeRotation(row, spent, tokens, owner, trigger);
    return RefreshResult.of(RefreshResult.Outcome.REFRESHED, after);
  }

  private RefreshResult onGrantFailure(
      ConnectionSnapshot row, RefreshTrigger trigger, GrantFailure failure, LeaseOwner owner) {
    if (failure.kind() == GrantFailure.Kind.INVALID_GRANT) {
      ConnectionSnapshot now = leases.read(row.id()).orElse(null);
      if (now != null && !Objects.equals(now.refreshTokenEnc(), row.refreshTokenEnc())) {
        LOG.infof(
            "connection %s was rotated by another replica meanwhile; keeping its tokens", row.id());
        return RefreshResult.of(RefreshResult.Outcome.ALREADY_FRESH, now);
      }
      return markReauthorizationRequired(row, trigger, "upstream answered " + failure);
    }
    return markDegraded(row, trigger, failure);
  }

  private ConnectionSnapshot writeRotation(
      ConnectionSnapshot row,
      String spent,
      TokenResponse tokens,
      LeaseOwner owner,
      RefreshTrigger trigger) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      try {
        ConnectionSnapshot written =
            QuarkusTransaction.requiringNew()
                .call(
                    () -> {
                      Connection c =
                          em.find(Connection.class, row.id(), LockModeType.PESSIMISTIC_WRITE);
                      if (c == null) {
                        return null;
                      }
                      boolean ours =
                          owner.id().equals(c.leaseOwner)
                              || Objects.equals(c.refreshTokenEnc, spent);
                      if (!ours) {
                        LOG.errorf(
                            "CRITICAL: connection %s was rotated elsewhere while this replica refreshed it;"
                                + " the tokens just obtained are discarded",
                            row.id());
                        return ConnectionSnapshot.of(c);
                      }
                      Instant now = Instant.now();
                      ConnectionStatus previous = c.status;
                      store.writeTokens(c, tokens, now);
                      if (!tokens.scopes().isEmpty()) {
                        c.scopes = io.tokenbroker.provider.Scopes.format(tokens.scopes());
                      }
                      c.status = ConnectionStatus.ACTIVE;
                      c.failureCount = 0;
                      c.lastError = null;
                      c.nextRefreshAt = null;
                      c.leaseOwner = null;
                      c.leaseExpiresAt = null;
                      c.updatedAt = now;
                      em.flush();
                      if (previous != ConnectionStatus.ACTIVE) {
                        LOG.infof("connection %s recovered: %s -> active", c.id, previous.wire());
                      }
                      return ConnectionSnapshot.of(c);
                    });
        if (attempt > 1) {
          LOG.warnf("connection %s: rotated tokens stored on write attempt %d", row.id(), attempt);
        }
        audit.record(
            "refresher",
            AuditAction.CONNECTION_REFRESHED,
            "ok",
            row.provider(),
            row.id(),
            trigger.wire());
        return written;
      } catch (RuntimeException e) {
        last = e;
        LOG.errorf(
            "CRITICAL: connection %s: the provider rotated its tokens but storing them failed"
                + " (attempt %d of %d): %s",
            row.id(), attempt, WRITE_ATTEMPTS, e.getClass().getSimpleName());
        pause(attempt);
      }
    }
    throw new BrokerException(
        io.tokenbroker.problem.ProblemCode.SERVICE_UNAVAILABLE,
        "New tokens could not be stored; the connection may need to be linked again.",
        last);
  }

  private RefreshResult markReauthorizationRequired(
      ConnectionSnapshot row, RefreshTrigger trigger, String why) {
    ConnectionSnapshot after =
        transition(
            row.id(),
            c -> {
              c.status = ConnectionStatus.REAUTHORIZATION_REQUIRED;
              c.lastError = truncate(why);
              c.nextRefreshAt = null;
            });
    LOG.warnf("connection %s needs reauthorization: %s", row.id(), why);
    audit.record(
        "refresher",
        AuditAction.CONNECTION_STATUS_CHANGED,
        "reauthorization_required",
        row.provider(),
        row.id(),
        trigger.wire() + ": " + why);
    return RefreshResult.of(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED, after);
  }

  private RefreshResult markDegraded(
      ConnectionSnapshot row, RefreshTrigger trigger, GrantFailure failure) {
    Instant[] retryAt = new Instant[1];
    ConnectionSnapshot after =
        transition(
            row.id(),
            c -> {
              c.failureCount = c.failureCount + 1;
              Duration delay =
                  Backoff.after(
                      c.failureCount,
                      config.backoffBase(),
                      config.backoffMax(),
                      config.maxAttemptsPerHour(),
                      failure.retryAfter());
              retryAt[0] = Instant.now().plus(delay);
              c.nextRefreshAt = retryAt[0];
              c.lastError = truncate(failure.toString());
              c.status = ConnectionStatus.DEGRADED;
            });
    LOG.warnf("connection %s refresh failed (%s); retry at %s", row.id(), failure, retryAt[0]);
    if (row.status() != ConnectionStatus.DEGRADED) {
      audit.record(
          "refresher",
          AuditAction.CONNECTION_STATUS_CHANGED,
          "degraded",
          row.provider(),
          row.id(),
          trigger.wire() + ": " + failure);
    } else {
      audit.record(
          "refresher",
          AuditAction.CONNECTION_REFRESH_FAILED,
          "retry_later",
          row.provider(),
          row.id(),
          trigger.wire() + ": " + failure);
    }
    return RefreshResult.retryLater(after, failure, retryAt[0]);
  }

  private ConnectionSnapshot transition(UUID id, java.util.function.Consumer<Connection> change) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Connection c = em.find(Connection.class, id, LockModeType.PESSIMISTIC_WRITE);
              if (c == null) {
                return null;
              }
              change.accept(c);
              c.updatedAt = Instant.now();
              em.flush();
              return ConnectionSnapshot.of(c);
            });
  }

  private static String truncate(String text) {
    return text.length() > 500 ? text.substring(0, 500) : text;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(200L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
