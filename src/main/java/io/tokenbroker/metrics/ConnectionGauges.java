package io.tokenbroker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The gauges read from the latest census of the connection table: connections by provider and
 * status, each provider's soonest token expiries and latest refresh. The connection package takes
 * the census and hands the figures here.
 */
// Created at startup, not on first use: its series must exist before the first scrape.
@Startup
@ApplicationScoped
public class ConnectionGauges {

  private final MeterRegistry registry;
  private final Set<String> providers;
  private volatile Map<String, ConnectionFigures> census;

  ConnectionGauges(MeterRegistry registry, ProviderIds providers) {
    this.registry = registry;
    this.providers = providers.ids();
    for (String id : this.providers) {
      BrokerMetrics.gauge(
          registry,
          "broker.access.token.soonest.expiry",
          Tags.of("provider", id),
          "seconds",
          "Seconds until the soonest access token of a servable connection expires",
          () -> secondsUntil(figures(id, ConnectionFigures::soonestAccess)));
      BrokerMetrics.gauge(
          registry,
          "broker.refresh.token.soonest.expiry",
          Tags.of("provider", id),
          "seconds",
          "Seconds until the soonest refresh token of a servable connection expires",
          () -> secondsUntil(figures(id, ConnectionFigures::soonestRefresh)));
      BrokerMetrics.gauge(
          registry,
          "broker.refresh.last.success.timestamp",
          Tags.of("provider", id),
          "seconds",
          "When a connection of the provider last got new tokens (Unix time)",
          () -> epochSeconds(figures(id, ConnectionFigures::lastRefreshed)));
    }
  }

  /**
   * Registers {@code broker_connections{provider,status}} for every configured provider and each of
   * {@code statuses} (the connection package's status names).
   */
  public void statuses(Collection<String> statuses) {
    for (String id : providers) {
      for (String status : statuses) {
        BrokerMetrics.gauge(
            registry,
            "broker.connections",
            Tags.of("provider", id, "status", status),
            null,
            "Connections by provider and status, from the database",
            () -> connections(id, status));
      }
    }
  }

  /** Takes the figures of the latest census, by provider id. */
  public void census(Map<String, ConnectionFigures> figures) {
    this.census = Map.copyOf(figures);
  }

  private double connections(String provider, String status) {
    Map<String, ConnectionFigures> latest = census;
    if (latest == null) {
      return Double.NaN;
    }
    ConnectionFigures figures = latest.get(provider);
    return figures == null ? 0 : figures.count(status);
  }

  private Instant figures(String provider, Function<ConnectionFigures, Instant> which) {
    Map<String, ConnectionFigures> latest = census;
    ConnectionFigures figures = latest == null ? null : latest.get(provider);
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
