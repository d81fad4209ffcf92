package io.tokenbroker.connection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.ConnectionFigures;
import io.tokenbroker.metrics.ConnectionGauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Counts connections by provider and status, and finds each provider's soonest token expiries and
 * latest refresh, with one grouped query every {@code broker.metrics.census-interval}. Every
 * replica runs it against the same table, so every replica exports the same gauges.
 */
// Started with the application: it registers the per-status gauges before the first scrape.
@Startup
@ApplicationScoped
public class ConnectionCensus {

  private static final Logger LOG = Logger.getLogger(ConnectionCensus.class);

  private final EntityManager em;
  private final BrokerMetrics metrics;
  private final ConnectionGauges gauges;

  ConnectionCensus(EntityManager em, BrokerMetrics metrics, ConnectionGauges gauges) {
    this.em = em;
    this.metrics = metrics;
    this.gauges = gauges;
    gauges.statuses(Arrays.stream(ConnectionStatus.values()).map(ConnectionStatus::wire).toList());
  }

  @Scheduled(
      every = "${broker.metrics.census-interval:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      take();
    } catch (RuntimeException e) {
      if (!metrics.databaseErrorIfCausedBy(e)) {
        throw e;
      }
      LOG.warnf("connection census failed: %s", e.getClass().getSimpleName());
    }
  }

  /** Counts now and hands the figures to the gauges. */
  public void take() {
    List<Object[]> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createQuery(
                            "select c.provider, c.status, count(c), min(c.accessTokenExpiresAt),"
                                + " min(c.refreshTokenExpiresAt), max(c.lastRefreshedAt)"
                                + " from Connection c group by c.provider, c.status",
                            Object[].class)
                        .getResultList());
    gauges.census(fold(rows));
  }

  private static Map<String, ConnectionFigures> fold(List<Object[]> rows) {
    Map<String, ConnectionFigures> byProvider = new HashMap<>();
    for (Object[] row : rows) {
      String provider = (String) row[0];
      ConnectionStatus status = (ConnectionStatus) row[1];
      // Dead and revoked grants have nothing left to expire or refresh.
      boolean servable = status == ConnectionStatus.ACTIVE || status == ConnectionStatus.DEGRADED;
      ConnectionFigures group =
          new ConnectionFigures(
              Map.of(status.wire(), ((Number) row[2]).longValue()),
              servable ? (Instant) row[3] : null,
              servable ? (Instant) row[4] : null,
              (Instant) row[5]);
      byProvider.merge(provider, group, ConnectionCensus::merge);
    }
    return byProvider;
  }

  private static ConnectionFigures merge(ConnectionFigures a, ConnectionFigures b) {
    Map<String, Long> counts = new HashMap<>(a.counts());
    b.counts().forEach((status, n) -> counts.merge(status, n, Long::sum));
    return new ConnectionFigures(
        counts,
        earlier(a.soonestAccess(), b.soonestAccess()),
        earlier(a.soonestRefresh(), b.soonestRefresh()),
        later(a.lastRefreshed(), b.lastRefreshed()));
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }
}
