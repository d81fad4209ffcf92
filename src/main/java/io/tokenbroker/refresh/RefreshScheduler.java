package io.tokenbroker.refresh;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The scheduled refresher. Every replica runs it; each claims the leases of due connections in
 * batches ({@link DueConnections#claim}), so replicas work on disjoint sets and never refresh one
 * connection twice. Runs never overlap. Within a run, every provider has its own {@code
 * concurrency-per-provider} workers, providers side by side, and a worker that finishes takes the
 * next claimed connection at once: the run keeps all workers busy until nothing is due, instead of
 * waiting for the slowest refresh of a batch.
 */
@ApplicationScoped
public class RefreshScheduler {

  private static final Logger LOG = Logger.getLogger(RefreshScheduler.class);

  private final ProviderCatalog providers;
  private final DueConnections due;
  private final LeaseStore leases;
  private final RefreshCoordinator coordinator;
  private final RefreshConfig config;
  private final ProviderBreakers breakers;
  private final BeforeLease beforeLease;
  private final AttemptBound attemptBound;
  private volatile boolean stopping;
  private volatile ExecutorService currentRun;

  RefreshScheduler(
      ProviderCatalog providers,
      DueConnections due,
      LeaseStore leases,
      RefreshCoordinator coordinator,
      RefreshConfig config,
      ProviderBreakers breakers,
      BeforeLease beforeLease,
      AttemptBound attemptBound) {
    this.providers = providers;
    this.due = due;
    this.leases = leases;
    this.coordinator = coordinator;
    this.config = config;
    this.breakers = breakers;
    this.beforeLease = beforeLease;
    this.attemptBound = attemptBound;
  }

  @Scheduled(
      every = "${broker.refresh.interval:60s}",
      delayed = "${broker.refresh.initial-delay:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Disabled.class)
  void scheduled() {
    runOnce();
  }

  /**
   * Stops claiming work and waits for the attempts in flight: an upstream call that has started may
   * already have rotated the refresh token, and its answer must be written before the datasource
   * closes (CDI destroys it only after the shutdown observers have returned). Runs before {@link
   * TokenRotation}'s own shutdown observer, which retries whatever the database did not take.
   * Claimed connections still waiting for a worker are given back rather than started.
   */
  void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
    drain();
  }

  /**
   * The drain proper, in Quarkus's pre-shutdown phase ({@code quarkus.shutdown.delay-enabled}): by
   * the time ShutdownEvent fires, the upstream REST clients are already being closed and a call in
   * flight fails with {@code io_error}, losing a rotation the provider has made (seen with a real
   * SIGTERM in SigtermDuringRefreshIT). The ShutdownEvent observer above then finds nothing left.
   */
  void onStopRequested(@Observes ShutdownDelayInitiatedEvent event) {
    drain();
  }

  /** The bound of {@link #drain}: one attempt's worst case ({@link AttemptBound}). */
  Duration drainBound() {
    return attemptBound.worst();
  }

  /** Stops claiming and waits (at most {@link #drainBound()}) for the attempts in flight. */
  void drain() {
    stopping = true;
    ExecutorService running = currentRun;
    if (running == null) {
      return;
    }
    Duration bound = drainBound();
    LOG.infof("refresher: stopping; waiting up to %s for refreshes in flight", bound);
    try {
      if (!running.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.errorf("refresher: refreshes still in flight after %s; stopping anyway", bound);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Takes work again after {@link #drain} (tests drain without stopping the application). */
  void resume() {
    stopping = false;
  }

  /** One run over every provider until nothing is due; returns how each connection ended. */
  public Map<RefreshResult.Outcome, Integer> runOnce() {
    Instant start = Instant.now();
    Map<RefreshResult.Outcome, AtomicInteger> counts = new EnumMap<>(RefreshResult.Outcome.class);
    for (RefreshResult.Outcome outcome : RefreshResult.Outcome.values()) {
      counts.put(outcome, new AtomicInteger());
    }
    int workers = Math.max(1, config.concurrencyPerProvider());
    Collection<Provider> all = providers.all();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, workers * all.size()),
            work -> new Thread(work, "refresher-" + threads.incrementAndGet()));
    currentRun = pool;
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Provider provider : all) {
        try {
          beforeLease.readSecret(provider);
        } catch (BrokerException e) {
          // Claiming now would hold leases while every attempt waits for the secret store.
          LOG.warnf(
              "refresher: skipping provider %s this run: its client secret cannot be read (%s)",
              provider.id(), e.detail());
          continue;
        }
        ClaimedBatches batches =
            new ClaimedBatches(
                due,
                leases,
                provider,
                due.rule(provider, start),
                start,
                coordinator.owner().scheduler(),
                config.leaseTtl(),
                workers,
                config.batchSize(),
                () -> stopping);
        for (int i = 0; i < workers; i++) {
          running.add(
              pool.submit(
                  () -> {
                    work(provider.id(), batches, counts);
                    return null;
                  }));
        }
      }
      for (Future<?> worker : running) {
        await(worker);
      }
    } finally {
      pool.shutdown();
    }
    Map<RefreshResult.Outcome, Integer> outcomes = new EnumMap<>(RefreshResult.Outcome.class);
    counts.forEach(
        (outcome, n) -> {
          if (n.get() > 0) {
            outcomes.put(outcome, n.get());
          }
        });
    if (!outcomes.isEmpty()) {
      LOG.debugf(
          "refresher: run took %s, outcomes %s", Duration.between(start, Instant.now()), outcomes);
    }
    return outcomes;
  }

  /**
   * One worker of one provider: each connection is started only when the provider's breaker admits
   * it; a paused provider's claimed connections are given back for a later run.
   */
  private void work(
      String provider, ClaimedBatches batches, Map<RefreshResult.Outcome, AtomicInteger> counts)
      throws InterruptedException {
    while (true) {
      if (!breakers.admit(provider)) {
        batches.giveBackAll();
        return;
      }
      Optional<HeldLease> next = Optional.empty();
      try {
        next = batches.next();
        if (next.isEmpty()) {
          return;
        }
        counts.get(coordinator.scheduled(next.get()).outcome()).incrementAndGet();
      } catch (RuntimeException e) {
        LOG.errorf(
            "scheduled refresh of connection %s failed: %s",
            next.map(HeldLease::id).orElse(null), e.getClass().getSimpleName());
      } finally {
        breakers.finished(provider);
      }
    }
  }

  private static void await(Future<?> worker) {
    try {
      worker.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.errorf("refresher: a worker failed: %s", e.getCause().getClass().getSimpleName());
    }
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
