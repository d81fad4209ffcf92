package io.tokenbroker.refresh;

import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.grant.GrantFailure;
import io.tokenbroker.metrics.RefreshOutcome;
import java.time.Instant;
import java.util.Optional;

/**
 * How one refresh attempt ended, with the connection as it stands afterwards: absent when the
 * connection does not exist, and after a scheduled refresh, which writes the row without reading it
 * back (nothing serves its token).
 */
public record RefreshResult(
    Outcome outcome,
    Optional<ConnectionSnapshot> connection,
    Optional<GrantFailure> failure,
    Optional<Instant> retryAt) {

  public enum Outcome {
    /** New tokens were obtained and stored. */
    REFRESHED,
    /**
     * Nothing to do: the stored token already lives long enough (maybe another replica refreshed).
     */
    ALREADY_FRESH,
    /** Another replica holds the lease right now. */
    BUSY,
    /** A transient failure; the connection is degraded and will be retried at {@code retryAt}. */
    RETRY_LATER,
    /** The grant is dead: a person must link the account again. */
    REAUTHORIZATION_REQUIRED,
    /** No such connection, or it was revoked. */
    GONE
  }

  /**
   * How the attempt counts on {@code broker_refresh_total}; empty for a connection that is gone.
   */
  Optional<RefreshOutcome> metricOutcome() {
    return Optional.ofNullable(
        switch (outcome) {
          case REFRESHED -> RefreshOutcome.SUCCESS;
          case ALREADY_FRESH, BUSY -> RefreshOutcome.SKIPPED;
          case RETRY_LATER ->
              failure
                  .map(
                      f ->
                          f.kind() == GrantFailure.Kind.PROVIDER_MISBEHAVING
                              ? RefreshOutcome.PROVIDER_MISBEHAVING
                              : RefreshOutcome.TRANSIENT_FAILURE)
                  .orElse(RefreshOutcome.SKIPPED);
          case REAUTHORIZATION_REQUIRED -> RefreshOutcome.PERMANENT_FAILURE;
          case GONE -> null;
        });
  }

  static RefreshResult of(Outcome outcome, ConnectionSnapshot connection) {
    return new RefreshResult(
        outcome, Optional.ofNullable(connection), Optional.empty(), Optional.empty());
  }

  static RefreshResult retryLater(ConnectionSnapshot connection, GrantFailure failure, Instant at) {
    return new RefreshResult(
        Outcome.RETRY_LATER,
        Optional.ofNullable(connection),
        Optional.ofNullable(failure),
        Optional.of(at));
  }
}
