package io.tokenbroker.token;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.Scopes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the two knobs of a token request into checked values. The checks are written out here
 * rather than left to Bean Validation: they run on every token fetch, and the validator's
 * reflective walk of the body cost more than the rest of a cache hit. The bounds are those the
 * {@link TokenRequest} annotations document.
 */
final class TokenRequests {

  static final int MAX_MIN_TTL_SECONDS = 2_592_000;
  static final int MAX_SCOPES = 50;
  static final int MAX_SCOPE_LENGTH = 256;

  private TokenRequests() {}

  static Duration minTtl(TokenRequest request, TokenConfig config) {
    if (request == null || request.minTtlSeconds() == null) {
      return config.defaultMinTtl();
    }
    int seconds = request.minTtlSeconds();
    if (seconds < 0) {
      throw invalid("min_ttl_seconds", "must not be negative");
    }
    if (seconds > MAX_MIN_TTL_SECONDS) {
      throw invalid("min_ttl_seconds", "must be at most " + MAX_MIN_TTL_SECONDS);
    }
    Duration asked = Duration.ofSeconds(seconds);
    if (asked.compareTo(config.maxMinTtl()) > 0) {
      throw BrokerException.invalid(
          "min_ttl_seconds must be at most " + config.maxMinTtl().toSeconds() + ".");
    }
    return asked;
  }

  static Set<String> scopes(TokenRequest request) {
    List<String> asked = request == null ? null : request.scopes();
    if (asked == null || asked.isEmpty()) {
      return Set.of();
    }
    if (asked.size() > MAX_SCOPES) {
      throw invalid("scopes", "may hold at most " + MAX_SCOPES + " scopes");
    }
    Set<String> scopes = new TreeSet<>();
    for (String scope : asked) {
      if (scope == null) {
        throw invalid("scopes", "must not hold null");
      }
      if (scope.length() > MAX_SCOPE_LENGTH) {
        throw invalid("scopes", "holds a scope that is too long");
      }
      if (!Scopes.isValidToken(scope)) {
        throw BrokerException.invalid(
            "scopes: each scope must be one token without separators or control characters.");
      }
      scopes.add(scope);
    }
    return scopes;
  }

  /** The same problem Bean Validation's answer had: a detail and the {@code errors} list. */
  private static BrokerException invalid(String field, String message) {
    return BrokerException.invalid(field + ": " + message)
        .with("errors", List.of(Map.of("field", field, "message", message)));
  }
}
