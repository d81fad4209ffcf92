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
  static GrantFailure fromErrorAnswer(GrantType grant, int status, JsonNode body, Response answer) {
    Optional<Duration> retryAfter = retryAfter(answer.getHeaderString("Retry-After"));
    if (status == 429 || status >= 500 || status == 408) {
      return new GrantFailure(
          GrantFailure.Kind.TRANSIENT,
          "http_" + status,
          "the provider is unavailable",
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
      return new GrantFailure(
          pinterestKind(grant, status, code), code, message, status, retryAfter);
    }
    return new GrantFailure(statusKind(grant, status), "http_" + status, "", status, retryAfter);
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
  private static GrantFailure.Kind pinterestKind(GrantType grant, int status, String code) {
    return switch (code) {
      case "2" -> GrantFailure.Kind.INVALID_CLIENT;
      case "283" -> GrantFailure.Kind.INVALID_GRANT;
      case "29" -> GrantFailure.Kind.UNAUTHORIZED_CLIENT;
      case "8", "30" -> GrantFailure.Kind.TRANSIENT;
      default -> statusKind(grant, status);
    };
  }

  private static GrantFailure.Kind statusKind(GrantType grant, int status) {
    if (status == 401) {
      return GrantFailure.Kind.INVALID_CLIENT;
    }
    if (status == 403) {
      return GrantFailure.Kind.UNAUTHORIZED_CLIENT;
    }
    // A plain 400 to a code or refresh grant means the grant itself was refused.
    return grant == GrantType.CLIENT_CREDENTIALS
        ? GrantFailure.Kind.REJECTED
        : GrantFailure.Kind.INVALID_GRANT;
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
