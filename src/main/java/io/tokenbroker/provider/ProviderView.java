package io.tokenbroker.provider;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/** What callers may learn about a provider: never a secret, never the client id's secret. */
public record ProviderView(
    String id,
    List<String> grants,
    @JsonProperty("default_scopes") List<String> defaultScopes,
    @JsonProperty("allowed_scopes") List<String> allowedScopes) {

  static ProviderView of(Provider p) {
    List<String> grants = new ArrayList<>();
    if (p.supportsAuthorizationCode()) {
      grants.add("authorization_code");
      grants.add("refresh_token");
    }
    if (p.clientCredentialsEnabled()) {
      grants.add("client_credentials");
    }
    return new ProviderView(
        p.id(), grants, p.defaultScopes(), p.allowedScopes().stream().sorted().toList());
  }
}
