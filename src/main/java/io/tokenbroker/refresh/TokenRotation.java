package io.tokenbroker.refresh;

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

  private final LeaseStore leases;
  private final ProviderCatalog providers;
  private final RefreshTokenGrant grant;
  private final ConnectionStore store;
  private final RefreshConfig config;
  private final UnsavedRotations unsaved;
  private final ProviderBreakers breakers;
  private final BeforeLease beforeLease;
  private final AttemptBound attemptBound;
  private final RotationWrite write;
  private final FailureStates failures;
  private final UnsavedRotationRetry unsavedRetry;

  TokenRotation(
      LeaseStore leases,
      ProviderCatalog providers,
      RefreshTokenGrant grant,
      ConnectionStore store,
      RefreshConfig config,
      UnsavedRotations unsaved,
      ProviderBreakers breakers,
      BeforeLease beforeLease,
      AttemptBound attemptBound,
      RotationWrite write,
      FailureStates failures,
      UnsavedRotationRetry unsavedRetry) {
    this.leases = leases;
    this.providers = providers;
    this.grant = grant;
    this.store = store;
    this.config = config;
    this.unsaved = unsaved;
    this.breakers = breakers;
    this.beforeLease = beforeLease;
    this.attemptBound = attemptBound;
    this.write = write;
    this.failures = failures;
    this.unsavedRetry = unsavedRetry;
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
    try {
      beforeLease.read(providers.require(row.provider()), row);
    } catch (BrokerException e) {
      // Nothing is held or spent yet, and the row stays as it is: this is the broker's own outage.
      return RefreshResult.retryLater(
          row,
          GrantFailure.transientFailure("broker_unavailable", e.detail(), 0),
          now.plus(e.retryAfter().orElse(Duration.ofSeconds(5))));
    }
    LeaseClock.Taken taken = LeaseClock.starting(config.leaseTtl());
    Optional<ConnectionSnapshot> held = leases.acquire(id, owner, config.leaseTtl());
    if (held.isEmpty()) {
      return RefreshResult.of(RefreshResult.Outcome.BUSY, row);
    }
    ConnectionSnapshot underLease = held.get();
    HeldLease lease = HeldLease.of(underLease, owner, taken);
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
   * nothing is read before the upstream call (the scheduler read the provider's secret before it
   * claimed). A claim that waited so long for a worker that its lease could run out during the
   * attempt ({@link AttemptBound}) is given back untouched ({@code BUSY}); the next claim takes it
   * again.
   */
  RefreshResult refreshClaimed(HeldLease lease) {
    if (lease.remaining().compareTo(attemptBound.worst()) < 0) {
      release(lease);
      return RefreshResult.of(RefreshResult.Outcome.BUSY, null);
    }
    return refreshHolding(lease, RefreshTrigger.SCHEDULED, false);
  }

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
        return write.store(lease, held.get().tokens(), trigger, provider, readBack);
      }
      // Linked again meanwhile: the row holds a newer grant than the unsaved tokens.
      unsaved.forget(lease.id(), held.get().spent());
      LOG.warnf(
          "connection %s changed since its unsaved tokens were obtained; discarding them",
          lease.id());
    }
    if (lease.refreshTokenEnc() == null
        || (lease.refreshTokenExpiresAt() != null && lease.refreshTokenExpiresAt().isBefore(now))) {
      return failures.reauthorizationRequired(lease, trigger, "refresh token missing or expired");
    }
    TokenResponse tokens;
    try {
      tokens = grant.refresh(provider, store.openRefreshToken(lease.id(), lease.refreshTokenEnc()));
    } catch (GrantException e) {
      return onGrantFailure(lease, trigger, e.failure());
    } catch (BrokerException e) {
      // e.g. the secret store is unavailable: nothing was spent upstream, retry later. Not the
      // provider's failure, so its breaker does not count it.
      return failures.degraded(
          lease, trigger, GrantFailure.transientFailure("broker_unavailable", e.detail(), 0));
    }
    breakers.succeeded(provider.id());
    return write.store(lease, tokens, trigger, provider, readBack);
  }

  private Attempt onGrantFailure(HeldLease lease, RefreshTrigger trigger, GrantFailure failure) {
    if (lease.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED) {
      // An administrator's retry of a dead grant: only the provider's acceptance changes its state.
      return failure.kind() == GrantFailure.Kind.INVALID_GRANT
          ? failures.reauthorizationRequired(lease, trigger, "upstream answered " + failure)
          : Attempt.leaseKept(DeadGrantRetry.failed(lease, failure));
    }
    if (failure.kind() == GrantFailure.Kind.INVALID_GRANT) {
      if (breakers.withholdInvalidGrant(lease.provider(), lease.id())) {
        // A burst of verdicts looks like a provider incident: retry the grant later instead.
        return failures.degraded(
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
      return failures.reauthorizationRequired(lease, trigger, "upstream answered " + failure);
    }
    if (failure.isProviderWide()) {
      breakers.failedForAll(lease.provider(), failure);
    }
    return failures.degraded(lease, trigger, failure);
  }

  /**
   * Stores kept rotations the database did not take when they were obtained ({@link
   * UnsavedRotationRetry}).
   *
   * @return how many were stored (or found superseded)
   */
  public int storeUnsaved() {
    return unsavedRetry.storeUnsaved();
  }
}
