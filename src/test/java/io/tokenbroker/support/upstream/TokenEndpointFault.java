package io.tokenbroker.support.upstream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * One scripted answer of the stand-in's token endpoint, queued with {@link
 * PinterestStandIn#enqueueTokenFaults}. Each queued fault answers exactly one token request, in
 * order, whatever its grant type. Immutable: the {@code with...} methods return a copy.
 *
 * <p>By default the request is <em>not</em> applied (no code redeemed, no refresh token consumed):
 * the upstream failed before doing anything. {@link #afterProcessing()} applies the request first
 * and then misbehaves, which is how a refresh token gets rotated upstream while the client never
 * learns the new one.
 */
public final class TokenEndpointFault {

  enum Kind {
    RESPOND,
    DROP_CONNECTION,
    TRUNCATED_BODY,
    REAL_ANSWER
  }

  final Kind kind;
  final int status;
  final String body;
  final Map<String, String> headers;
  final Duration delay;
  final CountDownLatch release;
  final boolean afterProcessing;

  private TokenEndpointFault(
      Kind kind,
      int status,
      String body,
      Map<String, String> headers,
      Duration delay,
      CountDownLatch release,
      boolean afterProcessing) {
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.headers = Map.copyOf(headers);
    this.delay = delay;
    this.release = release;
    this.afterProcessing = afterProcessing;
  }

  /** Answers {@code status} with {@code body} as {@code application/json}. */
  public static TokenEndpointFault respond(int status, String jsonBody) {
    Objects.requireNonNull(jsonBody, "jsonBody");
    return new TokenEndpointFault(
        Kind.RESPOND,
        status,
        jsonBody,
        Map.of("Content-Type", "application/json"),
        Duration.ZERO,
        null,
        false);
  }

  /** A Pinterest rate-limit answer: 429, code 8, with {@code Retry-After: seconds}. */
  public static TokenEndpointFault rateLimited(long retryAfterSeconds) {
    return respond(
            429,
            "{\"code\":8,\"message\":\"This request exceeded a rate limit. This can happen if the"
                + " client exceeds one of the published rate limits within a short time"
                + " window.\"}")
        .withHeader("Retry-After", Long.toString(retryAfterSeconds));
  }

  /** A gateway-style outage answer: 503 with a non-JSON body, as a load balancer would send. */
  public static TokenEndpointFault serviceUnavailable() {
    return respond(503, "<html><body>503 Service Unavailable</body></html>")
        .withHeader("Content-Type", "text/html");
  }

  /**
   * An answer from something in front of the token endpoint (a CDN or WAF error page, a login
   * redirect): {@code status} with an HTML body.
   */
  public static TokenEndpointFault htmlPage(int status) {
    return respond(status, "<!DOCTYPE html><html><body><h1>Error " + status + "</h1></body></html>")
        .withHeader("Content-Type", "text/html; charset=utf-8");
  }

  /** A redirect to a login or maintenance page, as an edge sends it. */
  public static TokenEndpointFault redirect() {
    return htmlPage(302).withHeader("Location", "https://edge.example.test/maintenance");
  }

  /** {@code status} with an empty body. */
  public static TokenEndpointFault emptyBody(int status) {
    return new TokenEndpointFault(Kind.RESPOND, status, "", Map.of(), Duration.ZERO, null, false);
  }

  /** Every answer that is no verdict on the grant: edge pages, redirects, broken bodies. */
  public static java.util.List<TokenEndpointFault> noVerdictAnswers() {
    return java.util.List.of(
        htmlPage(404),
        redirect(),
        htmlPage(405),
        htmlPage(413),
        htmlPage(415),
        htmlPage(400),
        htmlPage(403),
        emptyBody(400),
        respond(400, "{\"status\":\"failure\",\"detail\":\"nope\"}"),
        respond(404, "{\"error\":\"invalid_grant\"}"),
        truncatedBody(400, "{\"error\":\"invalid_grant\",\"error_description\":\"x\"}"),
        truncatedBody(200, "{\"access_token\":\"pina.abc\",\"expires_in\":60}"),
        respond(200, "{\"token\":\"not-oauth\"}"));
  }

  /** Closes the connection without sending a byte of response. */
  public static TokenEndpointFault dropConnection() {
    return new TokenEndpointFault(
        Kind.DROP_CONNECTION, 0, "", Map.of(), Duration.ZERO, null, false);
  }

  /**
   * Sends the status line, headers and a {@code Content-Length} for all of {@code jsonBody}, then
   * only its first half, then closes the connection.
   */
  public static TokenEndpointFault truncatedBody(int status, String jsonBody) {
    return new TokenEndpointFault(
        Kind.TRUNCATED_BODY,
        status,
        jsonBody,
        Map.of("Content-Type", "application/json"),
        Duration.ZERO,
        null,
        false);
  }

  /**
   * Not a fault in itself: the request is processed for real (a refresh token is rotated) and its
   * real answer sent, but late when combined with {@link #heldUntil} or {@link #withDelay}. Holds a
   * client waiting while the provider has already moved on, e.g. while the client's own database
   * goes down.
   */
  public static TokenEndpointFault realAnswer() {
    return new TokenEndpointFault(Kind.REAL_ANSWER, 0, "", Map.of(), Duration.ZERO, null, true);
  }

  /** Adds or replaces a response header (e.g. {@code Retry-After}). */
  public TokenEndpointFault withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new TokenEndpointFault(kind, status, body, copy, delay, release, afterProcessing);
  }

  /** Waits this long before answering (a slow upstream; drives client timeouts). */
  public TokenEndpointFault withDelay(Duration delay) {
    return new TokenEndpointFault(kind, status, body, headers, delay, release, afterProcessing);
  }

  /**
   * Holds the answer until {@code release} reaches zero (or the stand-in stops), so a test can keep
   * a token request in flight for exactly as long as it needs without sleeping.
   */
  public TokenEndpointFault heldUntil(CountDownLatch release) {
    return new TokenEndpointFault(kind, status, body, headers, delay, release, afterProcessing);
  }

  /** Applies the request for real first (consumes the code or refresh token), then misbehaves. */
  public TokenEndpointFault afterProcessing() {
    return new TokenEndpointFault(kind, status, body, headers, delay, release, true);
  }

  byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TokenEndpointFault[" + kind + " " + status + (afterProcessing ? " after" : "") + "]";
  }
}
