package io.tokenbroker.metrics;

import java.util.Locale;

/** Steps of linking an account. */
public enum AuthorizationOutcome {
  /** An authorization URL was handed out. */
  STARTED,
  /** The callback linked (or re-linked) the account. */
  COMPLETED,
  /** The person refused consent at the provider. */
  DENIED,
  /** The callback could not finish: no code, or the provider refused the exchange. */
  FAILED,
  /** The callback's state was missing, unknown, expired, replayed or for another provider. */
  INVALID_STATE;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
