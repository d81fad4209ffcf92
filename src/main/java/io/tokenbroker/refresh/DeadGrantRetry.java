package io.tokenbroker.refresh;

import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.grant.GrantFailure;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * An administrator's second chance for a grant marked dead: a {@code reauthorization_required}
 * connection keeps its sealed refresh token, so {@code POST /v1/connections/{id}/refresh} presents
 * it once more. The provider accepting it is the only way back to {@code active} (the rotation
 * write records the transition {@code reauthorization_required -> active}); any other answer leaves
 * the connection as it was, and another {@code invalid_grant} confirms the verdict. This is how an
 * operator undoes a mass marking after a provider incident. The scheduler never retries such a
 * connection on its own.
 */
final class DeadGrantRetry {

  private static final Logger LOG = Logger.getLogger(DeadGrantRetry.class);

  private DeadGrantRetry() {}

  /** Whether this attempt may present the refresh token of a connection marked dead. */
  static boolean applies(ConnectionSnapshot row, RefreshTrigger trigger) {
    return trigger == RefreshTrigger.FORCED
        && row.status() == ConnectionStatus.REAUTHORIZATION_REQUIRED
        && row.refreshTokenEnc() != null;
  }

  /**
   * The retry got no verdict (an outage, an edge page): nothing changes, the lease is given back.
   */
  static RefreshResult failed(HeldLease lease, GrantFailure failure) {
    LOG.warnf(
        "connection %s: retry of a grant marked dead got no answer (%s); it stays"
            + " reauthorization_required",
        lease.id(), failure);
    return new RefreshResult(
        RefreshResult.Outcome.REAUTHORIZATION_REQUIRED,
        Optional.empty(),
        Optional.of(failure),
        Optional.empty());
  }
}
