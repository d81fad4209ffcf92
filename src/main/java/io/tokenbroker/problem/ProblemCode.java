package io.tokenbroker.problem;

/**
 * The stable machine codes of every error the broker answers. Clients switch on {@link #code()};
 * the HTTP status and title travel with it so that no call site can pair a code with the wrong
 * status.
 */
public enum ProblemCode {
  MALFORMED_REQUEST(400, "malformed_request", "The request body could not be read"),
  VALIDATION_FAILED(400, "validation_failed", "The request is not valid"),
  INVALID_REQUEST(400, "invalid_request", "The request cannot be forwarded"),
  UNAUTHENTICATED(401, "unauthenticated", "A valid caller token is required"),
  FORBIDDEN(403, "forbidden", "The caller is not allowed to do this"),
  INSUFFICIENT_SCOPE(403, "insufficient_scope", "The requested scopes were not granted"),
  NOT_FOUND(404, "not_found", "No such resource"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed", "This method is not allowed here"),
  NOT_ACCEPTABLE(406, "not_acceptable", "No acceptable representation"),
  CONFLICT(409, "conflict", "The resource is in a state that does not allow this"),
  REAUTHORIZATION_REQUIRED(
      409,
      "reauthorization_required",
      "The grant is no longer valid; the account must be linked again"),
  CONNECT_LINKS_NOT_CONFIGURED(
      409, "connect_links_not_configured", "Connect links are not configured on this broker"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large", "The request body is too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "This media type is not supported"),
  GRANT_REJECTED(422, "grant_rejected", "The provider refused the grant; nothing was stored"),
  UPSTREAM_REJECTED(502, "upstream_rejected", "The upstream provider refused the request"),
  UPSTREAM_UNREACHABLE(502, "upstream_unreachable", "The upstream provider could not be reached"),
  UPSTREAM_UNAVAILABLE(
      503,
      "upstream_unavailable",
      "The upstream provider is unavailable and no valid token is held"),
  SERVICE_UNAVAILABLE(503, "service_unavailable", "The broker cannot serve this right now"),
  UPSTREAM_TIMEOUT(504, "upstream_timeout", "The upstream provider did not answer in time"),
  INTERNAL_ERROR(500, "internal_error", "An unexpected error occurred");

  private final int status;
  private final String code;
  private final String title;

  ProblemCode(int status, String code, String title) {
    this.status = status;
    this.code = code;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  /** The code a bare HTTP status maps to when the framework, not our code, rejected a request. */
  public static ProblemCode forStatus(int status) {
    return switch (status) {
      case 400 -> MALFORMED_REQUEST;
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 502 -> UPSTREAM_REJECTED;
      case 503 -> SERVICE_UNAVAILABLE;
      default -> status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
    };
  }
}
