package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
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
import io.tokenbroker.grant.TokenRevocation;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.DatabaseOutage;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 *   <li>write both new tokens in one transaction, only while the row still holds the refresh token
 *       that was spent; retry that write, and when the database stays down keep the tokens in
 *       {@link UnsavedRotations} until it answers: the next refresh of the connection stores them
 *       instead of presenting the spent token, and a periodic retry stores them too;
 *   <li>on {@code invalid_grant}, look at the row again (under its lock) before marking it: if the
 *       refresh token changed meanwhile, someone else rotated it and the grant is fine.
 * </ol>
 *
 * <p>Every write — new tokens or a failure state — is made under the row lock and only to the row
 * this attempt started from: an owner that outlived its lease must not mark degraded or dead a
 * connection that another owner has rotated since, and nothing may bring a deleted connection back.
 */
@ApplicationScoped
public class TokenRotation {

  private static final Logger LOG = Logger.getLogger(TokenRotation.class);

  /**
   * Enough to ride out a blip (a few seconds); a longer outage leaves the tokens in {@link
   * UnsavedRotations} rather than keep the caller waiting.
   */
  private static final int WRITE_ATTEMPTS = 3;

  private final LeaseStore leases;
  private final ProviderCatalog providers;
  private final RefreshTokenGrant grant;
  private final ConnectionStore store;
  private final RefreshConfig config;
  private final AuditTrail audit;
  private final TokenRevocation revocation;
  private final UnsavedRotations unsaved;
  private final EntityManager em;

  TokenRotation(
      LeaseStore leases,
      ProviderCatalog providers,
      RefreshTokenGrant grant,
      ConnectionStore store,
      RefreshConfig config,
      AuditTrail audit,
      TokenRevocation revocation,
      UnsavedRotations unsaved,
      EntityManager em) {
    this.leases = leases;
    this.providers = providers;
    this.grant = grant;
    this.store = store;
    this.config = config;
    this.audit = audit;
    this.revocation = revocation;
    this.unsaved = unsaved;
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
      return refreshHoldingLease(id, trigger, stillNeeded);
    } finally {
      // A no-op when the write already cleared it; frees it on every early exit and failure.
      release(id, owner);
    }
  }

  /**
   * Gives the lease back; when the database cannot take even that, the lease runs out by itself,
   * and the failure that matters (the one that brought us here, if any) is the one to report.
   */
  private void release(UUID id, LeaseOwner owner) {
    try {
      leases.release(id, owner);
    } catch (RuntimeException e) {
      LOG.warnf(
          "connection %s: lease not released (%s); it expires by itself",
          id, e.getClass().getSimpleName());
    }
  }

  private RefreshResult refreshHoldingLease(
      UUID id, RefreshTrigger trigger, Predicate<ConnectionSnapshot> stillNeeded) {
    Instant now = Instant.now();
    ConnectionSnapshot row = leases.read(id).orElse(null);
    if (row == null || row.status() == ConnectionStatus.REVOKED) {
      return RefreshResult.of(RefreshResult.Outcome.GONE, null);
    }
    if (!stillNeeded.test(row)) {
      return RefreshResult.of(RefreshResult.Outcome.ALREADY_FRESH, row);
    }
    Provider provider = providers.require(row.provider());
    Optional<UnsavedRotations.Unsaved> held = unsaved.find(id);
    if (held.isPresent()) {
      if (Objects.equals(held.get().spent(), row.refreshTokenEnc())) {
        // The provider already rotated this grant: presenting the stored token again would be
        // refused as spent. Store what it answered then.
        LOG.infof(
            "connection %s: storing the tokens obtained at %s, which the database did not take then",
            id, held.get().obtainedAt());
        return writeRotation(row, held.get().spent(), held.get().tokens(), trigger, provider);
      }
      // Linked again meanwhile: the row holds a newer grant than the unsaved tokens.
      unsaved.forget(id, held.get().spent());
      LOG.warnf(
          "connection %s changed since its unsaved tokens were obtained; discarding them", id);
    }
    if (row.refreshTokenEnc() == null
        || (row.refreshTokenExpiresAt() != null && row.refreshTokenExpiresAt().isBefore(now))) {
      return markReauthorizationRequired(row, trigger, "refresh token missing or expired");
    }
    String spent = row.refreshTokenEnc();
    TokenResponse tokens;
    try {
      tokens = grant.refresh(provider, store.openRefreshToken(row.id(), row.refreshTokenEnc()));
    } catch (GrantException e) {
      return onGrantFailure(row, trigger, e.failure());
    } catch (BrokerException e) {
      // e.g. the secret store is unavailable: nothing was spent upstream, retry later.
      return onGrantFailure(
          row, trigger, GrantFailure.transientFailure("broker_unavailable", e.detail(), 0));
    }
    return writeRotation(row, spent, tokens, trigger, provider);
  }

  private RefreshResult onGrantFailure(
      ConnectionSnapshot row, RefreshTrigger trigger, GrantFailure failure) {
    if (failure.kind() == GrantFailure.Kind.INVALID_GRANT) {
      // Only the row as this attempt found it is marked (see changeUnlessMoved): when another
      // replica rotated the refresh token meanwhile, the grant is alive and keeps its tokens.
      return markReauthorizationRequired(row, trigger, "upstream answered " + failure);
    }
    return markDegraded(row, trigger, failure);
  }

  /** What the rotation write found under the row lock, and did. */
  private record Written(
      RefreshResult.Outcome outcome, ConnectionSnapshot row, ConnectionStatus previous) {}

  private RefreshResult writeRotation(
      ConnectionSnapshot row,
      String spent,
      TokenResponse tokens,
      RefreshTrigger trigger,
      Provider provider) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      Written written;
      try {
        written = writeOnce(row, spent, tokens);
      } catch (RuntimeException e) {
        last = e;
        LOG.errorf(
            "CRITICAL: connection %s: the provider rotated its tokens but storing them failed"
                + " (attempt %d of %d): %s",
            row.id(), attempt, WRITE_ATTEMPTS, e.getClass().getSimpleName());
        if (attempt < WRITE_ATTEMPTS) {
          pause(attempt);
        }
        continue;
      }
      if (attempt > 1) {
        LOG.warnf("connection %s: rotated tokens stored on write attempt %d", row.id(), attempt);
      }
      unsaved.forget(row.id(), spent);
      // Outside the retried write: a failure after the commit must not write the tokens twice.
      return afterWrite(row, written, tokens, trigger, provider);
    }
    unsaved.keep(new UnsavedRotations.Unsaved(row, spent, tokens, trigger, Instant.now()));
    LOG.errorf(
        "CRITICAL: connection %s: rotated tokens kept in memory until the database takes them;"
            + " they are lost if this process stops first",
        row.id());
    throw new BrokerException(
            io.tokenbroker.problem.ProblemCode.SERVICE_UNAVAILABLE,
            "New tokens could not be stored yet; retry after the time in Retry-After.",
            last)
        .retryAfter(Duration.ofSeconds(DatabaseOutage.RETRY_AFTER_SECONDS));
  }

  /** One attempt at the fenced rotation write, in a transaction of its own. */
  private Written writeOnce(ConnectionSnapshot row, String spent, TokenResponse tokens) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Connection c = em.find(Connection.class, row.id(), LockModeType.PESSIMISTIC_WRITE);
              if (c == null || c.status == ConnectionStatus.REVOKED) {
                return new Written(RefreshResult.Outcome.GONE, null, null);
              }
              // The spent refresh token is the fence, not the lease: a row that no longer holds
              // it was written since by someone else (an owner that took over after this lease ran
              // out, or a person linking the account again), and what it holds is newer than what
              // this attempt got.
              boolean ours = Objects.equals(c.refreshTokenEnc, spent);
              if (!ours) {
                LOG.errorf(
                    "CRITICAL: connection %s was rotated or linked again while this replica"
                        + " refreshed it; the tokens just obtained are discarded",
                    row.id());
                return new Written(
                    RefreshResult.Outcome.ALREADY_FRESH, ConnectionSnapshot.of(c), null);
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
              return new Written(
                  RefreshResult.Outcome.REFRESHED, ConnectionSnapshot.of(c), previous);
            });
  }

  @Scheduled(
      every = "${broker.refresh.unsaved-retry-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduledStoreUnsaved() {
    storeUnsaved();
  }

  /**
   * Stores tokens the database did not take when they were obtained, once it answers again. Each
   * gets one attempt per run; a connection refreshed meanwhile stores them on that refresh.
   *
   * @return how many were stored (or found superseded) in this run
   */
  public int storeUnsaved() {
    int settled = 0;
    for (UnsavedRotations.Unsaved held : unsaved.all()) {
      Written written;
      try {
        written = writeOnce(held.row(), held.spent(), held.tokens());
      } catch (RuntimeException e) {
        LOG.debugf(
            "connection %s: unsaved tokens still not stored (%s)",
            held.row().id(), e.getClass().getSimpleName());
        continue;
      }
      unsaved.forget(held.row().id(), held.spent());
      settled++;
      LOG.warnf(
          "connection %s: tokens obtained at %s stored after the database came back",
          held.row().id(), held.obtainedAt());
      try {
        afterWrite(
            held.row(),
            written,
            held.tokens(),
            held.trigger(),
            providers.require(held.row().provider()));
      } catch (RuntimeException e) {
        // The tokens are stored; only the audit row or the revocation of a deleted one failed.
        LOG.warnf(
            "connection %s: bookkeeping after storing unsaved tokens failed (%s)",
            held.row().id(), e.getClass().getSimpleName());
      }
    }
    return settled;
  }

  /** Last chance before the process ends: whatever is still unsaved now is lost. */
  void onStop(@Observes ShutdownEvent event) {
    storeUnsaved();
    for (UnsavedRotations.Unsaved lost : unsaved.all()) {
      LOG.errorf(
          "CRITICAL: connection %s: rotated tokens were never stored; the account must be linked"
              + " again",
          lost.row().id());
    }
  }

  private RefreshResult afterWrite(
      ConnectionSnapshot row,
      Written written,
      TokenResponse tokens,
      RefreshTrigger trigger,
      Provider provider) {
    if (written.outcome() == RefreshResult.Outcome.GONE) {
      // Deleted while the provider answered: the new tokens belong to nobody and must not stay
      // usable upstream. Best effort, like the deletion's own revocation.
      LOG.warnf(
          "connection %s was deleted while it refreshed; revoking the tokens just obtained",
          row.id());
      tokens.refreshToken().ifPresent(t -> revocation.revoke(provider, t, "refresh_token"));
      revocation.revoke(provider, tokens.accessToken(), "access_token");
      return RefreshResult.of(RefreshResult.Outcome.GONE, null);
    }
    if (written.outcome() != RefreshResult.Outcome.REFRESHED) {
      return RefreshResult.of(written.outcome(), written.row());
    }
    audit.record(
        "refresher",
        AuditAction.CONNECTION_REFRESHED,
        "ok",
        row.provider(),
        row.id(),
        trigger.wire());
    if (written.previous() != ConnectionStatus.ACTIVE) {
      LOG.infof("connection %s recovered: %s -> active", row.id(), written.previous().wire());
      audit.record(
          "refresher",
          AuditAction.CONNECTION_STATUS_CHANGED,
          "active",
          row.provider(),
          row.id(),
          trigger.wire() + ": recovered from " + written.previous().wire());
    }
    return RefreshResult.of(RefreshResult.Outcome.REFRESHED, written.row());
  }

  private RefreshResult markReauthorizationRequired(
      ConnectionSnapshot row, RefreshTrigger trigger, String why) {
    Change change =
        changeUnlessMoved(
            row,
            c -> {
              c.status = ConnectionStatus.REAUTHORIZATION_REQUIRED;
              c.lastError = truncate(why);
              c.nextRefreshAt = null;
            });
    if (change.skipped() != null) {
      LOG.infof(
          "connection %s was rotated by another replica or deleted meanwhile; keeping its state",
          row.id());
      return RefreshResult.of(change.skipped(), change.row());
    }
    LOG.warnf("connection %s needs reauthorization: %s", row.id(), why);
    audit.record(
        "refresher",
        AuditAction.CONNECTION_STATUS_CHANGED,
        "reauthorization_required",
        row.provider(),
        row.id(),
        trigger.wire() + ": " + why);
    return RefreshResult.of(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED, change.row());
  }

  private RefreshResult markDegraded(
      ConnectionSnapshot row, RefreshTrigger trigger, GrantFailure failure) {
    Instant[] retryAt = new Instant[1];
    Change change =
        changeUnlessMoved(
            row,
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
    if (change.skipped() != null) {
      LOG.infof(
          "connection %s refresh failed (%s) but another replica rotated or deleted it meanwhile;"
              + " keeping its state",
          row.id(), failure);
      return RefreshResult.of(change.skipped(), change.row());
    }
    LOG.warnf("connection %s refresh failed (%s); retry at %s", row.id(), failure, retryAt[0]);
    if (change.previous() != ConnectionStatus.DEGRADED) {
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
    return RefreshResult.retryLater(change.row(), failure, retryAt[0]);
  }

  /**
   * A failure state written under the row lock: applied ({@code skipped} null, {@code previous} the
   * status before), or skipped with the outcome that says why.
   */
  private record Change(
      ConnectionSnapshot row, ConnectionStatus previous, RefreshResult.Outcome skipped) {}

  /**
   * Applies {@code change} only while the row still holds the refresh token this attempt started
   * from and is not deleted. Checked under the lock, so that no rotation can land between the check
   * and the change.
   */
  private Change changeUnlessMoved(
      ConnectionSnapshot row, java.util.function.Consumer<Connection> change) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Connection c = em.find(Connection.class, row.id(), LockModeType.PESSIMISTIC_WRITE);
              if (c == null || c.status == ConnectionStatus.REVOKED) {
                return new Change(null, null, RefreshResult.Outcome.GONE);
              }
              if (!Objects.equals(c.refreshTokenEnc, row.refreshTokenEnc())) {
                return new Change(
                    ConnectionSnapshot.of(c), c.status, RefreshResult.Outcome.ALREADY_FRESH);
              }
              ConnectionStatus previous = c.status;
              change.accept(c);
              c.updatedAt = Instant.now();
              em.flush();
              return new Change(ConnectionSnapshot.of(c), previous, null);
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
