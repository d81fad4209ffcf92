package io.tokenbroker.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns failures into RFC 9457 {@code application/problem+json}. REST endpoints
 * reach it through the exception mappers below; failures outside REST (unknown routes, oversized
 * bodies, HTTP-level authentication) reach it through {@link ProblemRoutes}.
 *
 * <p>Details never echo request input: a malformed body could carry a secret.
 */
@ApplicationScoped
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  private final ProblemConfig config;
  private final ObjectMapper json;
  private final Event<ServerFailure> serverFailures;

  ProblemMapper(ProblemConfig config, ObjectMapper json, Event<ServerFailure> serverFailures) {
    this.config = config;
    this.json = json;
    this.serverFailures = serverFailures;
  }

  public Problem problem(ProblemCode code, String detail, Map<String, Object> extensions) {
    return new Problem(
        config.typeBase() + code.code(),
        code.title(),
        code.status(),
        detail,
        code.code(),
        null,
        extensions.isEmpty() ? null : extensions);
  }

  public Response response(ProblemCode code, String detail) {
    return builder(problem(code, detail, Map.of())).build();
  }

  /** The problem serialised for writers that are not JAX-RS (Vert.x route handlers). */
  public String toJson(Problem problem) {
    try {
      return json.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("problem document could not be serialised", e);
    }
  }

  /** Writes a problem straight to a Vert.x response, for handlers that run outside REST. */
  public void write(RoutingContext ctx, ProblemCode code, String detail) {
    if (ctx.response().headWritten()) {
      ctx.response().end();
      return;
    }
    ctx.response()
        .setStatusCode(code.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(toJson(problem(code, detail, Map.of())));
  }

  /**
   * Writes {@code failure} as REST would answer it, for handlers that run outside REST (the API
   * proxy): a {@link BrokerException} with its extensions and Retry-After, a database outage as
   * 503, anything else as 500.
   */
  public void write(RoutingContext ctx, Throwable failure) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    write(
        ctx,
        failure instanceof BrokerException broker ? brokerException(broker) : unexpected(failure));
  }

  /**
   * Writes a problem answer of one of the mappers below to a Vert.x response, for handlers that run
   * outside REST and must answer exactly as the REST endpoint they stand in for would.
   */
  public void write(RoutingContext ctx, Response answer) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    answer
        .getHeaders()
        .forEach(
            (name, values) ->
                values.forEach(v -> ctx.response().putHeader(name, String.valueOf(v))));
    ctx.response()
        .setStatusCode(answer.getStatus())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .end(toJson((Problem) answer.getEntity()));
  }

  @ServerExceptionMapper
  public Response brokerException(BrokerException e) {
    String detail = e.detail();
    Map<String, Object> extensions = e.extensions();
    if (e.code().status() >= 500) {
      LOG.warnf("%s: %s", e.code().code(), e.detail());
      serverFailures.fire(new ServerFailure(e));
      if (isBrokerInternal(e.code())) {
        detail = genericDetail(e.code());
        extensions = withRequestId(extensions);
      }
    }
    Response.ResponseBuilder builder = builder(problem(e.code(), detail, extensions));
    e.retryAfter()
        .ifPresent(d -> builder.header(HttpHeaders.RETRY_AFTER, Math.max(1, d.toSeconds())));
    return builder.build();
  }

  @ServerExceptionMapper
  public Response webApplicationException(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    ProblemCode code = ProblemCode.forStatus(status);
    String detail =
        switch (code) {
          case NOT_FOUND -> "Nothing is served at this path.";
          case METHOD_NOT_ALLOWED -> "This path does not accept this HTTP method.";
          case UNSUPPORTED_MEDIA_TYPE -> "Send the request body as application/json.";
          case NOT_ACCEPTABLE -> "This endpoint answers application/json only.";
          default -> code.title() + ".";
        };
    if (status >= 500) {
      LOG.error("request failed inside the framework", e);
    }
    return response(code, detail);
  }

  // Listed explicitly so that these win over Quarkus's built-in mappers for the subclasses.
  @ServerExceptionMapper({
    JsonProcessingException.class,
    MismatchedInputException.class,
    InvalidFormatException.class,
    UnrecognizedPropertyException.class
  })
  public Response unreadableJson(JsonProcessingException e) {
    String detail;
    if (isDuplicateKey(e)) {
      detail = "The body names a field more than once; send each field once.";
    } else if (e instanceof UnrecognizedPropertyException unknown) {
      detail = "Unknown field '" + safeName(unknown.getPropertyName()) + "'.";
    } else if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      detail = "Field '" + fieldPath(mapping) + "' has the wrong type or form.";
    } else {
      detail =
          "The body is not valid JSON"
              + (e.getLocation() != null
                  ? " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")."
                  : ".");
    }
    return response(ProblemCode.MALFORMED_REQUEST, detail);
  }

  /**
   * The parser's duplicate detection ({@link StrictJsonReading}) has no exception type of its own;
   * its message is the only sign.
   */
  private static boolean isDuplicateKey(JsonProcessingException e) {
    return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
  }

  @ServerExceptionMapper
  public Response invalidInput(ConstraintViolationException e) {
    List<Map<String, String>> errors =
        e.getConstraintViolations().stream()
            .map(v -> Map.of("field", leafName(v), "message", v.getMessage()))
            .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
            .toList();
    String detail =
        errors.stream()
            .map(err -> err.get("field") + ": " + err.get("message"))
            .collect(Collectors.joining("; "));
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("errors", errors);
    return builder(problem(ProblemCode.VALIDATION_FAILED, detail, ext)).build();
  }

  @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
  public Response unauthenticated(RuntimeException e) {
    return builder(
            problem(
                ProblemCode.UNAUTHENTICATED,
                "Send a valid caller JWT as 'Authorization: Bearer <token>'.",
                Map.of()))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return response(ProblemCode.FORBIDDEN, "The caller is not allowed to do this.");
  }

  @ServerExceptionMapper(priority = Integer.MAX_VALUE)
  public Response unexpected(Throwable e) {
    serverFailures.fire(new ServerFailure(e));
    if (DatabaseOutage.causedBy(e)) {
      return databaseUnavailable(e);
    }
    LOG.error("unexpected failure while serving a request", e);
    return builder(
            problem(
                ProblemCode.INTERNAL_ERROR,
                genericDetail(ProblemCode.INTERNAL_ERROR),
                withRequestId(Map.of())))
        .build();
  }

  /**
   * Failures inside the broker (decryption, Vault, storage) are described in its log only: their
   * details name data keys, associated data and Vault paths, which are nobody's business but the
   * operator's. Upstream failures keep their detail, which the broker writes from fixed text and
   * the provider's error code.
   */
  private static boolean isBrokerInternal(ProblemCode code) {
    return code == ProblemCode.INTERNAL_ERROR || code == ProblemCode.SERVICE_UNAVAILABLE;
  }

  /** Fixed text with the request id, so that an operator can find the logged details. */
  private static String genericDetail(ProblemCode code) {
    String id = requestId();
    String reference = id == null ? "" : " (request id " + id + ")";
    return code == ProblemCode.SERVICE_UNAVAILABLE
        ? "The broker cannot serve this right now"
            + reference
            + "; retry after the time in Retry-After."
        : "The broker failed unexpectedly" + reference + "; the details are in its logs.";
  }

  private static Map<String, Object> withRequestId(Map<String, Object> extensions) {
    String id = requestId();
    if (id == null) {
      return extensions;
    }
    Map<String, Object> with = new LinkedHashMap<>(extensions);
    with.put("request_id", id);
    return with;
  }

  /** The id {@code logging.RequestIds} put in the MDC for this request; read by name, not type. */
  private static String requestId() {
    Object id = MDC.get("request_id");
    return id == null ? null : id.toString();
  }

  /**
   * The database is down or unreachable: the caller may simply try again soon. One line, no stack
   * trace: during an outage every such request would otherwise log the same trace.
   */
  private Response databaseUnavailable(Throwable e) {
    LOG.warnf("database unavailable while serving a request: %s", rootCause(e));
    return builder(
            problem(
                ProblemCode.SERVICE_UNAVAILABLE,
                "The broker's database is unavailable; retry after the time in Retry-After.",
                Map.of()))
        .header(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS)
        .build();
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && depth < 20; depth++) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static Response.ResponseBuilder builder(Problem problem) {
    return Response.status(problem.status())
        .type(Problem.MEDIA_TYPE)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .entity(problem);
  }

  private static String leafName(ConstraintViolation<?> violation) {
    String path = violation.getPropertyPath().toString();
    // Method-parameter paths read "method.argN.field"; callers only know the field.
    String[] parts = path.split("\\.");
    return parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length)) : path;
  }

  private static String fieldPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(
            ref ->
                ref.getFieldName() != null
                    ? safeName(ref.getFieldName())
                    : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  /** Field names come from the caller: keep them short and printable. */
  private static String safeName(String name) {
    String printable = name == null ? "" : name.replaceAll("[^A-Za-z0-9_\\-]", "?");
    return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
  }
}
