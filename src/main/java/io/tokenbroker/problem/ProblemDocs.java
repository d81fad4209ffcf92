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

  private ProblemDocs() {}
}
