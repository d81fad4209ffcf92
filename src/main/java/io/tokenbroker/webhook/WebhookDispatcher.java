package io.tokenbroker.webhook;

import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.WebhookOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Sends due outbox events. Every replica runs it; the claim decides which replica sends which
 * event. A claimed batch is sent concurrently, each request bounded by {@code
 * broker.webhooks.timeout}; a 2xx answer delivers the event, anything else (another status, a
 * timeout, no connection) schedules the next attempt with exponential backoff, keeping the event's
 * id and body, until the retry window closes and the event is marked {@code failed}.
 */
@ApplicationScoped
public class WebhookDispatcher {

  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

  /** Batches per run at most, so one run cannot hold the scheduler thread indefinitely. */
  private static final int MAX_BATCHES_PER_RUN = 20;

  private static final Duration CLEANUP_EVERY = Duration.ofHours(1);

  /** The outcome of one attempt: the receiver's status (null without an answer). */
  private record Attempt(Integer status, String error) {
    boolean delivered() {
      return status != null && status / 100 == 2;
    }
  }

  private final WebhookSettings settings;
  private final DeliveryClaims claims;
  private final BrokerMetrics metrics;
  private final HttpClient http;
  private volatile Instant lastCleanup = Instant.EPOCH;
  private volatile boolean stopping;

  WebhookDispatcher(WebhookSettings settings, DeliveryClaims claims, BrokerMetrics metrics) {
    this.settings = settings;
    this.claims = claims;
    this.metrics = metrics;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.config().timeout())
            // A receiver's redirect is not followed: the signed event goes where it was configured.
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** The scheduled job's identity (tests pause it to stand for replicas that are down). */
  static final String JOB = "webhook-delivery";

  @Scheduled(
      identity = JOB,
      every = "${broker.webhooks.poll-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!settings.enabled() || stopping) {
      return;
    }
    try {
      deliverDue();
      metrics.webhookBacklog(claims.oldestPending().orElse(null));
      forgetOldDeliveries();
    } catch (RuntimeException e) {
      if (!metrics.databaseErrorIfCausedBy(e)) {
        throw e;
      }
      LOG.warnf("webhook delivery run failed: %s", e.getClass().getSimpleName());
    }
  }

  /** A run that started now would find the database gone; claimed rows are retried elsewhere. */
  void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
    stopping = true;
  }

  /**
   * Claims and sends due events until none is due (or the run's bound is reached).
   *
   * @return how many attempts were made
   */
  public int deliverDue() {
    Optional<WebhookSecret> secret = settings.secret();
    if (secret.isEmpty()) {
      return 0;
    }
    WebhookConfig config = settings.config();
    // Longer than the longest attempt, so that a claim outlives the attempt it covers.
    Duration claimFor = config.timeout().multipliedBy(2).plusSeconds(30);
    int attempts = 0;
    for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      List<DeliveryClaims.Claimed> claimed = claims.claim(config.batchSize(), claimFor);
      List<CompletableFuture<Attempt>> sent = new ArrayList<>(claimed.size());
      for (DeliveryClaims.Claimed c : claimed) {
        sent.add(send(c, secret.get()));
      }
      for (int i = 0; i < claimed.size(); i++) {
        record(claimed.get(i), sent.get(i).join());
      }
      attempts += claimed.size();
      if (claimed.size() < config.batchSize()) {
        break;
      }
    }
    return attempts;
  }

  private CompletableFuture<Attempt> send(DeliveryClaims.Claimed c, WebhookSecret secret) {
    long timestamp = Instant.now().getEpochSecond();
    Duration timeout = settings.config().timeout();
    HttpRequest request =
        HttpRequest.newBuilder(settings.target())
            .timeout(timeout)
            .header("content-type", "application/json")
            .header("user-agent", "token-broker-webhooks")
            .header("webhook-id", c.id())
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", WebhookSigner.sign(secret, c.id(), timestamp, c.payload()))
            .POST(HttpRequest.BodyPublishers.ofString(c.payload()))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        // The request timeout ends at the answer's headers; this bounds a body that trickles.
        .orTimeout(timeout.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS)
        .thenApply(answer -> new Attempt(answer.statusCode(), "HTTP " + answer.statusCode()))
        .exceptionally(failure -> new Attempt(null, describe(failure)));
  }

  private void record(DeliveryClaims.Claimed c, Attempt attempt) {
    if (attempt.delivered()) {
      if (claims.delivered(c, attempt.status())) {
        metrics.webhookDelivery(WebhookOutcome.DELIVERED);
      }
      return;
    }
    Instant retryAt = Instant.now().plus(backoff(c.attempt()));
    Optional<String> state = claims.failed(c, attempt.status(), attempt.error(), retryAt);
    if (state.isEmpty()) {
      return;
    }
    if (WebhookDelivery.FAILED.equals(state.get())) {
      metrics.webhookDelivery(WebhookOutcome.FAILED);
      LOG.errorf(
          "webhook %s failed for good after %d attempts (last: %s); redeliver it from"
              + " /v1/admin/webhook-deliveries",
          c.id(), c.attempt(), attempt.error());
    } else {
      metrics.webhookDelivery(WebhookOutcome.RETRY);
      LOG.warnf(
          "webhook %s attempt %d failed (%s); next attempt at %s",
          c.id(), c.attempt(), attempt.error(), retryAt);
    }
  }

  /** The wait after the {@code attempt}-th failed attempt: initial delay, doubled, capped. */
  Duration backoff(int attempt) {
    WebhookConfig.Retry retry = settings.config().retry();
    Duration delay = retry.initialDelay();
    for (int i = 1; i < attempt && delay.compareTo(retry.maxDelay()) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(retry.maxDelay()) > 0 ? retry.maxDelay() : delay;
  }

  private void forgetOldDeliveries() {
    Instant now = Instant.now();
    if (lastCleanup.plus(CLEANUP_EVERY).isAfter(now)) {
      return;
    }
    lastCleanup = now;
    int forgotten = claims.forgetDeliveredBefore(now.minus(settings.config().retention()));
    if (forgotten > 0) {
      LOG.infof("webhooks: %d delivered events older than the retention deleted", forgotten);
    }
  }

  private static String describe(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return "timeout";
    }
    return "no answer (" + cause.getClass().getSimpleName() + ")";
  }
}
