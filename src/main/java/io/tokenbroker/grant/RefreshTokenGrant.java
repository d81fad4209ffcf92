package io.tokenbroker.grant;

import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * RFC 6749 section 6: trade a refresh token for new tokens. Callers must store a returned refresh
 * token before anything else: rotating providers (Pinterest) have already spent the old one.
 */
@ApplicationScoped
public class RefreshTokenGrant {

  private final TokenEndpointClient tokenEndpoint;

  RefreshTokenGrant(TokenEndpointClient tokenEndpoint) {
    this.tokenEndpoint = tokenEndpoint;
  }

  public TokenResponse refresh(Provider provider, String refreshToken) {
    return tokenEndpoint.request(
        provider, GrantType.REFRESH_TOKEN, Map.of("refresh_token", refreshToken));
  }
}
