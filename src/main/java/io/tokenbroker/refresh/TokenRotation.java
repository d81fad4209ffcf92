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
import io.tokenbroker.connection.StatusTransitions;
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
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Refreshes one connection under its lease — the one place where a rotating refresh token is spent.
 * The order of steps is what keeps a rotation from being lost or done twice:
 *
 * <ol>
 *   <li>hold the lease, with the row as it stood when the lease was taken: on demand, a conditional
 *       UPDATE that reads the row back in the same transaction (another replica may have just
 *       refreshed it); scheduled, the scheduler's claim of a whole batch ({@link
 *       DueConnections#claim}), which returns the rows it took;
 *   <li>call the token endpoint with no transaction open;
 *   <li>write both new tokens, the audit row and the end of the lease in one transaction, only
 *       while the row still holds the refresh token that was spent; retry that write, and when the
 *       database stays down keep the tokens in {@link UnsavedRotations} until it answers: the next
 *       refresh of the connection stores them instead of presenting the spent token, and a periodic
 *       retry stores them too;
 *   <li>on {@code invalid_grant}, look at the row again (under its lock) before marking it: if the
 *       refresh token changed meanwhile, someone else rotated it and the grant is fine.
 * </ol>
 *
 * <p>Every write — new tokens or a failure state — is made under the row lock and only to the row
 * this attempt started from: an owner that outlived its lease must not mark degraded or dead a
 * connection that another owner has rotated since, and nothing may bring a deleted connection back.
 * A write that lands also ends the lease (when the row still carries this one), so only attempts
 * that wrote nothing give it back with a separate release.
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
  private final ProviderBreakers breakers;
  private final EntityManager em;
  private final StatusTransitions transitions;

  TokenRotation(
      LeaseStore leases,
      ProviderCatalog providers,
      RefreshTokenGrant grant,
      ConnectionStore store,
      RefreshConfig config,
      AuditTrail audit,
      TokenRevocation revocation,
      UnsavedRotations unsaved,
      ProviderBreakers breakers,
      EntityManager em,
      StatusTransitions transitions) {
    this.leases = leases;
    this.providers = providers;
    this.grant = grant;
    this.store = store;
    this.config = config;
    this.audit = audit;
    this.revocation = revocation;
    this.unsaved = unsaved;
    this.breakers = breakers;
    this.em = em;
    this.transitions = transitions;
  }

  /**
   * Takes the connection's lease and refreshes it (on demand, forced, or one replica's attempt).
   *
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
    if (row.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED
        && !DeadGrantRetry.applies(row, trigger)) {
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
    Optional<ConnectionSnapshot> held = leases.acquire(id, owner, config.leaseTtl());
    if (held.isEmpty()) {
      return RefreshResult.of(RefreshResult.Outcome.BUSY, row);
    }
    ConnectionSnapshot underLease = held.get();
    HeldLease lease = HeldLease.of(underLease, owner);
    if (underLease.status() == ConnectionStatus.REVOKED
        || (underLease.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED
            && !DeadGrantRetry.applies(underLease, trigger))
        || !stillNeeded.test(underLease)) {
      release(lease);
      return underLease.status() == ConnectionStatus.REVOKED
          ? RefreshResult.of(RefreshResult.Outcome.GONE, null)
          : RefreshResult.of(
              underLease.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED
                  ? RefreshResult.Outcome.REAUTHORIZATION_REQUIRED
                  : RefreshResult.Outcome.ALREADY_FRESH,
              underLease);
    }
    return refreshHolding(lease, trigger, true);
  }

  /**
   * Refreshes a connection the scheduler claimed: the claim already checked that it is due, so
   * nothing is read before the upstream call. A claim that waited so long for a worker that its
   * lease could run out during the call is given back untouched ({@code BUSY}); the next claim
   * takes it again.
   */
  RefreshResult refreshClaimed(HeldLease lease) {
    Provider provider = providers.require(lease.provider());
    Duration longestCall = provider.connectTimeout().plus(provider.readTimeout());
    if (Instant.now().plus(longestCall).isAfter(lease.expiresAt())) {
      release(lease);
      return RefreshResult.of(RefreshResult.Outcome.BUSY, null);
    }
    return refreshHolding(lease, RefreshTrigger.SCHEDULED, false);
  }

  /** An attempt's result, and whether its write already ended the lease. */
  private record Attempt(RefreshResult result, boolean leaseEnded) {}

  /**
   * @param readBack whether the result carries the row as written (a caller serves its token); the
   *     scheduler only counts outcomes and saves the read
   */
  private RefreshResult refreshHolding(HeldLease lease, RefreshTrigger trigger, boolean readBack) {
    Attempt attempt = null;
    try {
      attempt = attemptHolding(lease, trigger, readBack);
      return attempt.result();
    } finally {
      // Frees it on every exit that wrote nothing, and on failures.
      if (attempt == null || !attempt.leaseEnded()) {
        release(lease);
      }
    }
  }

  /**
   * Gives the lease back; when the database cannot take even that, the lease runs out by itself,
   * and the failure that matters (the one that brought us here, if any) is the one to report.
   */
  private void release(HeldLease lease) {
    try {
      leases.release(lease);
    } catch (RuntimeException e) {
      LOG.warnf(
          "connection %s: lease not released (%s); it expires by itself",
          lease.id(), e.getClass().getSimpleName());
    }
  }

  private Attempt attemptHolding(HeldLease lease, RefreshTrigger trigger, boolean readBack) {
    Instant now = Instant.now();
    Provider provider = providers.require(lease.provider());
    Optional<UnsavedRotations.Unsaved> held = unsaved.find(lease.id());
    if (held.isPresent()) {
      if (Objects.equals(held.get().spent(), lease.refreshTokenEnc())) {
        // The provider already rotated this grant: presenting the stored token again would be
        // refused as spent. Store what it answered then.
        LOG.infof(
            "connection %s: storing the tokens obtained at %s, which the database did not take then",
            lease.id(), held.get().obtainedAt());
        return writeRotation(lease, held.get().tokens(), trigger, provider, readBack);
      }
      // Linked again meanwhile: the row holds a newer grant than the unsaved tokens.
      unsaved.forget(lease.id(), held.get().spent());
      LOG.warnf(
          "connection %s changed since its unsaved tokens were obtained; discarding them",
          lease.id());
    }
    if (lease.refreshTokenEnc() == null
        || (lease.refreshTokenExpiresAt() != null && lease.refreshTokenExpiresAt().isBefore(now))) {
      return markReauthorizationRequired(lease, trigger, "refresh token missing or expired");
    }
    TokenResponse tokens;
    try {
      tokens = grant.refresh(provider, store.openRefreshToken(lease.id(), lease.refreshTokenEnc()));
    } catch (GrantException e) {
      return onGrantFailure(lease, trigger, e.failure());
    } catch (BrokerException e) {
      // e.g. the secret store is unavailable: nothing was spent upstream, retry later. Not the
      // provider's failure, so its breaker does not count it.
      return markDegraded(
          lease, trigger, GrantFailure.transientFailure("broker_unavailable", e.detail(), 0));
    }
    breakers.succeeded(provider.id());
    return writeRotation(lease, tokens, trigger, provider, readBack);
  }

  private Attempt onGrantFailure(HeldLease lease, RefreshTrigger trigger, GrantFailure failure) {
    if (lease.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED) {
      // An administrator's retry of a dead grant: only the provider's acceptance changes its state.
      return failure.kind() == GrantFailure.Kind.INVALID_GRANT
          ? markReauthorizationRequired(lease, trigger, "upstream answered " + failure)
          : new Attempt(DeadGrantRetry.failed(lease, failure), false);
    }
    if (failure.kind() == GrantFailure.Kind.INVALID_GRANT) {
      if (breakers.withholdInvalidGrant(lease.provider(), lease.id())) {
        // A burst of verdicts looks like a provider incident: retry the grant later instead.
        return markDegraded(
            lease,
            trigger,
            new GrantFailure(
                GrantFailure.Kind.TRANSIENT,
                "invalid_grant_withheld",
                "invalid_grant during a burst; the provider is paused",
                failure.httpStatus(),
                failure.retryAfter()));
      }
      // Only the row as this attempt found it is marked (see changeUnlessMoved): when another
      // replica rotated the refresh token meanwhile, the grant is alive and keeps its tokens.
      return markReauthorizationRequired(lease, trigger, "upstream answered " + failure);
    }
    if (failure.isProviderWide()) {
      breakers.failedForAll(lease.provider(), failure);
    }
    return markDegraded(lease, trigger, failure);
  }

  /** What the rotation write found under the row lock, and did. */
  private record Written(
      RefreshResult.Outcome outcome, ConnectionSnapshot row, ConnectionStatus previous) {}

  private Attempt writeRotation(
      HeldLease lease,
      TokenResponse tokens,
      RefreshTrigger trigger,
      Provider provider,
      boolean readBack) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      Written written;
      try {
        written = writeOnce(lease, tokens, trigger, readBack);
      } catch (RuntimeException e) {
        last = e;
        LOG.errorf(
            "CRITICAL: connection %s: the provider rotated its tokens but storing them failed"
                + " (attempt %d of %d): %s",
            lease.id(), attempt, WRITE_ATTEMPTS, e.getClass().getSimpleName());
        if (attempt < WRITE_ATTEMPTS) {
          pause(attempt);
        }
        continue;
      }
      if (attempt > 1) {
        LOG.warnf("connection %s: rotated tokens stored on write attempt %d", lease.id(), attempt);
      }
      unsaved.forget(lease.id(), lease.refreshTokenEnc());
      // Outside the retried write: a failure after the commit must not write the tokens twice.
      return afterWrite(lease, written, tokens, provider);
    }
    if (unsaved.keep(new UnsavedRotations.Unsaved(lease, tokens, trigger, Instant.now()))) {
      LOG.errorf(
          "CRITICAL: connection %s: the database refused the rotated tokens; they are kept in"
              + " memory and in the spool on disk until it takes them, also across a restart",
          lease.id());
    } else {
      LOG.errorf(
          "CRITICAL: connection %s: the database refused the rotated tokens; they are kept in"
              + " memory only until it takes them, and lost if this process stops first",
          lease.id());
    }
    throw new BrokerException(
            io.tokenbroker.problem.ProblemCode.SERVICE_UNAVAILABLE,
            "New tokens could not be stored yet; retry after the time in Retry-After.",
            last)
        .retryAfter(Duration.ofSeconds(DatabaseOutage.RETRY_AFTER_SECONDS));
  }

  /** One attempt at the fenced rotation write, in a transaction of its own. */
  private Written writeOnce(
      HeldLease lease, TokenResponse tokens, RefreshTrigger trigger, boolean readBack) {
    return QuarkusTransaction.requiringNew()
        .call(() -> storeRotation(lease, tokens, trigger, readBack));
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
    unsaved.adoptNowReadable();
    int settled = 0;
    for (UnsavedRotations.Unsaved held : unsaved.all()) {
      HeldLease lease = held.lease();
      Written written;
      try {
        written = writeOnce(lease, held.tokens(), held.trigger(), false);
      } catch (RuntimeException e) {
        LOG.debugf(
            "connection %s: unsaved tokens still not stored (%s)",
            lease.id(), e.getClass().getSimpleName());
        continue;
      }
      unsaved.forget(lease.id(), held.spent());
      settled++;
      LOG.warnf(
          "connection %s: tokens obtained at %s stored after the database came back",
          lease.id(), held.obtainedAt());
      try {
        afterWrite(lease, written, held.tokens(), providers.require(lease.provider()));
      } catch (RuntimeException e) {
        // The tokens are stored; only the revocation of a deleted connection's tokens failed.
        LOG.warnf(
            "connection %s: bookkeeping after storing unsaved tokens failed (%s)",
            lease.id(), e.getClass().getSimpleName());
      }
    }
    return settled;
  }

  /**
   * Last chance before the process ends: what the database still does not take waits in the spool
   * for the next start; only what the spool could not take either is lost.
   */
  void onStop(@Observes ShutdownEvent event) {
    storeUnsaved();
    for (UnsavedRotations.Unsaved left : unsaved.all()) {
      if (unsaved.spooled(left.lease().id())) {
        LOG.errorf(
            "CRITICAL: connection %s: rotated tokens not stored before shutdown; they stay in the"
                + " spool and are offered to the database again at the next start",
            left.lease().id());
      } else {
        LOG.errorf(
            "CRITICAL: connection %s: rotated tokens were never stored; the account must be linked"
                + " again",
            left.lease().id());
      }
    }
  }

  /**
   * The rotation write, in the caller's transaction: one UPDATE fenced by the spent refresh token
   * (it also ends the lease and any failure state), the audit rows, and the row read back for a
   * caller that serves the new token. A statement rather than a locked read and a flush of the
   * entity: this is the scheduler's hot path, and the fence needs no more than the WHERE clause.
   * Without the row lock the status before the write is the one the lease was taken with: while the
   * lease holds, only its holder changes the status.
   */
  private Written storeRotation(
      HeldLease lease, TokenResponse tokens, RefreshTrigger trigger, boolean readBack) {
    Instant now = Instant.now();
    ConnectionStore.Sealed sealed = store.seal(lease.id(), tokens);
    boolean newScopes = !tokens.scopes().isEmpty();
    Query update =
        em.createQuery(
                "update Connection c set c.accessTokenEnc = :access,"
                    + " c.accessTokenExpiresAt = :accessExpiry,"
                    + (sealed.rotated()
                        ? " c.refreshTokenEnc = :refresh, c.refreshTokenExpiresAt = :refreshExpiry,"
                            + " c.refreshTokenIssuedAt = :now,"
                        : "")
                    + (newScopes ? " c.scopes = :scopes," : "")
                    + " c.lastRefreshedAt = :now, c.status = :active, c.failureCount = 0,"
                    + " c.lastError = null, c.nextRefreshAt = null, c.leaseOwner = null,"
                    + " c.leaseExpiresAt = null, c.updatedAt = :now, c.version = c.version + 1"
                    // The spent refresh token is the fence, not the lease: a row that no longer
                    // holds it was written since by someone else (an owner that took over after
                    // this lease ran out, or a person linking the account again), and what it
                    // holds is newer than what this attempt got.
                    + " where c.id = :id and c.refreshTokenEnc = :spent and c.status <> :revoked")
            .setParameter("access", sealed.accessTokenEnc())
            .setParameter("accessExpiry", sealed.accessTokenExpiresAt())
            .setParameter("now", now)
            .setParameter("active", ConnectionStatus.ACTIVE)
            .setParameter("id", lease.id())
            .setParameter("spent", lease.refreshTokenEnc())
            .setParameter("revoked", ConnectionStatus.REVOKED);
    if (sealed.rotated()) {
      update
          .setParameter("refresh", sealed.refreshTokenEnc())
          .setParameter("refreshExpiry", sealed.refreshTokenExpiresAt());
    }
    if (newScopes) {
      update.setParameter("scopes", io.tokenbroker.provider.Scopes.format(tokens.scopes()));
    }
    if (update.executeUpdate() == 0) {
      Connection c = em.find(Connection.class, lease.id());
      if (c == null || c.status == ConnectionStatus.REVOKED) {
        return new Written(RefreshResult.Outcome.GONE, null, null);
      }
      LOG.errorf(
          "CRITICAL: connection %s was rotated or linked again while this replica"
              + " refreshed it; the tokens just obtained are discarded",
          lease.id());
      return new Written(RefreshResult.Outcome.ALREADY_FRESH, ConnectionSnapshot.of(c), null);
    }
    audit.recordInTransaction(
        "refresher",
        AuditAction.CONNECTION_REFRESHED,
        "ok",
        lease.provider(),
        lease.id(),
        trigger.wire());
    if (lease.status() != ConnectionStatus.ACTIVE) {
      audit.recordInTransaction(
          "refresher",
          AuditAction.CONNECTION_STATUS_CHANGED,
          "active",
          lease.provider(),
          lease.id(),
          trigger.wire() + ": recovered from " + lease.status().wire());
      transitions.changed(
          em.find(Connection.class, lease.id()), lease.status(), trigger.wire() + ": refreshed");
    }
    ConnectionSnapshot row =
        readBack ? ConnectionSnapshot.of(em.find(Connection.class, lease.id())) : null;
    return new Written(RefreshResult.Outcome.REFRESHED, row, lease.status());
  }

  private Attempt afterWrite(
      HeldLease lease, Written written, TokenResponse tokens, Provider provider) {
    if (written.outcome() == RefreshResult.Outcome.GONE) {
      // Deleted while the provider answered: the new tokens belong to nobody and must not stay
      // usable upstream. Best effort, like the deletion's own revocation.
      LOG.warnf(
          "connection %s was deleted while it refreshed; revoking the tokens just obtained",
          lease.id());
      tokens.refreshToken().ifPresent(t -> revocation.revoke(provider, t, "refresh_token"));
      revocation.revoke(provider, tokens.accessToken(), "access_token");
      return new Attempt(RefreshResult.of(RefreshResult.Outcome.GONE, null), false);
    }
    if (written.outcome() != RefreshResult.Outcome.REFRESHED) {
      return new Attempt(RefreshResult.of(written.outcome(), written.row()), false);
    }
    if (written.previous() != ConnectionStatus.ACTIVE) {
      LOG.infof("connection %s recovered: %s -> active", lease.id(), written.previous().wire());
    }
    return new Attempt(RefreshResult.of(RefreshResult.Outcome.REFRESHED, written.row()), true);
  }

  private Attempt markReauthorizationRequired(HeldLease lease, RefreshTrigger trigger, String why) {
    Change change =
        changeUnlessMoved(
            lease,
            trigger.wire() + ": " + why,
            c -> {
              c.status = ConnectionStatus.REAUTHORIZATION_REQUIRED;
              c.lastError = truncate(why);
              c.nextRefreshAt = null;
            },
            (c, previous) ->
                audit.recordInTransaction(
                    "refresher",
                    previous == ConnectionStatus.REAUTHORIZATION_REQUIRED
                        ? AuditAction.CONNECTION_REFRESH_FAILED
                        : AuditAction.CONNECTION_STATUS_CHANGED,
                    "reauthorization_required",
                    c.provider,
                    c.id,
                    trigger.wire() + ": " + why));
    if (change.skipped() != null) {
      LOG.infof(
          "connection %s was rotated by another replica or deleted meanwhile; keeping its state",
          lease.id());
      return new Attempt(RefreshResult.of(change.skipped(), change.row()), false);
    }
    LOG.warnf("connection %s needs reauthorization: %s", lease.id(), why);
    return new Attempt(
        RefreshResult.of(RefreshResult.Outcome.REAUTHORIZATION_REQUIRED, change.row()), true);
  }

  private Attempt markDegraded(HeldLease lease, RefreshTrigger trigger, GrantFailure failure) {
    Instant[] retryAt = new Instant[1];
    Change change =
        changeUnlessMoved(
            lease,
            trigger.wire() + ": " + failure,
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
            },
            (c, previous) -> {
              if (previous != ConnectionStatus.DEGRADED) {
                audit.recordInTransaction(
                    "refresher",
                    AuditAction.CONNECTION_STATUS_CHANGED,
                    "degraded",
                    c.provider,
                    c.id,
                    trigger.wire() + ": " + failure);
              } else {
                audit.recordInTransaction(
                    "refresher",
                    AuditAction.CONNECTION_REFRESH_FAILED,
                    "retry_later",
                    c.provider,
                    c.id,
                    trigger.wire() + ": " + failure);
              }
            });
    if (change.skipped() != null) {
      LOG.infof(
          "connection %s refresh failed (%s) but another replica rotated or deleted it meanwhile;"
              + " keeping its state",
          lease.id(), failure);
      return new Attempt(RefreshResult.of(change.skipped(), change.row()), false);
    }
    LOG.warnf("connection %s refresh failed (%s); retry at %s", lease.id(), failure, retryAt[0]);
    return new Attempt(RefreshResult.retryLater(change.row(), failure, retryAt[0]), true);
  }

  /**
   * A failure state written under the row lock: applied ({@code skipped} null, {@code previous} the
   * status before), or skipped with the outcome that says why.
   */
  private record Change(
      ConnectionSnapshot row, ConnectionStatus previous, RefreshResult.Outcome skipped) {}

  /**
   * Applies {@code change}, ends the lease, records the audit row and announces the status change
   * ({@code reason}) in one transaction, only while the row still holds the refresh token this
   * attempt started from and is not deleted. Checked under the lock, so that no rotation can land
   * between the check and the change.
   */
  private Change changeUnlessMoved(
      HeldLease lease,
      String reason,
      Consumer<Connection> change,
      BiConsumer<Connection, ConnectionStatus> recordAudit) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Connection c = em.find(Connection.class, lease.id(), LockModeType.PESSIMISTIC_WRITE);
              if (c == null || c.status == ConnectionStatus.REVOKED) {
                return new Change(null, null, RefreshResult.Outcome.GONE);
              }
              if (!Objects.equals(c.refreshTokenEnc, lease.refreshTokenEnc())) {
                return new Change(
                    ConnectionSnapshot.of(c), c.status, RefreshResult.Outcome.ALREADY_FRESH);
              }
              ConnectionStatus previous = c.status;
              change.accept(c);
              c.updatedAt = Instant.now();
              lease.clearFrom(c);
              recordAudit.accept(c, previous);
              transitions.changed(c, previous, reason);
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
