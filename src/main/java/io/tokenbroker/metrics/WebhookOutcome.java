package io.tokenbroker.metrics;

import java.util.Locale;

/** How one webhook delivery attempt ended. */
public enum WebhookOutcome {
  /** The receiver answered 2xx. */
  DELIVERED,
  /** The attempt failed (non-2xx, timeout, no connection); another is scheduled. */
  RETRY,
  /** The attempt failed and the retry window is over: the event waits for a redeliver. */
  FAILED;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
