package io.tokenbroker.exchange;

import io.tokenbroker.provider.Scopes;
import io.tokenbroker.token.TokenRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checked parameters of a token-exchange request (RFC 8693 section 2.1), apart from who the
 * caller is: the target, the optional scope check and the optional minimum lifetime, already in the
 * form the token services take ({@link TokenRequest}).
 */
record ExchangeParameters(ExchangeTarget target, TokenRequest request) {

  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
  static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

  /** As the broker's own API: a request may name at most this many scopes, each this long. */
  static final int MAX_SCOPES = 50;

  static final int MAX_SCOPE_LENGTH = 256;

  /** The largest min_ttl_seconds either door accepts (30 days); the configured limit is lower. */
  static final int MAX_MIN_TTL_SECONDS = 2_592_000;

  /** {@code grant_type}: present, once, and the token-exchange grant. */
  static void requireGrantType(FormBody form) {
    String grantType =
        form.single("grant_type")
            .orElseThrow(() -> OAuthError.invalidRequest("The parameter 'grant_type' is missing."));
    if (!grantType.equals(GRANT_TYPE)) {
      throw new OAuthError(
          400,
          OAuthError.UNSUPPORTED_GRANT_TYPE,
          "This endpoint serves only grant_type=" + GRANT_TYPE + ".");
    }
  }

  static ExchangeParameters read(FormBody form) {
    if (form.has("actor_token") || form.has("actor_token_type")) {
      throw OAuthError.invalidRequest(
          "Delegation (actor_token) is not supported: the caller is the subject.");
    }
    Optional<String> requested = form.single("requested_token_type");
    if (requested.isPresent() && !requested.get().equals(ACCESS_TOKEN_TYPE)) {
      throw OAuthError.invalidRequest(
          "The broker issues only requested_token_type=" + ACCESS_TOKEN_TYPE + ".");
    }
    Integer minTtl = form.single("min_ttl_seconds").map(ExchangeParameters::minTtl).orElse(null);
    List<String> scopes = form.single("scope").map(ExchangeParameters::scopes).orElse(null);
    ExchangeTarget target = ExchangeTarget.of(form.all("resource"), form.all("audience"));
    return new ExchangeParameters(target, new TokenRequest(minTtl, scopes));
  }

  private static Integer minTtl(String raw) {
    if (!raw.matches("[0-9]{1,7}") || Integer.parseInt(raw) > MAX_MIN_TTL_SECONDS) {
      throw OAuthError.invalidRequest(
          "min_ttl_seconds must be a whole number of seconds from 0 to "
              + MAX_MIN_TTL_SECONDS
              + ".");
    }
    return Integer.parseInt(raw);
  }

  /** RFC 6749 section 3.3: scope-token *( SP scope-token ), one space between tokens. */
  private static List<String> scopes(String raw) {
    List<String> scopes = new ArrayList<>();
    for (String scope : raw.split(" ", -1)) {
      if (!Scopes.isValidToken(scope) || scope.length() > MAX_SCOPE_LENGTH) {
        throw OAuthError.invalidScope(
            "scope must be scope tokens separated by single spaces (no commas or control"
                + " characters).");
      }
      scopes.add(scope);
    }
    if (scopes.size() > MAX_SCOPES) {
      throw OAuthError.invalidScope("scope may name at most " + MAX_SCOPES + " scopes.");
    }
    return scopes;
  }
}
