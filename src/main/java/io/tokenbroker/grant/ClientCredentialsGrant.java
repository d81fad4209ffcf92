package io.tokenbroker.grant;

import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;

/** RFC 6749 section 4.4: an app-level token, no user involved. */
@ApplicationScoped
public class ClientCredentialsGrant {

  private final TokenEndpointClient tokenEndpoint;

  ClientCredentialsGrant(TokenEndpointClient tokenEndpoint) {
    this.tokenEndpoint = tokenEndpoint;
  }

  public TokenResponse request(Provider provider, Set<String> scopes) {
    return tokenEndpoint.request(
        provider,
        GrantType.CLIENT_CREDENTIALS,
        scopes.isEmpty() ? Map.of() : Map.of("scope", provider.joinScopes(scopes)));
  }
}
