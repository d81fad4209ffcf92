package io.tokenbroker.crypto;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Provider client secrets from Vault KV v2: {@code client_secret} and optional {@code
 * client_secret_previous} at {@code <mount>/data/<path template with the provider id>}. Secrets are
 * cached for {@code broker.crypto.secrets.cache-ttl}; while Vault is unreachable an expired cached
 * secret is still served (a rotated secret is noticed upstream as {@code invalid_client}, whose
 * {@link #reload} then fails clearly instead).
 */
final class VaultSecretStore implements SecretStore {

  private static final Logger LOG = Logger.getLogger(VaultSecretStore.class);
  static final String CURRENT = "client_secret";
  static final String PREVIOUS = "client_secret_previous";

  /** A provider id becomes part of a Vault path: no slashes, dots or other path syntax. */
  private static final Pattern PROVIDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private record Cached(ClientSecret secret, Instant readAt) {}

  private final VaultGateway vault;
  private final CryptoConfig.Secrets config;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  VaultSecretStore(VaultGateway vault, CryptoConfig.Secrets config) {
    this.vault = vault;
    this.config = config;
  }

  @Override
  public ClientSecret clientSecret(String providerId) {
    Cached cached = cache.get(providerId);
    if (cached != null && cached.readAt().plus(config.cacheTtl()).isAfter(Instant.now())) {
      return cached.secret();
    }
    try {
      return reload(providerId);
    } catch (VaultUnavailableException e) {
      if (cached == null) {
        throw e;
      }
      LOG.warnf(
          "Vault is unavailable; using the client secret of provider %s read at %s",
          providerId, cached.readAt());
      return cached.secret();
    }
  }

  @Override
  public ClientSecret reload(String providerId) {
    String path = path(providerId);
    String where = config.kvMount() + "/data/" + path;
    Map<String, Object> data =
        vault
            .readKv(path)
            .orElseThrow(
                () ->
                    unavailable(
                        "Vault holds no client secret for provider '"
                            + providerId
                            + "' (expected a KV v2 secret at "
                            + where
                            + ")."));
    String current = text(data.get(CURRENT));
    if (current == null) {
      throw unavailable(
          "The Vault secret "
              + where
              + " has no '"
              + CURRENT
              + "' key for provider '"
              + providerId
              + "'.");
    }
    ClientSecret secret = new ClientSecret(current, Optional.ofNullable(text(data.get(PREVIOUS))));
    cache.put(providerId, new Cached(secret, Instant.now()));
    return secret;
  }

  @Override
  public Optional<String> brokerSecret(String configKey, String vaultPath, String vaultKey) {
    return vault.readKv(vaultPath).map(data -> text(data.get(vaultKey)));
  }

  @Override
  public boolean readsVault() {
    return true;
  }

  private String path(String providerId) {
    if (providerId == null || !PROVIDER_ID.matcher(providerId).matches()) {
      throw BrokerException.invalid("A provider id must match " + PROVIDER_ID.pattern() + ".");
    }
    return config.pathTemplate().replace("{provider}", providerId);
  }

  private static String text(Object value) {
    return value instanceof String s && !s.isEmpty() ? s : null;
  }

  private static BrokerException unavailable(String detail) {
    return new BrokerException(ProblemCode.SERVICE_UNAVAILABLE, detail);
  }
}
