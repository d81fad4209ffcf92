package io.tokenbroker.refresh;

import io.quarkus.runtime.StartupEvent;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Warns at startup when the database pool is too small for the scheduled refresher: every worker
 * may hold a connection at once, and a pool they fill makes them queue for it (the configured
 * concurrency is then not real) and leaves requests waiting behind them.
 */
@ApplicationScoped
class RefreshPoolCheck {

  /** Pool connections to leave for requests, the census and the audit flush. */
  static final int REQUEST_HEADROOM = 5;

  private static final Logger LOG = Logger.getLogger(RefreshPoolCheck.class);

  private final RefreshConfig config;
  private final ProviderCatalog providers;
  private final int poolMaxSize;

  RefreshPoolCheck(
      RefreshConfig config,
      ProviderCatalog providers,
      @ConfigProperty(name = "quarkus.datasource.jdbc.max-size", defaultValue = "20")
          int poolMaxSize) {
    this.config = config;
    this.providers = providers;
    this.poolMaxSize = poolMaxSize;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.schedulerEnabled()) {
      warning(poolMaxSize, providers.all().size(), config.concurrencyPerProvider())
          .ifPresent(LOG::warn);
    }
  }

  static Optional<String> warning(int poolMaxSize, int providers, int concurrencyPerProvider) {
    int workers = concurrencyPerProvider * providers;
    if (poolMaxSize >= workers + REQUEST_HEADROOM) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "quarkus.datasource.jdbc.max-size=%d is too small for the scheduled refresher:"
                + " %d providers x broker.refresh.concurrency-per-provider=%d = %d workers, plus %d"
                + " for requests; set it to at least %d (and within what PostgreSQL allows)",
            poolMaxSize,
            providers,
            concurrencyPerProvider,
            workers,
            REQUEST_HEADROOM,
            workers + REQUEST_HEADROOM));
  }
}
