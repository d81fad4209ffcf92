package io.tokenbroker.support.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v5/oauth/token}: the three grants Pinterest supports, with Basic client
 * authentication, strictly single-use codes and refresh tokens, and a rotated refresh token on
 * every refresh. Scripted faults from the journal take precedence over normal processing.
 */
final class TokenEndpoint {

  private final StandInSettings settings;
  private final PinterestLedger ledger;
  private final StandInJournal journal;

  TokenEndpoint(StandInSettings settings, PinterestLedger ledger, StandInJournal journal) {
    this.settings = settings;
    this.ledger = ledger;
    this.journal = journal;
  }

  /** An answer not yet sent: the status and the JSON body. */
  private record Answer(int status, Map<String, Object> body) {
    static Answer of(PinterestError error) {
      return new Answer(error.status(), error.body());
    }
  }

  void handle(HttpExchange exchange) throws IOException, InterruptedException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      Exchanges.sendError(exchange, PinterestError.methodNotAllowed());
      return;
    }
    String body = Exchanges.readBody(exchange);
    Map<String, String> form = Map.of();
    boolean duplicate = false;
    if (Exchanges.isFormEncoded(exchange)) {
      try {
        form = Exchanges.parseUrlEncoded(body);
      } catch (Exchanges.DuplicateParameterException e) {
        duplicate = true;
      }
    }
    String grantType = form.getOrDefault("grant_type", "");
    Optional<String[]> credentials = Exchanges.basicCredentials(exchange);
    String basicClientId = credentials.map(c -> c[0]).orElse(null);
    long generation = journal.tokenCallArrived(grantType);
    TokenEndpointFault fault = journal.nextFault();
    // Slow mode starts only now, so a request still asleep when a test resets the stand-in has
    // already taken its fault and cannot take the next test's.
    Pacing.pause(settings.slowMode);

    if (fault != null && !fault.afterProcessing) {
      misbehave(
          exchange,
          fault,
          generation,
          new TokenRequest(grantType, form, basicClientId, fault.status));
      return;
    }
    Answer answer = decide(exchange, form, duplicate, credentials, generation);
    if (fault != null && fault.kind == TokenEndpointFault.Kind.REAL_ANSWER) {
      journal.recordToken(
          generation, new TokenRequest(grantType, form, basicClientId, answer.status()));
      Pacing.pause(fault.delay);
      if (fault.release != null) {
        fault.release.await(Pacing.MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
      }
      Exchanges.sendJson(exchange, answer.status(), answer.body());
      return;
    }
    if (fault != null) {
      misbehave(
          exchange,
          fault,
          generation,
          new TokenRequest(grantType, form, basicClientId, fault.status));
      return;
    }
    journal.recordToken(
        generation, new TokenRequest(grantType, form, basicClientId, answer.status()));
    Exchanges.sendJson(exchange, answer.status(), answer.body());
  }

  private Answer decide(
      HttpExchange exchange,
      Map<String, String> form,
      boolean duplicate,
      Optional<String[]> credentials,
      long generation) {
    if (!Exchanges.isFormEncoded(exchange)) {
      return Answer.of(
          PinterestError.invalidParameters(
              "Content-Type must be application/x-www-form-urlencoded"));
    }
    if (duplicate) {
      return Answer.of(PinterestError.invalidParameters("A parameter appears more than once."));
    }
    if (credentials.isEmpty() || !settings.clientAuthenticates(credentials.get())) {
      return Answer.of(PinterestError.authenticationFailed());
    }
    return switch (form.getOrDefault("grant_type", "")) {
      case "authorization_code" -> authorizationCode(form, generation);
      case "refresh_token" -> refreshToken(form, generation);
      case "client_credentials" -> clientCredentials(form);
      default -> Answer.of(PinterestError.invalidParameters("Unsupported grant_type."));
    };
  }

  private Answer authorizationCode(Map<String, String> form, long generation) {
    String code = form.get("code");
    String redirectUri = form.get("redirect_uri");
    if (isBlank(code) || isBlank(redirectUri)) {
      return Answer.of(PinterestError.invalidParameters("code and redirect_uri are required."));
    }
    Optional<PinterestLedger.Redeemed> redeemed =
        ledger.redeemCode(code, redirectUri, settings.now());
    if (redeemed.isEmpty()) {
      return invalidGrant(generation);
    }
    Set<String> scopes = redeemed.get().grantScopes();
    return success(
        "authorization_code",
        ledger.mint(
            redeemed.get().account(),
            scopes,
            scopes,
            settings.now(),
            settings.accessTokenLifetime,
            settings.refreshTokenLifetime,
            true));
  }

  private Answer refreshToken(Map<String, String> form, long generation) {
    String token = form.get("refresh_token");
    if (isBlank(token)) {
      return Answer.of(PinterestError.invalidParameters("refresh_token is required."));
    }
    Set<String> requested = Set.of();
    if (form.containsKey("scope")) {
      List<String> scopes = PinterestScopes.parseRequested(form.get("scope"));
      if (!PinterestScopes.unknown(scopes).isEmpty()) {
        return Answer.of(PinterestError.invalidParameters("Unknown scope."));
      }
      requested = new LinkedHashSet<>(scopes);
    }
    PinterestLedger.RefreshOutcome outcome =
        ledger.redeemRefreshToken(token, requested, settings.now());
    if (outcome.refusal() == PinterestLedger.RefreshRefusal.INVALID_GRANT) {
      return invalidGrant(generation);
    }
    if (outcome.refusal() == PinterestLedger.RefreshRefusal.SCOPE_NOT_GRANTED) {
      return Answer.of(PinterestError.invalidParameters("Scope exceeds the granted scopes."));
    }
    Set<String> grantScopes = outcome.redeemed().grantScopes();
    // Narrowing applies to the new access token only; the rotated refresh token keeps the grant.
    Set<String> accessScopes = requested.isEmpty() ? grantScopes : requested;
    return success(
        "refresh_token",
        ledger.mint(
            outcome.redeemed().account(),
            accessScopes,
            grantScopes,
            settings.now(),
            settings.accessTokenLifetime,
            settings.refreshTokenLifetime,
            true));
  }

  private Answer clientCredentials(Map<String, String> form) {
    String scope = form.get("scope");
    if (isBlank(scope)) {
      return Answer.of(PinterestError.invalidParameters("scope is required."));
    }
    List<String> scopes = PinterestScopes.parseRequested(scope);
    if (!PinterestScopes.unknown(scopes).isEmpty()) {
      return Answer.of(PinterestError.invalidParameters("Unknown scope."));
    }
    Set<String> granted = new LinkedHashSet<>(scopes);
    return success(
        "client_credentials",
        ledger.mint(
            null,
            granted,
            granted,
            settings.now(),
            settings.accessTokenLifetime,
            settings.refreshTokenLifetime,
            false));
  }

  private Answer invalidGrant(long generation) {
    journal.invalidGrantRefused(generation);
    return Answer.of(PinterestError.invalidGrant(settings.invalidGrantStatus));
  }

  private Answer success(String responseType, PinterestLedger.Minted minted) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", minted.accessToken());
    if (minted.refreshToken() != null) {
      body.put("refresh_token", minted.refreshToken());
    }
    body.put("response_type", responseType);
    body.put("token_type", "bearer");
    body.put("expires_in", settings.accessTokenLifetime.toSeconds());
    if (minted.refreshToken() != null) {
      body.put("refresh_token_expires_in", settings.refreshTokenLifetime.toSeconds());
      body.put("refresh_token_expires_at", minted.refreshExpiresAt().getEpochSecond());
    }
    body.put("scope", PinterestScopes.toResponse(minted.accessScopes()));
    return new Answer(200, body);
  }

  private void misbehave(
      HttpExchange exchange, TokenEndpointFault fault, long generation, TokenRequest request)
      throws IOException, InterruptedException {
    boolean dropped = fault.kind == TokenEndpointFault.Kind.DROP_CONNECTION;
    journal.recordToken(
        generation,
        dropped
            ? new TokenRequest(request.grantType(), request.form(), request.basicClientId(), 0)
            : request);
    Pacing.pause(fault.delay);
    if (fault.release != null) {
      fault.release.await(Pacing.MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
    }
    switch (fault.kind) {
      case DROP_CONNECTION -> exchange.close();
      case RESPOND -> {
        fault.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        Exchanges.sendBytes(exchange, fault.status, null, fault.bodyBytes());
      }
      case TRUNCATED_BODY -> {
        fault.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        Exchanges.stampRequestId(exchange);
        byte[] bytes = fault.bodyBytes();
        exchange.sendResponseHeaders(fault.status, bytes.length);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        // Closing a fixed-length stream short of its length makes the JDK server close the
        // connection, which is exactly the truncation we want the client to see.
        try {
          exchange.close();
        } catch (RuntimeException ignored) {
          // the short write is reported as an error on close; it is the point of this fault
        }
      }
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
