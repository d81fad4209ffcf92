package io.tokenbroker.token;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

final class TokenResponses {

  private TokenResponses() {}

  /** RFC 6749 section 5.1: token responses must not be cached. */
  static Response noStore(IssuedToken token) {
    return Response.ok(token)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("Pragma", "no-cache")
        .build();
  }
}
