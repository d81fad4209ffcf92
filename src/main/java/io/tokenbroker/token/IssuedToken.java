package io.tokenbroker.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** A token response: the only kind of response that ever carries an access token. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IssuedToken(
    @JsonProperty("access_token") String accessToken,
    @JsonProperty("token_type") String tokenType,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("expires_in") Long expiresIn,
    List<String> scope) {

  @Override
  public String toString() {
    return "IssuedToken[redacted, expiresAt=" + expiresAt + "]";
  }
}
