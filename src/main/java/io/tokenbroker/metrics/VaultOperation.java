package io.tokenbroker.metrics;

import java.util.Locale;

/** What the broker asked Vault for. */
public enum VaultOperation {
  /** Reading a client secret (KV v2). */
  KV_READ,
  /** Wrapping data keys with the Transit key. */
  WRAP,
  /** Unwrapping data keys with the Transit key. */
  UNWRAP,
  /** Rewrapping data keys after a Transit key rotation. */
  REWRAP,
  /** Checking the broker's own Vault token (logging in again if needed). */
  TOKEN_LOOKUP;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
