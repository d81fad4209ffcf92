package io.tokenbroker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every meter the broker exports, with every tag and tag value: the Prometheus names are those of
 * {@code helm/token-broker/files/metric-names.txt}, which the chart's alerts and dashboard use.
 *
 * <p>Cardinality stays bounded: tags take values from this package's enums, or a configured
 * provider id (anything else becomes {@code unknown}); never a connection id, a caller or a token.
 *
 * <p>A leaf package: domains map their own results to these tag values (a refresh result to a
 * {@link RefreshOutcome}, a grant failure to an {@link UpstreamOutcome}) and call in; nothing here
 * imports a domain.
 */
// Created at startup, not on first use: its series must exist before the first event.
@Startup
@ApplicationScoped
public class BrokerMetrics {

  /** The provider tag of a request whose provider is not (or not yet) known. */
  public static final String UNKNOWN_PROVIDER = "unknown";

  private final MeterRegistry registry;
  private final Set<String> providers;
  private final Meter.MeterProvider<Timer> tokenRequests;
  private static final int TOKEN_TIMER_SLOTS =
      TokenKind.values().length * TokenOutcome.values().length;
  private final Map<String, Timer[]> tokenTimers = new ConcurrentHashMap<>();
  private final Meter.MeterProvider<Timer> upstreamCalls;
  private final Meter.MeterProvider<Counter> refreshes;
  private final Meter.MeterProvider<Timer> leaseWaits;
  private final Meter.MeterProvider<Counter> authorizations;
  private final Meter.MeterProvider<Counter> vaultErrors;
  private final Counter databaseErrors;
  private final Counter auditDropped;
  private final Meter.MeterProvider<Counter> unsavedKept;
  private final Meter.MeterProvider<Counter> callerAuthFailures;
  private final Meter.MeterProvider<Counter> webhookDeliveries;
  private volatile Instant oldestPendingWebhook;
  private final Meter.MeterProvider<Timer> proxyRequests;

  BrokerMetrics(MeterRegistry registry, ProviderIds providers) {
    this.registry = registry;
    this.providers = providers.ids();
    this.tokenRequests =
        histogram("broker.token.request", "Token requests by provider, kind and outcome")
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .withRegistry(registry);
    this.upstreamCalls =
        histogram("broker.upstream.request", "Calls to provider token endpoints, by grant")
            .minimumExpectedValue(Duration.ofMillis(5))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .withRegistry(registry);
    this.refreshes =
        Counter.builder("broker.refresh")
            .description("Refresh attempts by provider, trigger and outcome")
            .withRegistry(registry);
    this.leaseWaits =
        histogram("broker.lease.wait", "Time spent waiting for another replica's refresh lease")
            .minimumExpectedValue(Duration.ofMillis(5))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .withRegistry(registry);
    this.authorizations =
        Counter.builder("broker.authorizations")
            .description("Account linking steps by provider and outcome")
            .withRegistry(registry);
    this.vaultErrors =
        Counter.builder("broker.vault.errors")
            .description("Failed Vault calls by operation")
            .withRegistry(registry);
    this.databaseErrors =
        Counter.builder("broker.database.errors")
            .description("Failed database calls")
            .register(registry);
    this.auditDropped =
        Counter.builder("broker.audit.dropped")
            .description("Audit rows dropped because the audit queue was full")
            .register(registry);
    this.unsavedKept =
        Counter.builder("broker.refresh.unsaved.kept")
            .description(
                "Rotated tokens the database refused through every write attempt, by whether"
                    + " they reached the spool on disk (written) or are in memory only (failed)")
            .withRegistry(registry);
    this.callerAuthFailures =
        Counter.builder("broker.caller.auth.failures")
            .description("Requests refused with 401 because the caller was not authenticated")
            .withRegistry(registry);
    this.webhookDeliveries =
        Counter.builder("broker.webhook.deliveries")
            .description("Webhook delivery attempts by outcome")
            .withRegistry(registry);
    this.proxyRequests =
        histogram(
                "broker.proxy.request",
                "API calls through the proxy by provider, method and status class, until the"
                    + " answer's last byte")
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .withRegistry(registry);
    registerEagerly(registry);
  }

  private static Timer.Builder histogram(String name, String description) {
    // Percentile histograms export _bucket series, which the latency alert and panels aggregate
    // across replicas; client-side percentiles could not be.
    return Timer.builder(name).description(description).publishPercentileHistogram();
  }

  /**
   * Series that must exist before their first event: gauges, and counters that alerts take a rate
   * of (a series that starts at 1 hides its first increment from {@code rate()}).
   */
  private void registerEagerly(MeterRegistry registry) {
    for (VaultOperation operation : VaultOperation.values()) {
      vaultErrors.withTags("operation", operation.tag());
    }
    for (CallerAuthFailure reason : CallerAuthFailure.values()) {
      callerAuthFailures.withTags("reason", reason.tag());
    }
    for (WebhookOutcome outcome : WebhookOutcome.values()) {
      webhookDeliveries.withTags("outcome", outcome.tag());
    }
    unsavedKept.withTags("spool", "written");
    unsavedKept.withTags("spool", "failed");
    gauge(
        registry,
        "broker.webhook.oldest.pending.age",
        Tags.empty(),
        "seconds",
        "Age of the oldest webhook event not yet delivered (0 when none waits)",
        this::oldestPendingWebhookAge);
    for (String id : providers) {
      leaseWaits.withTags("provider", id);
    }
  }

  /**
   * Registers a gauge read from this instance. A gauge left by an earlier instance in the same JVM
   * (dev-mode reload, test restarts; the registry outlives the application) is removed first:
   * Micrometer would otherwise keep it and ignore this one.
   */
  static void gauge(
      MeterRegistry registry,
      String name,
      Tags tags,
      String unit,
      String description,
      Supplier<Number> value) {
    Gauge stale = registry.find(name).tags(tags).gauge();
    if (stale != null) {
      registry.remove(stale);
    }
    Gauge.builder(name, value)
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  /**
   * One token request as the caller saw it, {@code nanos} long. The timer of each provider, kind
   * and outcome is looked up once and kept: on the hot path, building the tags and finding the
   * meter cost more than recording.
   */
  public void tokenRequest(String provider, TokenKind kind, TokenOutcome outcome, long nanos) {
    String tag = providerTag(provider);
    Timer[] timers = tokenTimers.computeIfAbsent(tag, t -> new Timer[TOKEN_TIMER_SLOTS]);
    int slot = kind.ordinal() * TokenOutcome.values().length + outcome.ordinal();
    Timer timer = timers[slot];
    if (timer == null) {
      // Two threads may both look it up; the registry hands both the same timer.
      timer = tokenRequests.withTags("provider", tag, "kind", kind.tag(), "outcome", outcome.tag());
      timers[slot] = timer;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One round trip to a token endpoint (a retry with a re-read secret is another call). */
  public void upstreamCall(String provider, String grant, UpstreamOutcome outcome, Duration took) {
    upstreamCalls
        .withTags("provider", providerTag(provider), "grant", grant, "outcome", outcome.tag())
        .record(took);
  }

  /** A refresh attempt; {@code trigger} is one of the refresh package's trigger names. */
  public void refresh(String provider, String trigger, RefreshOutcome outcome) {
    refreshes
        .withTags("provider", providerTag(provider), "trigger", trigger, "outcome", outcome.tag())
        .increment();
  }

  /**
   * Registers {@code broker_refresh_paused{provider}}: 1 while the refresher's circuit breaker of
   * the provider is open (scheduled refreshes paused, probing now and then), else 0.
   */
  public void refreshPaused(String provider, Supplier<Number> open) {
    gauge(
        registry,
        "broker.refresh.paused",
        Tags.of("provider", providerTag(provider)),
        null,
        "1 while the refresher pauses the provider (circuit breaker open)",
        open);
  }

  /**
   * Registers {@code broker_refresh_unsaved_rotations}: tokens a provider issued (spending the old
   * refresh token) that this replica has not yet written to the database. Anything above 0 for long
   * is a grant at risk: it is lost if the process stops first.
   */
  public void unsavedRotations(Supplier<Number> count) {
    gauge(
        registry,
        "broker.refresh.unsaved.rotations",
        Tags.empty(),
        null,
        "Rotated tokens the database has not taken yet (held in memory by this replica)",
        count);
  }

  /**
   * Counts {@code broker_refresh_unsaved_kept_total}: a rotation the database refused, kept until
   * it takes it; {@code spool="failed"} means it is in memory only and dies with the process.
   */
  public void rotationKeptUnsaved(boolean spooled) {
    unsavedKept.withTags("spool", spooled ? "written" : "failed").increment();
  }

  /** Time a request spent waiting because another replica held the connection's refresh lease. */
  public void leaseWait(String provider, Duration waited) {
    leaseWaits.withTags("provider", providerTag(provider)).record(waited);
  }

  /** A step of linking an account; {@code provider} is null when the callback named none. */
  public void authorization(String provider, AuthorizationOutcome outcome) {
    authorizations
        .withTags("provider", providerTag(provider), "outcome", outcome.tag())
        .increment();
  }

  /**
   * One proxied call as the caller saw it: {@code status} is the status the broker answered (the
   * provider's, or the broker's own problem), {@code method} one the proxy forwards.
   */
  public void proxyRequest(String provider, String method, int status, Duration took) {
    proxyRequests
        .withTags(
            "provider",
            providerTag(provider),
            "method",
            PROXY_METHODS.contains(method) ? method : "other",
            "status_class",
            status >= 100 && status < 600 ? (status / 100) + "xx" : "other")
        .record(took);
  }

  private static final Set<String> PROXY_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  public void vaultError(VaultOperation operation) {
    vaultErrors.withTags("operation", operation.tag()).increment();
  }

  /** A request refused with 401 (a wrong issuer or a dead JWKS shows here first). */
  public void callerAuthFailure(CallerAuthFailure reason) {
    callerAuthFailures.withTags("reason", reason.tag()).increment();
  }

  /**
   * Exports the audit queue's depth (rows recorded but not yet written) as {@code
   * broker_audit_queue_depth}: it grows while the database is slow or down, and rows are dropped
   * when it is full.
   */
  public void auditQueueDepth(Supplier<Number> depth) {
    gauge(
        registry,
        "broker.audit.queue.depth",
        Tags.empty(),
        null,
        "Audit rows waiting to be written to the database",
        depth);
  }

  public void webhookDelivery(WebhookOutcome outcome) {
    webhookDeliveries.withTags("outcome", outcome.tag()).increment();
  }

  /** When the oldest webhook event still to be delivered was written; null when none waits. */
  public void webhookBacklog(Instant oldestPending) {
    this.oldestPendingWebhook = oldestPending;
  }

  private double oldestPendingWebhookAge() {
    Instant oldest = oldestPendingWebhook;
    return oldest == null
        ? 0
        : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
  }

  public void databaseError() {
    databaseErrors.increment();
  }

  /** Audit rows that were never written: the queue was full. */
  public void auditRowsDropped(int rows) {
    auditDropped.increment(rows);
  }

  /** Counts a database error when {@code failure} was caused by one; true if it was. */
  public boolean databaseErrorIfCausedBy(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      // JDBC drivers, the pool and Hibernate all carry an SQLException somewhere in the chain.
      if (t instanceof SQLException) {
        databaseError();
        return true;
      }
    }
    return false;
  }

  /** The tag for a provider id: the id when it is configured, else {@link #UNKNOWN_PROVIDER}. */
  String providerTag(String provider) {
    return provider != null && providers.contains(provider) ? provider : UNKNOWN_PROVIDER;
  }
}
