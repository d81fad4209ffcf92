package io.tokenbroker.embedded;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Makes the embedded evaluation mode impossible to miss in the startup log. */
class EmbeddedModeWarning {

  private static final Logger LOG = Logger.getLogger(EmbeddedModeWarning.class);

  void onStart(
      @Observes StartupEvent event,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
    if (EmbeddedPostgresDriver.isEmbedded(jdbcUrl)) {
      LOG.warnf(
          "EVALUATION MODE: Token Broker is running on its embedded default (a private PostgreSQL in"
              + " %s, client secrets from configuration, no Vault). Do not use this mode in"
              + " production: set quarkus.datasource.jdbc.url and quarkus.vault.url (see README).",
          jdbcUrl.substring(EmbeddedPostgresDriver.EMBEDDED_PREFIX.length()));
    }
  }
}
