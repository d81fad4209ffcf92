package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.grant.TokenResponse;
import io.tokenbroker.grant.TokenRevocation;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.DatabaseOutage;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Stores the tokens a refresh obtained. The provider has spent the old refresh token by now, so
 * these tokens exist nowhere else: the write is retried through a blip, and when the database stays
 * down they are kept ({@link UnsavedRotations}, with its spool) until it takes them.
 */
@ApplicationScoped
class RotationWrite {

  private static final Logger LOG = Logger.getLogger(RotationWrite.class);

  /**
   * Enough to ride out a blip (a few seconds); a longer outage leaves the tokens in {@link
   * UnsavedRotations} rather than keep the caller waiting.
   */
  private static final int ATTEMPTS = 3;

  private final FencedRotationUpdate update;
  private final UnsavedRotations unsaved;
  private final TokenRevocation revocation;

  RotationWrite(FencedRotationUpdate update, UnsavedRotations unsaved, TokenRevocation revocation) {
    this.update = update;
    this.unsaved = unsaved;
    this.revocation = revocation;
  }

  /**
   * Writes the rotation, retrying; keeps it when the database does not take it.
   *
   * @throws BrokerException 503 when the tokens could not be stored yet (they are kept)
   */
  Attempt store(
      HeldLease lease,
      TokenResponse tokens,
      RefreshTrigger trigger,
      Provider provider,
      boolean readBack) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      FencedRotationUpdate.Written written;
      try {
        written = once(lease, tokens, trigger, readBack);
      } catch (RuntimeException e) {
        last = e;
        LOG.errorf(
            "CRITICAL: connection %s: the provider rotated its tokens but storing them failed"
                + " (attempt %d of %d): %s",
            lease.id(), attempt, ATTEMPTS, e.getClass().getSimpleName());
        if (attempt < ATTEMPTS) {
          pause(attempt);
        }
        continue;
      }
      if (attempt > 1) {
        LOG.warnf("connection %s: rotated tokens stored on write attempt %d", lease.id(), attempt);
      }
      unsaved.forget(lease.id(), lease.refreshTokenEnc());
      // Outside the retried write: a failure after the commit must not write the tokens twice.
      return settle(lease, written, tokens, provider);
    }
    keep(lease, tokens, trigger);
    throw new BrokerException(
            ProblemCode.SERVICE_UNAVAILABLE,
            "New tokens could not be stored yet; retry after the time in Retry-After.",
            last)
        .retryAfter(Duration.ofSeconds(DatabaseOutage.RETRY_AFTER_SECONDS));
  }

  /** One attempt at the fenced write, in a transaction of its own. */
  FencedRotationUpdate.Written once(
      HeldLease lease, TokenResponse tokens, RefreshTrigger trigger, boolean readBack) {
    return QuarkusTransaction.requiringNew()
        .call(() -> update.apply(lease, tokens, trigger, readBack));
  }

  /**
   * What follows a write that committed: a connection deleted while the provider answered gets its
   * new tokens revoked upstream (they belong to nobody); best effort, like the deletion's own
   * revocation.
   */
  Attempt settle(
      HeldLease lease,
      FencedRotationUpdate.Written written,
      TokenResponse tokens,
      Provider provider) {
    switch (written.outcome()) {
      case GONE -> {
        LOG.warnf(
            "connection %s was deleted while it refreshed; revoking the tokens just obtained",
            lease.id());
        tokens.refreshToken().ifPresent(t -> revocation.revoke(provider, t, "refresh_token"));
        revocation.revoke(provider, tokens.accessToken(), "access_token");
        return Attempt.leaseKept(RefreshResult.of(RefreshResult.Outcome.GONE, null));
      }
      case REFRESHED -> {
        if (written.previous() != ConnectionStatus.ACTIVE) {
          LOG.infof("connection %s recovered: %s -> active", lease.id(), written.previous().wire());
        }
        return Attempt.leaseEnded(RefreshResult.of(RefreshResult.Outcome.REFRESHED, written.row()));
      }
      default -> {
        return Attempt.leaseKept(RefreshResult.of(written.outcome(), written.row()));
      }
    }
  }

  private void keep(HeldLease lease, TokenResponse tokens, RefreshTrigger trigger) {
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
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(200L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
