package io.tokenbroker.audit;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.shared.BatchedDelete;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes audit rows older than {@code broker.audit.retention}, a batch per transaction, oldest
 * first. Every replica runs it; two runs at once only share the work, since a row deleted by one is
 * simply not found by the other. Failures (the database is down) are logged and retried at the next
 * run.
 */
@Startup
@ApplicationScoped
public class AuditPruning {

  private static final Logger LOG = Logger.getLogger(AuditPruning.class);
  private static final String DELETE_BATCH =
      "DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event WHERE occurred_at < ?1"
          + " ORDER BY occurred_at LIMIT ?2)";

  private final AuditConfig config;
  private final EntityManager em;

  AuditPruning(AuditConfig config, EntityManager em) {
    if (config.retention().isNegative() || config.retention().isZero()) {
      throw new ConfigurationException(
          "broker.audit.retention: " + config.retention() + " must be positive");
    }
    if (config.pruneBatchSize() < 1) {
      throw new ConfigurationException(
          "broker.audit.prune-batch-size: " + config.pruneBatchSize() + " must be at least 1");
    }
    this.config = config;
    this.em = em;
  }

  @Scheduled(
      every = "${broker.audit.prune-every:10m}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void pruneOnSchedule() {
    try {
      int deleted = pruneOlderThan(Instant.now().minus(config.retention()));
      if (deleted > 0) {
        LOG.infof("Deleted %d audit rows older than %s", deleted, config.retention());
      }
    } catch (RuntimeException e) {
      LOG.warnf("Audit rows could not be pruned (%s); next run retries", e.getClass().getName());
    }
  }

  /** Deletes every row that occurred before {@code cutoff}; returns how many. */
  public int pruneOlderThan(Instant cutoff) {
    return pruneOlderThan(cutoff, config.pruneBatchSize());
  }

  int pruneOlderThan(Instant cutoff, int batchSize) {
    return BatchedDelete.until(em, DELETE_BATCH, cutoff, batchSize);
  }
}
