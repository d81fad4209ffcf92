package io.tokenbroker.metrics;

import java.util.Locale;

/** Why a caller was refused with 401 before any endpoint ran. */
public enum CallerAuthFailure {
  /** No {@code Authorization} header. */
  MISSING,
  /** An {@code Authorization} header that is not {@code Bearer <token>}. */
  NOT_BEARER,
  /**
   * A bearer token that was refused: bad signature, unknown key (a JWKS that cannot be fetched
   * refuses every token), wrong issuer or audience, expired, or no caller name.
   */
  INVALID;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
