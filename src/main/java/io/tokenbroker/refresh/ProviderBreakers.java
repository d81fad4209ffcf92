package io.tokenbroker.refresh;

import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One circuit breaker per provider, in this replica's refresher: when a provider's token endpoint
 * misbehaves for everyone (edge pages, outages, a refused client secret) or suddenly calls many
 * grants dead at once, the scheduler stops asking it, so that one bad minute upstream costs a few
 * calls instead of a degraded or dead connection for every due account.
 *
 * <p>It opens on {@code broker.refresh.breaker.failure-threshold} consecutive failures that are not
 * about one grant, or on a burst of {@code invalid_grant}: at least {@code
 * invalid-grant-min-connections} connections and {@code invalid-grant-min-share} of the answers in
 * {@code invalid-grant-window}. While open, the scheduler claims nothing of the provider except one
 * probe per {@code probe-interval}; an answer that is not a provider-wide failure closes it.
 * Verdicts of {@code invalid_grant} that arrive while it is open (including the one that trips it)
 * are withheld: the connection is degraded and retried, not marked dead. Verdicts given before the
 * trip stand, as each was an explicit verdict; an operator who finds them wrong undoes them with
 * the admin refresh ({@code POST /v1/connections/{id}/refresh}).
 */
@ApplicationScoped
public class ProviderBreakers {

  private static final Logger LOG = Logger.getLogger(ProviderBreakers.class);

  private final RefreshConfig.Breaker config;
  private final Map<String, ProviderBreaker> breakers = new ConcurrentHashMap<>();

  ProviderBreakers(RefreshConfig config, ProviderCatalog providers, BrokerMetrics metrics) {
    this.config = config.breaker();
    for (Provider provider : providers.all()) {
      ProviderBreaker breaker = new ProviderBreaker(provider.id(), this.config);
      breakers.put(provider.id(), breaker);
      metrics.refreshPaused(provider.id(), () -> breaker.isOpen() ? 1 : 0);
    }
  }

  private ProviderBreaker of(String provider) {
    return breakers.computeIfAbsent(provider, id -> new ProviderBreaker(id, config));
  }

  /**
   * Asks to start one scheduled attempt on {@code provider}. Waits while as many attempts are in
   * flight as could still fail before the threshold; false when the breaker is open and no probe is
   * due (the run leaves this provider alone). Every true must be followed by {@link #finished}.
   */
  boolean admit(String provider) throws InterruptedException {
    return of(provider).admit(Instant.now());
  }

  /** An admitted attempt is over, whatever it did. */
  void finished(String provider) {
    of(provider).finished();
  }

  /** Whether the scheduler pauses this provider now (for readiness details, tests and logs). */
  public boolean isOpen(String provider) {
    return of(provider).isOpen();
  }

  /** The token endpoint gave new tokens: it works. */
  void succeeded(String provider) {
    if (of(provider).succeeded(Instant.now())) {
      LOG.infof("provider %s answers again: refresher resumed", provider);
    }
  }

  /** The token endpoint failed in a way that would fail any grant (outage, edge page, client). */
  void failedForAll(String provider, Object failure) {
    if (of(provider).failedForAll(Instant.now())) {
      LOG.errorf(
          "provider %s: %d consecutive refreshes failed (last: %s); refresher paused, probing every"
              + " %s",
          provider, config.failureThreshold(), failure, config.probeInterval());
    }
  }

  /**
   * The token endpoint called one grant dead. True when the verdict must be withheld (the breaker
   * is open, or this verdict trips it): the caller degrades the connection instead of marking it.
   */
  boolean withholdInvalidGrant(String provider, UUID connection) {
    ProviderBreaker.Verdict verdict = of(provider).invalidGrant(connection, Instant.now());
    if (verdict == ProviderBreaker.Verdict.TRIPPED) {
      LOG.errorf(
          "provider %s called many grants dead within %s (at least %d connections, %.0f%% of"
              + " answers); refresher paused and further invalid_grant verdicts withheld",
          provider,
          config.invalidGrantWindow(),
          config.invalidGrantMinConnections(),
          config.invalidGrantMinShare() * 100);
    }
    return verdict != ProviderBreaker.Verdict.STANDS;
  }

  /** The next scheduled attempt of an open breaker is its probe, now (tests). */
  void probeDueNow(String provider) {
    of(provider).probeDueNow();
  }

  /** Closes every breaker (tests start from a healthy provider). */
  void resetAll() {
    breakers.values().forEach(ProviderBreaker::reset);
  }
}
