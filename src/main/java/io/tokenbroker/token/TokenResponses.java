package io.tokenbroker.token;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

final class TokenResponses {

  /** What Quarkus REST sends for {@link #noStore}, so that every door answers alike. */
  static final String CONTENT_TYPE = MediaType.APPLICATION_JSON;

  private TokenResponses() {}

  /**
   * RFC 6749 section 5.1: token responses must not be cached. The body is written here rather than
   * by Jackson: it is the one response of the hot path, of a fixed shape ({@link IssuedToken}'s
   * JSON, the same members in the same order), and reflective serialization was a visible share of
   * a cache hit.
   */
  static Response noStore(IssuedToken token) {
    return Response.ok(json(token), MediaType.APPLICATION_JSON_TYPE)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("Pragma", "no-cache")
        .build();
  }

  static String json(IssuedToken token) {
    StringBuilder out = new StringBuilder(160 + token.accessToken().length());
    out.append("{\"access_token\":");
    string(out, token.accessToken());
    out.append(",\"token_type\":");
    string(out, token.tokenType());
    if (token.expiresAt() != null) {
      out.append(",\"expires_at\":\"").append(token.expiresAt()).append('"');
    }
    if (token.expiresIn() != null) {
      out.append(",\"expires_in\":").append(token.expiresIn().longValue());
    }
    out.append(",\"scope\":[");
    List<String> scopes = token.scope();
    for (int i = 0; i < scopes.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, scopes.get(i));
    }
    return out.append("]}").toString();
  }

  /** A JSON string (RFC 8259 section 7): quote, backslash and control characters escaped. */
  private static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
