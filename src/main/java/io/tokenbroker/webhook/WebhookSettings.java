package io.tokenbroker.webhook;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.crypto.SecretStore;
import io.tokenbroker.crypto.VaultUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The webhook settings, checked at startup (a wrong one fails the start and names its key), and the
 * signing secret: from configuration, or from Vault when Vault is configured, re-read every few
 * minutes so that a rotation there takes effect without a restart.
 */
@ApplicationScoped
public class WebhookSettings {

  private static final Logger LOG = Logger.getLogger(WebhookSettings.class);
  static final Duration SHORTEST_RETRY_WINDOW = Duration.ofHours(24);
  private static final Duration SECRET_CACHE = Duration.ofMinutes(5);
  private static final String VAULT_KEY = "secret";

  private record Cached(WebhookSecret secret, Instant readAt) {}

  private final WebhookConfig config;
  private final SecretStore secrets;
  private final Optional<URI> target;
  private final Set<WebhookEventType> events;
  private volatile Cached cached;

  WebhookSettings(WebhookConfig config, SecretStore secrets) {
    this.config = config;
    this.secrets = secrets;
    this.target = check(config);
    this.events = events(config);
  }

  /** Fails the start on a wrong setting; in Vault mode also checks the secret Vault holds. */
  void onStart(@Observes StartupEvent event) {
    if (target.isEmpty()) {
      return;
    }
    if (secrets.readsVault()) {
      if (config.secret().isPresent()) {
        throw new ConfigurationException(
            "broker.webhooks.secret: must not be set when Vault is configured; store the secret"
                + " in Vault at "
                + config.vaultPath()
                + ", key '"
                + VAULT_KEY
                + "'");
      }
      try {
        readSecret();
      } catch (VaultUnavailableException e) {
        LOG.warnf(
            "Vault is unavailable at startup (%s); webhooks wait for the signing secret",
            e.getMessage());
      }
    } else {
      readSecret();
    }
    LOG.infof("webhooks: %s are sent to %s", events, target.get());
  }

  public boolean enabled() {
    return target.isPresent();
  }

  /** Whether events of this type are written to the outbox at all. */
  public boolean wants(WebhookEventType type) {
    return target.isPresent() && events.contains(type);
  }

  URI target() {
    return target.orElseThrow();
  }

  WebhookConfig config() {
    return config;
  }

  /**
   * The signing secret; empty only while Vault is unreachable and no earlier copy is held (the
   * deliveries wait, nothing is sent unsigned).
   */
  Optional<WebhookSecret> secret() {
    Cached now = cached;
    if (now != null
        && (!secrets.readsVault() || now.readAt().plus(SECRET_CACHE).isAfter(Instant.now()))) {
      return Optional.of(now.secret());
    }
    try {
      return Optional.of(readSecret());
    } catch (VaultUnavailableException e) {
      if (now != null) {
        return Optional.of(now.secret());
      }
      LOG.warnf("webhook deliveries wait: the signing secret cannot be read (%s)", e.getMessage());
      return Optional.empty();
    }
  }

  private WebhookSecret readSecret() {
    String where =
        secrets.readsVault()
            ? "broker.webhooks.secret (read from Vault at " + config.vaultPath() + ")"
            : "broker.webhooks.secret";
    String text =
        secrets
            .brokerSecret("broker.webhooks.secret", config.vaultPath(), VAULT_KEY)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        secrets.readsVault()
                            ? "broker.webhooks.vault-path: Vault holds no key '"
                                + VAULT_KEY
                                + "' at "
                                + config.vaultPath()
                                + " (required when broker.webhooks.url is set)"
                            : "broker.webhooks.secret: is required when broker.webhooks.url is"
                                + " set"));
    WebhookSecret secret =
        WebhookSecret.parse(text)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        where + ": must be " + WebhookSecret.expectedFormat()));
    cached = new Cached(secret, Instant.now());
    return secret;
  }

  /** The target URL after checking every setting that needs no secret. */
  static Optional<URI> check(WebhookConfig config) {
    Optional<URI> target = config.url().filter(u -> !u.isBlank()).map(WebhookSettings::url);
    events(config);
    config
        .secret()
        .ifPresent(
            s -> {
              if (WebhookSecret.parse(s).isEmpty()) {
                throw new ConfigurationException(
                    "broker.webhooks.secret: must be " + WebhookSecret.expectedFormat());
              }
            });
    positive(config.timeout(), "broker.webhooks.timeout");
    positive(config.retry().initialDelay(), "broker.webhooks.retry.initial-delay");
    if (config.retry().maxDelay().compareTo(config.retry().initialDelay()) < 0) {
      throw new ConfigurationException(
          "broker.webhooks.retry.max-delay: must not be shorter than retry.initial-delay");
    }
    if (config.retry().giveUpAfter().compareTo(SHORTEST_RETRY_WINDOW) < 0) {
      throw new ConfigurationException(
          "broker.webhooks.retry.give-up-after: must be at least 24H (receivers may be down for a"
              + " day)");
    }
    if (config.batchSize() < 1 || config.batchSize() > 500) {
      throw new ConfigurationException("broker.webhooks.batch-size: must be 1 to 500");
    }
    positive(config.retention(), "broker.webhooks.retention");
    return target;
  }

  private static URI url(String raw) {
    try {
      URI uri = new URI(raw.trim());
      if (!uri.isAbsolute()
          || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new ConfigurationException(
            "broker.webhooks.url: must be an absolute http or https URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigurationException("broker.webhooks.url: is not a URL");
    }
  }

  private static Set<WebhookEventType> events(WebhookConfig config) {
    if (config.events().isEmpty()) {
      return EnumSet.allOf(WebhookEventType.class);
    }
    Set<WebhookEventType> wanted = EnumSet.noneOf(WebhookEventType.class);
    for (String name : config.events().get()) {
      wanted.add(
          WebhookEventType.fromWire(name.trim())
              .orElseThrow(
                  () ->
                      new ConfigurationException(
                          "broker.webhooks.events: unknown event type '"
                              + name.trim()
                              + "' (known: "
                              + Arrays.stream(WebhookEventType.values())
                                  .map(WebhookEventType::wire)
                                  .collect(Collectors.joining(", "))
                              + ")")));
    }
    return wanted;
  }

  private static void positive(Duration value, String key) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key + ": must be positive");
    }
  }
}
