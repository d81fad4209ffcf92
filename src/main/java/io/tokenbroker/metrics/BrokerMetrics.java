package io.tokenbroker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.grant.GrantFailure;
import io.tokenbroker.grant.GrantType;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.refresh.RefreshResult;
import io.tokenbroker.refresh.RefreshTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every meter the broker exports, with every tag and tag value: the Prometheus names are those of
 * {@code helm/token-broker/files/metric-names.txt}, which the chart's alerts and dashboard use.
 *
 * <p>Cardinality stays bounded: tags take values from the enums below or a configured provider id
 * (anything else becomes {@code unknown}); never a connection id, a caller or a token.
 */
// Created at startup, not on first use: its series must exist before the first event.
@Startup
@ApplicationScoped
public class BrokerMetrics {

  /** The provider tag of a request whose provider is not (or not yet) known. */
  public static final String UNKNOWN_PROVIDER = "unknown";

  /** What a token request asked for. */
  public enum TokenKind {
    /** A linked account's token ({@code POST /v1/connections/{id}/access-token}). */
    CONNECTION,
    /** An app token ({@code POST /v1/providers/{provider}/client-token}). */
    CLIENT;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a token request ended, as the caller saw it. */
  public enum TokenOutcome {
    ISSUED,
    DENIED,
    NOT_FOUND,
    INSUFFICIENT_SCOPE,
    REAUTHORIZATION_REQUIRED,
    UPSTREAM_UNAVAILABLE,
    INVALID_REQUEST,
    ERROR;

    /** The outcome of a request that failed with {@code failure}. */
    public static TokenOutcome of(Throwable failure) {
      if (failure instanceof io.quarkus.security.ForbiddenException) {
        return DENIED;
      }
      if (!(failure instanceof BrokerException broker)) {
        return ERROR;
      }
      return switch (broker.code()) {
        case FORBIDDEN -> DENIED;
        case NOT_FOUND -> NOT_FOUND;
        case INSUFFICIENT_SCOPE -> INSUFFICIENT_SCOPE;
        case REAUTHORIZATION_REQUIRED -> REAUTHORIZATION_REQUIRED;
        case UPSTREAM_UNAVAILABLE -> UPSTREAM_UNAVAILABLE;
        case MALFORMED_REQUEST, VALIDATION_FAILED -> INVALID_REQUEST;
        default -> ERROR;
      };
    }

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How one call to a provider's token endpoint ended. */
  public enum UpstreamOutcome {
    SUCCESS,
    INVALID_GRANT,
    INVALID_CLIENT,
    PERMANENT_ERROR,
    TRANSIENT_ERROR;

    /** The outcome of a call that failed as {@code failure} says, or succeeded when it is null. */
    public static UpstreamOutcome of(GrantFailure failure) {
      if (failure == null) {
        return SUCCESS;
      }
      return switch (failure.kind()) {
        case INVALID_GRANT -> INVALID_GRANT;
        case INVALID_CLIENT -> INVALID_CLIENT;
        // Told apart on broker_refresh_total; here a round trip that got no verdict.
        case TRANSIENT, PROVIDER_MISBEHAVING -> TRANSIENT_ERROR;
        case UNAUTHORIZED_CLIENT, INVALID_SCOPE, REJECTED -> PERMANENT_ERROR;
      };
    }

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * How a refresh attempt ended. {@code skipped}: nothing was spent (already fresh, another replica
   * holds the lease, or the connection is backing off). {@code provider_misbehaving}: the token
   * endpoint answered something that is no verdict (an edge page, a redirect, a truncated body);
   * retried like a transient failure.
   */
  public enum RefreshOutcome {
    SUCCESS,
    SKIPPED,
    TRANSIENT_FAILURE,
    PROVIDER_MISBEHAVING,
    PERMANENT_FAILURE;

    /** The outcome of {@code result}; null for a connection that no longer exists. */
    public static RefreshOutcome of(RefreshResult result) {
      return switch (result.outcome()) {
        case REFRESHED -> SUCCESS;
        case ALREADY_FRESH, BUSY -> SKIPPED;
        case RETRY_LATER ->
            result
                .failure()
                .map(
                    f ->
                        f.kind() == GrantFailure.Kind.PROVIDER_MISBEHAVING
                            ? PROVIDER_MISBEHAVING
                            : TRANSIENT_FAILURE)
                .orElse(SKIPPED);
        case REAUTHORIZATION_REQUIRED -> PERMANENT_FAILURE;
        case GONE -> null;
      };
    }

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Steps of linking an account. */
  public enum AuthorizationOutcome {
    /** An authorization URL was handed out. */
    STARTED,
    /** The callback linked (or re-linked) the account. */
    COMPLETED,
    /** The person refused consent at the provider. */
    DENIED,
    /** The callback could not finish: no code, or the provider refused the exchange. */
    FAILED,
    /** The callback's state was missing, unknown, expired, replayed or for another provider. */
    INVALID_STATE;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How one webhook delivery attempt ended. */
  public enum WebhookOutcome {
    /** The receiver answered 2xx. */
    DELIVERED,
    /** The attempt failed (non-2xx, timeout, no connection); another is scheduled. */
    RETRY,
    /** The attempt failed and the retry window is over: the event waits for a redeliver. */
    FAILED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the broker asked Vault for. */
  public enum VaultOperation {
    /** Reading a client secret (KV v2). */
    KV_READ,
    /** Wrapping data keys with the Transit key. */
    WRAP,
    /** Unwrapping data keys with the Transit key. */
    UNWRAP,
    /** Rewrapping data keys after a Transit key rotation. */
    REWRAP,
    /** Checking the broker's own Vault token (logging in again if needed). */
    TOKEN_LOOKUP;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why a caller was refused with 401 before any endpoint ran. */
  public enum CallerAuthFailure {
    /** No {@code Authorization} header. */
    MISSING,
    /** An {@code Authorization} header that is not {@code Bearer <token>}. */
    NOT_BEARER,
    /**
     * A bearer token that was refused: bad signature, unknown key (a JWKS that cannot be fetched
     * refuses every token), wrong issuer or audience, expired, or no caller name.
     */
    INVALID;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final ProviderCatalog providers;
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
  private volatile Map<String, ConnectionCensus.ProviderFigures> census;

  BrokerMetrics(MeterRegistry registry, ProviderCatalog providers) {
    this.registry = registry;
    this.providers = providers;
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
    for (Provider provider : providers.all()) {
      String id = provider.id();
      leaseWaits.withTags("provider", id);
      for (ConnectionStatus status : ConnectionStatus.values()) {
        gauge(
            registry,
            "broker.connections",
            Tags.of("provider", id, "status", status.wire()),
            null,
            "Connections by provider and status, from the database",
            () -> connections(id, status));
      }
      gauge(
          registry,
          "broker.access.token.soonest.expiry",
          Tags.of("provider", id),
          "seconds",
          "Seconds until the soonest access token of a servable connection expires",
          () -> secondsUntil(figures(id, ConnectionCensus.ProviderFigures::soonestAccess)));
      gauge(
          registry,
          "broker.refresh.token.soonest.expiry",
          Tags.of("provider", id),
          "seconds",
          "Seconds until the soonest refresh token of a servable connection expires",
          () -> secondsUntil(figures(id, ConnectionCensus.ProviderFigures::soonestRefresh)));
      gauge(
          registry,
          "broker.refresh.last.success.timestamp",
          Tags.of("provider", id),
          "seconds",
          "When a connection of the provider last got new tokens (Unix time)",
          () -> epochSeconds(figures(id, ConnectionCensus.ProviderFigures::lastRefreshed)));
    }
  }

  /**
   * Registers a gauge read from this instance. A gauge left by an earlier instance in the same JVM
   * (dev-mode reload, test restarts; the registry outlives the application) is removed first:
   * Micrometer would otherwise keep it and ignore this one.
   */
  private static void gauge(
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
   * Runs one token request and records its latency and outcome. {@code provider} is asked after the
   * request, when a connection's provider is known; null means unknown.
   */
  public <T> T timeTokenRequest(TokenKind kind, Supplier<String> provider, Supplier<T> request) {
    long started = System.nanoTime();
    TokenOutcome outcome = TokenOutcome.ERROR;
    try {
      T answer = request.get();
      outcome = TokenOutcome.ISSUED;
      return answer;
    } catch (RuntimeException e) {
      outcome = TokenOutcome.of(e);
      throw e;
    } finally {
      tokenRequest(provider.get(), kind, outcome, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  public void tokenRequest(String provider, TokenKind kind, TokenOutcome outcome, Duration took) {
    tokenRequest(provider, kind, outcome, took.toNanos());
  }

  /**
   * As {@link #tokenRequest(String, TokenKind, TokenOutcome, Duration)}, for the hot path: the
   * timer of each provider, kind and outcome is looked up once and kept, since building the tags
   * and finding the meter cost more than recording.
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
  public void upstreamCall(
      String provider, GrantType grant, UpstreamOutcome outcome, Duration took) {
    upstreamCalls
        .withTags(
            "provider", providerTag(provider), "grant", grant.wire(), "outcome", outcome.tag())
        .record(took);
  }

  public void refresh(String provider, RefreshTrigger trigger, RefreshOutcome outcome) {
    refreshes
        .withTags(
            "provider", providerTag(provider), "trigger", trigger.wire(), "outcome", outcome.tag())
        .increment();
  }

  /** Counts a refresh attempt by its result; a connection that no longer exists is not counted. */
  public RefreshResult refresh(RefreshTrigger trigger, RefreshResult result) {
    RefreshOutcome outcome = RefreshOutcome.of(result);
    if (outcome != null) {
      refresh(result.connection().map(c -> c.provider()).orElse(null), trigger, outcome);
    }
    return result;
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

  private static final java.util.Set<String> PROXY_METHODS =
      java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

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

  /**
   * Takes the figures of the latest census of the connection table (see {@link ConnectionCensus}).
   */
  void census(Map<String, ConnectionCensus.ProviderFigures> figures) {
    this.census = Map.copyOf(figures);
  }

  /** The tag for a provider id: the id when it is configured, else {@link #UNKNOWN_PROVIDER}. */
  String providerTag(String provider) {
    return providers.find(provider).map(Provider::id).orElse(UNKNOWN_PROVIDER);
  }

  private double connections(String provider, ConnectionStatus status) {
    Map<String, ConnectionCensus.ProviderFigures> latest = census;
    if (latest == null) {
      return Double.NaN;
    }
    ConnectionCensus.ProviderFigures figures = latest.get(provider);
    return figures == null ? 0 : figures.count(status);
  }

  private Instant figures(
      String provider,
      java.util.function.Function<ConnectionCensus.ProviderFigures, Instant> which) {
    Map<String, ConnectionCensus.ProviderFigures> latest = census;
    ConnectionCensus.ProviderFigures figures = latest == null ? null : latest.get(provider);
    return figures == null ? null : which.apply(figures);
  }

  // NaN, not 0, when nothing is known: "expires in 0 s" or "last refreshed in 1970" would fire
  // alerts, while comparisons with NaN are false.
  private static double secondsUntil(Instant at) {
    return at == null ? Double.NaN : Duration.between(Instant.now(), at).toMillis() / 1000.0;
  }

  private static double epochSeconds(Instant at) {
    return at == null ? Double.NaN : at.toEpochMilli() / 1000.0;
  }
}
