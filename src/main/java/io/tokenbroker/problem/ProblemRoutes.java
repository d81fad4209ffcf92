package io.tokenbroker.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers with problem+json where the request never reaches a REST endpoint: a path nothing serves,
 * a body over the size limit, a failure raised by the HTTP layer itself.
 */
@ApplicationScoped
class ProblemRoutes {

  private final ProblemMapper mapper;
  private final long maxBodyBytes;

  ProblemRoutes(
      ProblemMapper mapper,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
    this.mapper = mapper;
    this.maxBodyBytes = maxBodySize.asLongValue();
  }

  void install(@Observes Router router) {
    // Vert.x would refuse an oversized declared body with an empty 413; answer it ourselves first.
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              if (declaredLength(ctx) > maxBodyBytes && !streamsItsBody(ctx.request().path())) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                mapper.write(
                    ctx, ProblemCode.PAYLOAD_TOO_LARGE, "The request body is over the size limit.");
              } else {
                ctx.next();
              }
            });
    router
        .route()
        .order(Integer.MAX_VALUE)
        .handler(
            ctx -> mapper.write(ctx, ProblemCode.NOT_FOUND, "Nothing is served at this path."));
    router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
  }

  private void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof AuthenticationFailedException
        || failure instanceof UnauthorizedException) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      mapper.write(
          ctx,
          ProblemCode.UNAUTHENTICATED,
          "Send a valid caller JWT as 'Authorization: Bearer <token>'.");
      return;
    }
    int status = ctx.statusCode();
    if (status == 413) {
      mapper.write(ctx, ProblemCode.PAYLOAD_TOO_LARGE, "The request body is over the size limit.");
      return;
    }
    if (status >= 400 && status < 500) {
      ProblemCode code = ProblemCode.forStatus(status);
      mapper.write(ctx, code, code.title() + ".");
      return;
    }
    ctx.next();
  }

  /**
   * The API proxy streams bodies without holding them and enforces its own, larger limit ({@code
   * broker.proxy.max-body-size}); the general limit protects endpoints that read the whole body.
   */
  private static boolean streamsItsBody(String path) {
    return path != null && path.startsWith("/v1/connections/") && path.contains("/proxy/");
  }

  private static long declaredLength(RoutingContext ctx) {
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
