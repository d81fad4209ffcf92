package io.tokenbroker.problem;

/**
 * Names for OpenAPI annotations of error responses: {@code @Content(mediaType =
 * ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA))}. The schema itself, and the
 * responses every operation shares, are added by {@link ProblemOpenApi}.
 */
public final class ProblemDocs {

  /** Media type of every error answer. */
  public static final String MEDIA_TYPE = Problem.MEDIA_TYPE;

  /** Name of the problem document schema in {@code components.schemas}. */
  public static final String SCHEMA = "Problem";

  /** Description of the 403 of an operation only administrators may call. */
  public static final String ADMIN_ONLY = "forbidden: the caller lacks the broker-admin role";

  /** Description of the 404 of an operation on one connection. */
  public static final String NO_CONNECTION = "not_found: no connection with this id";

  private ProblemDocs() {}
}
