package io.tokenbroker.support.upstream;

import java.time.Instant;
import java.util.Set;

/**
 * Tokens the stand-in minted directly for a test (as if a person had linked the account), so a test
 * can seed the broker with a grant the stand-in will honour.
 */
public record IssuedTokens(
    PinterestAccount account,
    String accessToken,
    Instant accessTokenExpiresAt,
    String refreshToken,
    Instant refreshTokenExpiresAt,
    Set<String> scopes) {

  @Override
  public String toString() {
    return "IssuedTokens[account=" + account.id() + ", scopes=" + scopes + "]";
  }
}
