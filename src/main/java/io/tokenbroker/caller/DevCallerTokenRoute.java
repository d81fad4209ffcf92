package io.tokenbroker.caller;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.problem.ProblemMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /dev/caller-token}: the embedded default's door for local trials. Without an identity
 * provider nobody could obtain a caller JWT, so the broker mints one itself, with its own key.
 *
 * <p>How the door stays shut in production: the route is registered only when {@link
 * LocalCallerKeys} is active, i.e. on the embedded database with no caller key configured. With a
 * real database or a configured issuer the route does not exist, and the path answers the same 404
 * problem as any unknown path. Even when open it answers only connections from this machine
 * (loopback), because anyone who can reach it can make themselves an administrator.
 *
 * <p>Loopback alone is not enough: a web page the evaluator opens runs on this machine too. With
 * DNS rebinding its own host name resolves to 127.0.0.1, so the browser sends its requests here as
 * same-origin and lets the page read the minted token. Such a request still names the page's host
 * in {@code Host}, and a cross-site request names the page in {@code Origin}; so the route also
 * requires {@code Host} to be a loopback name with the broker's own port, and refuses any {@code
 * Origin} that is not such an origin ({@link LoopbackOrigin}).
 *
 * <p>It lives outside {@code /v1} on purpose: it is not part of the API contract, and keeping it
 * out leaves the {@link AnonymousRequestGate} rule unconditional (every {@code /v1} request but the
 * OAuth callback needs a token) instead of growing a mode-dependent exception.
 */
@ApplicationScoped
class DevCallerTokenRoute {

  static final String PATH = "/dev/caller-token";
  private static final int MAX_BODY_BYTES = 4096;

  private final LocalCallerKeys keys;
  private final DevCallerTokens tokens;
  private final ProblemMapper problems;
  private final ObjectMapper json;

  DevCallerTokenRoute(
      LocalCallerKeys keys, DevCallerTokens tokens, ProblemMapper problems, ObjectMapper json) {
    this.keys = keys;
    this.tokens = tokens;
    this.problems = problems;
    this.json = json;
  }

  record Response(
      @JsonProperty("token") String token, @JsonProperty("expires_at") Instant expiresAt) {}

  void install(@Observes Router router) {
    if (!keys.active()) {
      return;
    }
    router
        .post(PATH)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .blockingHandler(this::mint, false);
  }

  private void mint(RoutingContext ctx) {
    if (!isLoopback(ctx.request().connection().remoteAddress())) {
      problems.write(
          ctx,
          ProblemCode.FORBIDDEN,
          "The development token endpoint answers requests from this machine only.");
      return;
    }
    int port = ctx.request().connection().localAddress().port();
    if (!LoopbackOrigin.isLoopbackHost(ctx.request().getHeader(HttpHeaders.HOST), port)
        || !LoopbackOrigin.isAbsentOrLoopback(ctx.request().getHeader(HttpHeaders.ORIGIN), port)) {
      problems.write(
          ctx,
          ProblemCode.FORBIDDEN,
          "The development token endpoint answers only requests addressed to localhost,"
              + " 127.0.0.1 or [::1] on the broker's port, and none from a web page of another"
              + " origin.");
      return;
    }
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      problems.write(
          ctx, ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json.");
      return;
    }
    DevTokenRequest request;
    try {
      request = json.readValue(ctx.body().buffer().getBytes(), DevTokenRequest.class);
    } catch (IOException | RuntimeException e) {
      problems.write(
          ctx,
          ProblemCode.MALFORMED_REQUEST,
          "The body must be JSON: {\"subject\": ..., \"groups\": [...], \"ttl_seconds\": ...}.");
      return;
    }
    Optional<String> invalid =
        request == null ? Optional.of("a JSON object is required") : request.problem();
    if (invalid.isPresent()) {
      problems.write(ctx, ProblemCode.VALIDATION_FAILED, invalid.get());
      return;
    }
    DevCallerTokens.Minted minted = tokens.mint(request.subject(), request.roles(), request.ttl());
    try {
      ctx.response()
          .setStatusCode(200)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(json.writeValueAsString(new Response(minted.token(), minted.expiresAt())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("token response could not be serialised", e);
    }
  }

  static boolean isLoopback(SocketAddress peer) {
    if (peer == null || peer.hostAddress() == null || peer.hostAddress().isEmpty()) {
      return false;
    }
    try {
      // An IP literal: parsed, never resolved.
      return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
