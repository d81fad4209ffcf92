package io.tokenbroker.caller;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;
import io.tokenbroker.embedded.EmbeddedPostgresDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The embedded default's own caller-token key pair. It exists only when the broker runs on its
 * embedded database <em>and</em> no caller key is configured: then there is no identity provider to
 * trust, so the broker trusts a key it generated itself and can mint tokens for local trials. As
 * soon as either condition is false (a real database, or an issuer's key), the pair is neither
 * created, loaded nor trusted.
 */
@ApplicationScoped
class LocalCallerKeys {

  private static final Logger LOG = Logger.getLogger(LocalCallerKeys.class);

  private final Optional<KeyPair> keys;
  private final Path directory;
  private final boolean callerKeyConfigured;

  LocalCallerKeys(
      CallerConfig config,
      JWTAuthContextInfoProvider configured,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl) {
    this.directory = config.embeddedKeyDirectory();
    this.callerKeyConfigured = hasVerificationKey(configured.getContextInfo());
    this.keys =
        applies(jdbcUrl.orElse(null), callerKeyConfigured)
            ? Optional.of(loadOrCreate(directory))
            : Optional.empty();
  }

  /** Whether the broker trusts (and may mint with) its own key pair. */
  static boolean applies(String jdbcUrl, boolean callerKeyConfigured) {
    return EmbeddedPostgresDriver.isEmbedded(jdbcUrl) && !callerKeyConfigured;
  }

  /** Whether SmallRye JWT was given any key to verify caller tokens with. */
  static boolean hasVerificationKey(JWTAuthContextInfo info) {
    return info.getPublicKeyContent() != null
        || info.getPublicKeyLocation() != null
        || info.getPublicVerificationKey() != null
        || info.getSecretKeyContent() != null
        || info.getSecretVerificationKey() != null;
  }

  Optional<KeyPair> keyPair() {
    return keys;
  }

  boolean active() {
    return keys.isPresent();
  }

  /** Creates the pair on first start, not on the first request, and says which keys are trusted. */
  void onStart(@Observes StartupEvent event) {
    if (active()) {
      LOG.warnf(
          "Caller JWTs are verified with the broker's own key in %s (embedded default, no"
              + " mp.jwt.verify.publickey.location set). Get a token on this machine with POST"
              + " /dev/caller-token.",
          directory.toAbsolutePath().normalize());
    } else if (!callerKeyConfigured) {
      LOG.warn(
          "No caller JWT key is configured (mp.jwt.verify.publickey.location): every API request"
              + " will be refused with 401.");
    }
  }

  private static KeyPair loadOrCreate(Path directory) {
    try {
      return CallerKeyFiles.loadOrCreate(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("the caller key pair in " + directory + " is not usable", e);
    }
  }
}
