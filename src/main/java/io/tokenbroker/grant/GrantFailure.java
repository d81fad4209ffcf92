package io.tokenbroker.grant;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a token-endpoint call failed, classified once so that every caller decides the same way:
 * {@link Kind#isTransient()} failures are retried with backoff, the others end the attempt.
 *
 * @param kind the classification
 * @param error the upstream error code as sent (RFC 6749 {@code error}, or Pinterest's numeric
 *     {@code code}), or a broker word such as {@code timeout}; never a token
 * @param description a short, sanitised description for logs and problem details
 * @param httpStatus the upstream HTTP status, or 0 when no answer arrived
 * @param retryAfter the upstream's Retry-After, when it sent one
 */
public record GrantFailure(
    Kind kind, String error, String description, int httpStatus, Optional<Duration> retryAfter) {

  public enum Kind {
    /** The grant (code or refresh token) is invalid, expired, revoked or already used. */
    INVALID_GRANT(false),
    /** The provider did not accept the broker's client authentication. */
    INVALID_CLIENT(false),
    /** The client may not use this grant. */
    UNAUTHORIZED_CLIENT(false),
    /** A requested scope is invalid or exceeds the grant. */
    INVALID_SCOPE(false),
    /** Any other refusal: malformed request, unsupported grant, unknown 4xx. */
    REJECTED(false),
    /** 5xx, 429, timeouts, refused connections: worth retrying later. */
    TRANSIENT(true),
    /**
     * An answer that is no verdict at all: an HTML or other non-JSON body, a redirect, an empty or
     * truncated body, JSON that is neither an OAuth nor a Pinterest error, a 2xx without a token. A
     * CDN, WAF or proxy in front of the token endpoint sends such pages; they say nothing about the
     * grant, so they are retried like {@link #TRANSIENT} and counted apart.
     */
    PROVIDER_MISBEHAVING(true);

    private final boolean transientFailure;

    Kind(boolean transientFailure) {
      this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
      return transientFailure;
    }
  }

  public static GrantFailure transientFailure(String error, String description, int status) {
    return new GrantFailure(Kind.TRANSIENT, error, description, status, Optional.empty());
  }

  public static GrantFailure providerMisbehaving(String error, String description, int status) {
    return new GrantFailure(
        Kind.PROVIDER_MISBEHAVING, error, description, status, Optional.empty());
  }

  /**
   * True when the failure is about the provider rather than this one grant: the same answer would
   * come for any connection (a circuit breaker counts these).
   */
  public boolean isProviderWide() {
    return kind != Kind.INVALID_GRANT && kind != Kind.INVALID_SCOPE;
  }

  @Override
  public String toString() {
    return kind + "(" + error + (httpStatus > 0 ? ", HTTP " + httpStatus : "") + ")";
  }
}
