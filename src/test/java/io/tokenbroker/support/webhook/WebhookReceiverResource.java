package io.tokenbroker.support.webhook;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link WebhookReceiver} and points the broker's webhooks at it, with a retry schedule
 * short enough for tests (the production defaults are seconds to an hour): the first retry after
 * 300 ms, doubling, at most 2 s apart; 3 s receiver timeout; polled every 100 ms.
 */
public class WebhookReceiverResource implements QuarkusTestResourceLifecycleManager {

  public static final long INITIAL_DELAY_MILLIS = 300;
  public static final long TIMEOUT_MILLIS = 3000;

  private static volatile WebhookReceiver current;

  /** The receiver of the running test application. */
  public static WebhookReceiver receiver() {
    WebhookReceiver receiver = current;
    if (receiver == null) {
      throw new IllegalStateException("no WebhookReceiver is running");
    }
    return receiver;
  }

  /** The receiver to start: one with a new random secret unless a subclass says otherwise. */
  protected WebhookReceiver newReceiver() {
    return WebhookReceiver.start();
  }

  /** Whether the broker gets the secret in configuration (false: Vault holds it). */
  protected boolean secretInConfiguration() {
    return true;
  }

  @Override
  public Map<String, String> start() {
    WebhookReceiver receiver = newReceiver();
    current = receiver;
    Map<String, String> config = new java.util.HashMap<>();
    config.put("broker.webhooks.url", receiver.url());
    if (secretInConfiguration()) {
      config.put("broker.webhooks.secret", receiver.secret());
    }
    config.put("broker.webhooks.poll-interval", "100ms");
    config.put("broker.webhooks.timeout", TIMEOUT_MILLIS + "ms");
    config.put("broker.webhooks.retry.initial-delay", INITIAL_DELAY_MILLIS + "ms");
    config.put("broker.webhooks.retry.max-delay", "2s");
    return config;
  }

  @Override
  public void stop() {
    WebhookReceiver receiver = current;
    current = null;
    if (receiver != null) {
      receiver.close();
    }
  }
}
