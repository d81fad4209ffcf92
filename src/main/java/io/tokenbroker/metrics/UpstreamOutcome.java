package io.tokenbroker.metrics;

import java.util.Locale;

/** How one call to a provider's token endpoint ended. */
public enum UpstreamOutcome {
  SUCCESS,
  INVALID_GRANT,
  INVALID_CLIENT,
  PERMANENT_ERROR,
  TRANSIENT_ERROR;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
