package io.tokenbroker.health;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Runs every {@link ReadinessProbe} in the background, each on a thread of its own so that a hung
 * database cannot delay the Vault check or the other way round, and registers one readiness check
 * per probe that answers from {@link ReadinessState}. A probe request therefore never touches
 * PostgreSQL or Vault: the chart's probe timeout cannot expire on every replica at once because a
 * shared dependency hangs (docs/operations.md §2.1).
 */
@ApplicationScoped
class BackgroundChecks {

  private static final Logger LOG = Logger.getLogger(BackgroundChecks.class);

  private final HealthConfig config;
  private final ReadinessState state;
  private final HealthRegistry readiness;
  private final Instance<ReadinessProbe> probes;
  private final List<ScheduledExecutorService> threads = new ArrayList<>();

  BackgroundChecks(
      HealthConfig config,
      ReadinessState state,
      @Readiness HealthRegistry readiness,
      @Any Instance<ReadinessProbe> probes) {
    positive("broker.health.check-interval", config.checkInterval());
    positive("broker.health.answer-timeout", config.answerTimeout());
    this.config = config;
    this.state = state;
    this.readiness = readiness;
    this.probes = probes;
  }

  /**
   * Starts the checks and waits briefly for their first answers, so that a broker whose
   * dependencies answer is reported accurately from its first probe; one that hangs delays startup
   * by at most the answer timeout.
   */
  void onStart(@Observes StartupEvent event) {
    List<CompletableFuture<Void>> first = new ArrayList<>();
    for (ReadinessProbe probe : probes) {
      readiness.register(probe.name(), served(probe));
      ScheduledExecutorService thread =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "readiness-" + probe.name());
                t.setDaemon(true);
                return t;
              });
      threads.add(thread);
      CompletableFuture<Void> answered = new CompletableFuture<>();
      first.add(answered);
      thread.scheduleWithFixedDelay(
          () -> {
            runOnce(probe);
            answered.complete(null);
          },
          0,
          config.checkInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
    try {
      CompletableFuture.allOf(first.toArray(CompletableFuture[]::new))
          .get(config.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warnf(
          "A readiness check gave no answer within %s at startup; readiness reports it unreachable"
              + " until it does",
          config.answerTimeout());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    threads.forEach(ScheduledExecutorService::shutdownNow);
  }

  private HealthCheck served(ReadinessProbe probe) {
    return () -> state.current(probe, config.answerTimeout(), Instant.now());
  }

  private void runOnce(ReadinessProbe probe) {
    state.checkStarted(probe.name(), Instant.now());
    HealthCheckResponse answer;
    try {
      answer = probe.check();
    } catch (RuntimeException e) {
      // A probe reports its own failures; this only keeps the schedule alive if one slips out.
      answer = probe.unanswered(e.getClass().getSimpleName());
    }
    state.checkAnswered(probe.name(), answer);
  }

  private static void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key + ": " + value + " must be positive");
    }
  }
}
