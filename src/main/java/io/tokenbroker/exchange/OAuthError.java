package io.tokenbroker.exchange;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 6749 section 5.2 error response of the token endpoint: {@code {"error",
 * "error_description", ...extension members}}. OAuth client libraries parse this shape, not
 * problem+json, which is why this door answers with it. The description is shown to callers: it
 * never echoes a token, and echoes request input only where it was checked to be harmless.
 */
final class OAuthError extends RuntimeException {

  static final String INVALID_REQUEST = "invalid_request";
  static final String INVALID_CLIENT = "invalid_client";
  static final String INVALID_GRANT = "invalid_grant";
  static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
  static final String INVALID_SCOPE = "invalid_scope";
  static final String INVALID_TARGET = "invalid_target";
  static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";
  static final String SERVER_ERROR = "server_error";

  /** Same words for an unknown target and one the caller may not use: it learns nothing. */
  static final String TARGET_NOT_AVAILABLE =
      "The resource is unknown or not available to this caller.";

  private final int status;
  private final String error;
  private final Map<String, Object> extensions = new LinkedHashMap<>();
  private Duration retryAfter;

  OAuthError(int status, String error, String description) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
  }

  static OAuthError invalidRequest(String description) {
    return new OAuthError(400, INVALID_REQUEST, description);
  }

  static OAuthError invalidScope(String description) {
    return new OAuthError(400, INVALID_SCOPE, description);
  }

  static OAuthError invalidTarget() {
    return new OAuthError(400, INVALID_TARGET, TARGET_NOT_AVAILABLE);
  }

  /** RFC 6749 section 5.2: a failed client authentication is a 401 naming the scheme to use. */
  static OAuthError invalidClient() {
    return new OAuthError(
        401,
        INVALID_CLIENT,
        "Send a valid caller JWT as 'Authorization: Bearer <token>' or as subject_token with"
            + " subject_token_type="
            + ExchangeParameters.JWT_TOKEN_TYPE
            + ".");
  }

  OAuthError with(String member, Object value) {
    extensions.put(member, value);
    return this;
  }

  OAuthError retryAfter(Duration delay) {
    this.retryAfter = delay;
    return this;
  }

  String error() {
    return error;
  }

  int status() {
    return status;
  }

  Response toResponse() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    if (getMessage() != null) {
      body.put("error_description", getMessage());
    }
    body.putAll(extensions);
    Response.ResponseBuilder response =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .header(HttpHeaders.CACHE_CONTROL, "no-store")
            .header("Pragma", "no-cache")
            .entity(body);
    if (status == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    if (retryAfter != null) {
      response.header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds()));
    }
    return response.build();
  }
}
