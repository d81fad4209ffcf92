package io.tokenbroker.authorization;

import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.Scopes;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scopes an authorization asks the provider for: those the request names, each one the provider
 * allows, or the provider's default scopes when it names none.
 */
final class RequestedScopes {

  private RequestedScopes() {}

  static Set<String> of(Provider provider, List<String> asked) {
    Set<String> scopes =
        asked == null || asked.isEmpty() ? Scopes.of(provider.defaultScopes()) : new TreeSet<>();
    if (asked != null) {
      for (String scope : asked) {
        if (!Scopes.isValidToken(scope)) {
          throw BrokerException.invalid(
              "scopes: each scope must be one token without separators or control characters.");
        }
        if (!provider.allowsScope(scope)) {
          // Not quoted: problem details never echo request input.
          throw BrokerException.invalid(
              "scopes: a scope is not among those provider '"
                  + provider.id()
                  + "' allows (GET /v1/providers lists them).");
        }
        scopes.add(scope);
      }
    }
    if (scopes.isEmpty()) {
      throw BrokerException.invalid(
          "scopes: name at least one scope (the provider has no default scopes).");
    }
    return scopes;
  }
}
