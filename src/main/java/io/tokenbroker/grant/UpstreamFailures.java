package io.tokenbroker.grant;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The one classification of upstream failures into {@link GrantFailure}s: RFC 6749 section 5.2
 * error codes, Pinterest's {@code {code, message}} errors, HTTP statuses and I/O failures.
 *
 * <p>A grant is dead ({@link GrantFailure.Kind#INVALID_GRANT}) only on an explicit verdict: {@code
 * invalid_grant} in an RFC 6749 JSON error body, or Pinterest's code 283 in its JSON error body. A
 * status alone is never a verdict: edge pages (a CDN's 404, a WAF's 403 or 413, a login redirect)
 * come with statuses a token endpoint also uses, and marking a grant dead costs a person a new
 * consent. Such answers are {@link GrantFailure.Kind#PROVIDER_MISBEHAVING}.
 */
final class UpstreamFailures {

  private UpstreamFailures() {}

  static GrantFailure fromIoFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof HttpTimeoutException
          || t instanceof java.net.SocketTimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return GrantFailure.transientFailure("timeout", "no answer within the timeout", 0);
      }
      if (t instanceof ConnectException) {
        return GrantFailure.transientFailure("connection_refused", "connection refused", 0);
      }
    }
    return GrantFailure.transientFailure("io_error", "the connection failed", 0);
  }

  /** Classifies a non-2xx answer whose body may be JSON ({@code body} may be null). */
  static GrantFailure fromErrorAnswer(int status, JsonNode body, Response answer) {
    Optional<Duration> retryAfter = retryAfter(answer.getHeaderString("Retry-After"));
    if (status == 429 || status >= 500 || status == 408) {
      return new GrantFailure(
          GrantFailure.Kind.TRANSIENT,
          "http_" + status,
          "the provider is unavailable",
          status,
          retryAfter);
    }
    if (neverFromTheTokenEndpoint(status)) {
      return new GrantFailure(
          GrantFailure.Kind.PROVIDER_MISBEHAVING,
          "provider_misbehaving",
          "HTTP " + status + " is not a token endpoint's answer",
          status,
          retryAfter);
    }
    if (body != null && body.hasNonNull("error") && body.get("error").isTextual()) {
      String error = body.get("error").asText();
      String description = sanitise(body.path("error_description").asText(""));
      return new GrantFailure(
          standardKind(error), sanitise(error), description, status, retryAfter);
    }
    if (body != null && body.has("code") && body.has("message")) {
      String code = sanitise(body.get("code").asText());
      String message = sanitise(body.get("message").asText(""));
      return new GrantFailure(pinterestKind(status, code), code, message, status, retryAfter);
    }
    // No OAuth and no Pinterest error: an edge page, a redirect, an empty, truncated or foreign
    // body. Not a verdict on the grant, whatever the status.
    return new GrantFailure(
        GrantFailure.Kind.PROVIDER_MISBEHAVING,
        "provider_misbehaving",
        "HTTP " + status + " without an OAuth or Pinterest error body",
        status,
        retryAfter);
  }

  /**
   * Statuses with which something in front of the token endpoint answers (a redirect to a login or
   * maintenance page, an unknown path, a refused method, a body-size or media-type limit): the
   * request never reached the endpoint's own logic, so even a JSON body with them is no verdict.
   */
  private static boolean neverFromTheTokenEndpoint(int status) {
    return status / 100 == 3
        || status == 404
        || status == 405
        || status == 406
        || status == 413
        || status == 414
        || status == 415;
  }

  private static GrantFailure.Kind standardKind(String error) {
    return switch (error) {
      case "invalid_grant" -> GrantFailure.Kind.INVALID_GRANT;
      case "invalid_client" -> GrantFailure.Kind.INVALID_CLIENT;
      case "unauthorized_client" -> GrantFailure.Kind.UNAUTHORIZED_CLIENT;
      case "invalid_scope" -> GrantFailure.Kind.INVALID_SCOPE;
      case "temporarily_unavailable", "server_error" -> GrantFailure.Kind.TRANSIENT;
      default -> GrantFailure.Kind.REJECTED;
    };
  }

  /**
   * Pinterest's numeric codes say more than its statuses: 2 "Authentication failed." is client
   * authentication, while a refused code or refresh token (283, "The authorization grant is
   * invalid", reported with 400 and with 401) is the grant; 8 and 30 are rate limits.
   */
  private static GrantFailure.Kind pinterestKind(int status, String code) {
    return switch (code) {
      case "2" -> GrantFailure.Kind.INVALID_CLIENT;
      case "283" -> GrantFailure.Kind.INVALID_GRANT;
      case "29" -> GrantFailure.Kind.UNAUTHORIZED_CLIENT;
      case "8", "30" -> GrantFailure.Kind.TRANSIENT;
      default -> statusKind(status);
    };
  }

  /**
   * Another Pinterest error: a refusal of the request, never of the grant (only 283 is that).
   * Pinterest answers failed client authentication with 401 and a refused app with 403.
   */
  private static GrantFailure.Kind statusKind(int status) {
    if (status == 401) {
      return GrantFailure.Kind.INVALID_CLIENT;
    }
    if (status == 403) {
      return GrantFailure.Kind.UNAUTHORIZED_CLIENT;
    }
    return GrantFailure.Kind.REJECTED;
  }

  /** RFC 9110 section 10.2.3: delta-seconds or an HTTP-date. */
  static Optional<Duration> retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return seconds >= 0
          ? Optional.of(Duration.ofSeconds(Math.min(seconds, 86_400)))
          : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration delay = Duration.between(Instant.now(), at);
        return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  /** Upstream text goes into logs and problem details: keep it short and printable. */
  static String sanitise(String text) {
    String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
    return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
  }
}
