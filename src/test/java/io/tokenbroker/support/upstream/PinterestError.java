package io.tokenbroker.support.upstream;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer in Pinterest's shape: HTTP status plus the JSON body {@code {"code": <int>,
 * "message": <string>}} that the v5 spec defines for every endpoint.
 */
record PinterestError(int status, int code, String message) {

  /** Client authentication at the token endpoint, or a bad bearer token (observed, spec). */
  static PinterestError authenticationFailed() {
    return new PinterestError(401, 2, "Authentication failed.");
  }

  /** A bearer token without the scope an endpoint needs (spec example, code 3). */
  static PinterestError insufficientScope() {
    return new PinterestError(
        401,
        3,
        "Your token does not have sufficient permissions to perform this operation. Please ensure"
            + " your token is authorized with the correct set of scopes.");
  }

  /**
   * A code or refresh token that is unknown, used, expired, revoked or belongs to a dead grant.
   * Pinterest's status here is undocumented; the body is the one a Pinterest SDK user reported for
   * a bad refresh token (pinterest/pinterest-python-sdk#114, code 283), the status is chosen.
   */
  static PinterestError invalidGrant(int status) {
    return new PinterestError(status, 283, "The authorization grant is invalid");
  }

  /** Malformed or missing parameters (spec: 400, code 1 "Invalid parameters."). */
  static PinterestError invalidParameters(String detail) {
    return new PinterestError(400, 1, "Invalid parameters. " + detail);
  }

  /** Revocation of a token Pinterest will not revoke (spec: 403, code 29). */
  static PinterestError notPermitted() {
    return new PinterestError(403, 29, "You are not permitted to access that resource.");
  }

  /** Pinterest's rate-limit answer (429, code 8). */
  static PinterestError rateLimited() {
    return new PinterestError(
        429,
        8,
        "This request exceeded a rate limit. This can happen if the client exceeds one of the"
            + " published rate limits within a short time window.");
  }

  static PinterestError methodNotAllowed() {
    return new PinterestError(405, 405, "Method Not Allowed");
  }

  static PinterestError notFound() {
    return new PinterestError(404, 404, "Not Found");
  }

  Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    return body;
  }
}
