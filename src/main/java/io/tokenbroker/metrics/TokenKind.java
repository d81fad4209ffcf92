package io.tokenbroker.metrics;

import java.util.Locale;

/** What a token request asked for. */
public enum TokenKind {
  /** A linked account's token ({@code POST /v1/connections/{id}/access-token}). */
  CONNECTION,
  /** An app token ({@code POST /v1/providers/{provider}/client-token}). */
  CLIENT;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
