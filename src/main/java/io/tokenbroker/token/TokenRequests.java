package io.tokenbroker.token;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.Scopes;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** Reads the two knobs of a token request into checked values. */
final class TokenRequests {

  private TokenRequests() {}

  static Duration minTtl(TokenRequest request, TokenConfig config) {
    if (request == null || request.minTtlSeconds() == null) {
      return config.defaultMinTtl();
    }
    Duration asked = Duration.ofSeconds(request.minTtlSeconds());
    if (asked.compareTo(config.maxMinTtl()) > 0) {
      throw BrokerException.invalid(
          "min_ttl_seconds must be at most " + config.maxMinTtl().toSeconds() + ".");
    }
    return asked;
  }

  static Set<String> scopes(TokenRequest request) {
    Set<String> scopes = new TreeSet<>();
    if (request != null && request.scopes() != null) {
      for (String scope : request.scopes()) {
        if (!Scopes.isValidToken(scope)) {
          throw BrokerException.invalid(
              "scopes: each scope must be one token without separators or control characters.");
        }
        scopes.add(scope);
      }
    }
    return scopes;
  }
}
