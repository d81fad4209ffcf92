package io.tokenbroker.exchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tokenbroker.token.IssuedToken;
import java.util.List;

/**
 * RFC 8693 section 2.2.1: the token, what it is ({@code issued_token_type}), how to use it ({@code
 * token_type}), how long it lives and what it may do. {@code expires_in} is left out only when the
 * provider said nothing about the lifetime; {@code scope} when the token has none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ExchangeResponse(
    @JsonProperty("access_token") String accessToken,
    @JsonProperty("issued_token_type") String issuedTokenType,
    @JsonProperty("token_type") String tokenType,
    @JsonProperty("expires_in") Long expiresIn,
    @JsonProperty("scope") String scope) {

  static ExchangeResponse of(IssuedToken token) {
    List<String> scopes = token.scope() == null ? List.of() : token.scope();
    return new ExchangeResponse(
        token.accessToken(),
        ExchangeParameters.ACCESS_TOKEN_TYPE,
        "Bearer",
        token.expiresIn(),
        scopes.isEmpty() ? null : String.join(" ", scopes));
  }

  @Override
  public String toString() {
    return "ExchangeResponse[redacted, expiresIn=" + expiresIn + "]";
  }
}
