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

  /** Resource argument: the secret to verify with (default: a new random one). */
  public static final String SECRET_ARG = "secret";

  /** Resource argument: {@code false} leaves broker.webhooks.secret unset (Vault holds it). */
  public static final String SECRET_IN_CONFIG_ARG = "secret-in-config";

  private static volatile WebhookReceiver current;
  private Map<String, String> args = Map.of();

  /** The receiver of the running test application. */
  public static WebhookReceiver receiver() {
    WebhookReceiver receiver = current;
    if (receiver == null) {
      throw new IllegalStateException("no WebhookReceiver is running");
    }
    return receiver;
  }

  @Override
  public Map<String, String> start() {
    WebhookReceiver receiver = WebhookReceiver.start();
    current = receiver;
    return Map.of(
        "broker.webhooks.url",
        receiver.url(),
        "broker.webhooks.secret",
        receiver.secret(),
        "broker.webhooks.poll-interval",
        "100ms",
        "broker.webhooks.timeout",
        TIMEOUT_MILLIS + "ms",
        "broker.webhooks.retry.initial-delay",
        INITIAL_DELAY_MILLIS + "ms",
        "broker.webhooks.retry.max-delay",
        "2s");
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
