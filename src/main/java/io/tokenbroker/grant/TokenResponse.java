package io.tokenbroker.grant;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A successful token-endpoint answer, with lifetimes already turned into instants. {@link
 * #toString()} is redacted: this value holds live credentials.
 */
public record TokenResponse(
    String accessToken,
    String tokenType,
    Optional<Instant> accessTokenExpiresAt,
    Optional<String> refreshToken,
    Optional<Instant> refreshTokenExpiresAt,
    Set<String> scopes,
    Instant receivedAt) {

  @Override
  public String toString() {
    return "TokenResponse[type="
        + tokenType
        + ", expiresAt="
        + accessTokenExpiresAt.orElse(null)
        + ", refreshToken="
        + (refreshToken.isPresent() ? "present" : "absent")
        + ", scopes="
        + scopes
        + "]";
  }
}
