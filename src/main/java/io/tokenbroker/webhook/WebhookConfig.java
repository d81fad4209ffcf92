package io.tokenbroker.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks to the team that owns the connections. Off unless {@code broker.webhooks.url} is set;
 * every setting is checked at startup and a wrong one fails the start, naming its key.
 */
@ConfigMapping(prefix = "broker.webhooks")
public interface WebhookConfig {

  /** Where events are POSTed (http or https). No default: unset turns webhooks off. */
  Optional<String> url();

  /**
   * The signing secret, {@code whsec_} followed by the base64 of 24 to 64 random bytes (Standard
   * Webhooks). Used only without Vault; with Vault configured the secret is read from {@link
   * #vaultPath()} and this key must stay unset.
   */
  Optional<String> secret();

  /**
   * Path of the KV v2 secret, inside {@code broker.crypto.secrets.kv-mount}, whose key {@code
   * secret} holds the signing secret when Vault is configured. Default {@code
   * token-broker/webhooks}.
   */
  @WithDefault("token-broker/webhooks")
  String vaultPath();

  /**
   * Event types to send, comma-separated (e.g. {@code
   * connection.reauthorization_required,connection.revoked}). Default: all five.
   */
  Optional<List<String>> events();

  /** Longest wait for the receiver to connect and answer one delivery. Default {@code 10S}. */
  @WithDefault("10S")
  Duration timeout();

  /** How often each replica looks for due deliveries. Default {@code 1s}. */
  @WithDefault("1s")
  String pollInterval();

  /** Deliveries one replica claims and sends at once. Default {@code 16}. */
  @WithDefault("16")
  int batchSize();

  /** Delivered events are deleted after this long. Default {@code 7D}. */
  @WithDefault("7D")
  Duration retention();

  Retry retry();

  interface Retry {

    /** Wait after the first failed attempt; doubled after each further one. Default {@code 5S}. */
    @WithDefault("5S")
    Duration initialDelay();

    /** Longest wait between two attempts. Default {@code 1H}. */
    @WithDefault("1H")
    Duration maxDelay();

    /**
     * How long an event is retried before it is marked {@code failed} (then only an administrator's
     * redeliver sends it again). At least {@code 24H}. Default {@code 26H}.
     */
    @WithDefault("26H")
    Duration giveUpAfter();
  }
}
