package io.tokenbroker.metrics;

import java.util.Locale;

/** How a token request ended, as the caller saw it. */
public enum TokenOutcome {
  ISSUED,
  DENIED,
  NOT_FOUND,
  INSUFFICIENT_SCOPE,
  REAUTHORIZATION_REQUIRED,
  UPSTREAM_UNAVAILABLE,
  INVALID_REQUEST,
  ERROR;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
