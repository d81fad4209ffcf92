package io.tokenbroker.refresh;

import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * The scheduled refresher. Every replica runs it; the per-connection lease in the database splits
 * the work, so N replicas never refresh one connection twice. Runs never overlap, and each provider
 * gets a bounded number of concurrent upstream calls.
 */
@ApplicationScoped
public class RefreshScheduler {

  private static final Logger LOG = Logger.getLogger(RefreshScheduler.class);

  private final ProviderCatalog providers;
  private final DueConnections due;
  private final RefreshCoordinator coordinator;
  private final RefreshConfig config;

  RefreshScheduler(
      ProviderCatalog providers,
      DueConnections due,
      RefreshCoordinator coordinator,
      RefreshConfig config) {
    this.providers = providers;
    this.due = due;
    this.coordinator = coordinator;
    this.config = config;
  }

  @Scheduled(
      every = "${broker.refresh.interval:60s}",
      delayed = "${broker.refresh.initial-delay:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Disabled.class)
  void scheduled() {
    runOnce();
  }

  /** One pass over every provider; returns how each due connection ended. */
  public Map<RefreshResult.Outcome, Integer> runOnce() {
    Map<RefreshResult.Outcome, Integer> outcomes = new EnumMap<>(RefreshResult.Outcome.class);
    for (Provider provider : providers.all()) {
      Instant now = Instant.now();
      DueConnections.Rule rule = due.rule(provider, now);
      List<UUID> ids = due.select(provider, rule, now, config.batchSize());
      if (ids.isEmpty()) {
        continue;
      }
      ExecutorService pool =
          Executors.newFixedThreadPool(
              Math.max(1, Math.min(config.concurrencyPerProvider(), ids.size())));
      try {
        List<Future<RefreshResult>> results = new ArrayList<>();
        for (UUID id : ids) {
          results.add(pool.submit(() -> coordinator.scheduled(id, rule)));
        }
        for (Future<RefreshResult> result : results) {
          try {
            outcomes.merge(result.get().outcome(), 1, Integer::sum);
          } catch (Exception e) {
            LOG.errorf("scheduled refresh failed: %s", e.getClass().getSimpleName());
          }
        }
      } finally {
        pool.shutdown();
      }
      LOG.debugf(
          "refresher: provider %s, %d due, outcomes %s", provider.id(), ids.size(), outcomes);
    }
    return outcomes;
  }

  /** Lets an operator run the refresher on some replicas only. */
  @ApplicationScoped
  public static class Disabled implements Scheduled.SkipPredicate {
    private final RefreshConfig config;

    Disabled(RefreshConfig config) {
      this.config = config;
    }

    @Override
    public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
      return !config.schedulerEnabled();
    }
  }
}
