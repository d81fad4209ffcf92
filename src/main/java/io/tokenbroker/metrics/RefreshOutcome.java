package io.tokenbroker.metrics;

import java.util.Locale;

/**
 * How a refresh attempt ended. {@code skipped}: nothing was spent (already fresh, another replica
 * holds the lease, or the connection is backing off). {@code provider_misbehaving}: the token
 * endpoint answered something that is no verdict (an edge page, a redirect, a truncated body);
 * retried like a transient failure.
 */
public enum RefreshOutcome {
  SUCCESS,
  SKIPPED,
  TRANSIENT_FAILURE,
  PROVIDER_MISBEHAVING,
  PERMANENT_FAILURE;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
