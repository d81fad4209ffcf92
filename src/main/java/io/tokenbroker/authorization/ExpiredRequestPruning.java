package io.tokenbroker.authorization;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.shared.BatchedDelete;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes started authorizations ({@code authorization_request}) that expired more than {@code
 * broker.authorization.expired-request-retention} ago, used or not: a state that can no longer be
 * redeemed is only a row to scan and an encrypted PKCE verifier to keep. Batched, and safe to run
 * on every replica at once.
 */
@Startup
@ApplicationScoped
public class ExpiredRequestPruning {

  private static final Logger LOG = Logger.getLogger(ExpiredRequestPruning.class);
  private static final int BATCH = 5000;
  private static final String DELETE_BATCH =
      "DELETE FROM authorization_request WHERE state_hash IN (SELECT state_hash FROM"
          + " authorization_request WHERE expires_at < ?1 LIMIT ?2)";

  private final AuthorizationConfig config;
  private final EntityManager em;

  ExpiredRequestPruning(AuthorizationConfig config, EntityManager em) {
    if (config.expiredRequestRetention().isNegative()) {
      throw new ConfigurationException(
          "broker.authorization.expired-request-retention: "
              + config.expiredRequestRetention()
              + " must not be negative");
    }
    this.config = config;
    this.em = em;
  }

  @Scheduled(
      every = "${broker.authorization.prune-every:10m}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void pruneOnSchedule() {
    try {
      int deleted = pruneExpiredBefore(Instant.now().minus(config.expiredRequestRetention()));
      if (deleted > 0) {
        LOG.infof("Deleted %d expired authorization requests", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warnf(
          "Expired authorization requests could not be pruned (%s); next run retries",
          e.getClass().getName());
    }
  }

  /** Deletes every authorization that expired before {@code cutoff}; returns how many. */
  public int pruneExpiredBefore(Instant cutoff) {
    return pruneExpiredBefore(cutoff, BATCH);
  }

  int pruneExpiredBefore(Instant cutoff, int batchSize) {
    return BatchedDelete.until(em, DELETE_BATCH, cutoff, batchSize);
  }
}
