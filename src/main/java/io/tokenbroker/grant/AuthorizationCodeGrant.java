package io.tokenbroker.grant;

import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** RFC 6749 section 4.1.3 (+ RFC 7636 section 4.5): exchange an authorization code. */
@ApplicationScoped
public class AuthorizationCodeGrant {

  private final TokenEndpointClient tokenEndpoint;

  AuthorizationCodeGrant(TokenEndpointClient tokenEndpoint) {
    this.tokenEndpoint = tokenEndpoint;
  }

  /**
   * @param redirectUri exactly the value sent in the authorization request
   * @param codeVerifier the PKCE verifier, when the request carried a challenge
   */
  public TokenResponse exchange(
      Provider provider, String code, String redirectUri, Optional<String> codeVerifier) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("code", code);
    params.put("redirect_uri", redirectUri);
    codeVerifier.ifPresent(v -> params.put("code_verifier", v));
    return tokenEndpoint.request(provider, GrantType.AUTHORIZATION_CODE, params);
  }
}
