package io.tokenbroker.logging;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is a short, plain
 * token, else a new one. The id is in the MDC as {@code request_id} while the request is served (so
 * in every log line and audit row it causes) and in the {@code X-Request-Id} header of every
 * answer, problem+json included.
 */
@ApplicationScoped
class RequestIds {

  static final String HEADER = "X-Request-Id";
  static final String MDC_KEY = "request_id";

  /** Ids from callers end up in logs and the audit table: nothing that could forge a log line. */
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  // Observed before the other routers' installers, so that on the same (first) order this handler
  // still runs first, ahead of handlers that answer at once (oversized bodies).
  void install(@Observes @Priority(1) Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::assign);
  }

  private void assign(RoutingContext ctx) {
    String id = chosen(ctx.request().getHeader(HEADER));
    // Quarkus keeps the MDC on the request's Vert.x context, which the worker thread serving a
    // blocking endpoint shares; the end handler clears it for threads without such a context.
    MDC.put(MDC_KEY, id);
    ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HEADER, id));
    ctx.addEndHandler(v -> MDC.remove(MDC_KEY));
    ctx.next();
  }

  static String chosen(String offered) {
    return offered != null && SANE.matcher(offered).matches()
        ? offered
        : UUID.randomUUID().toString();
  }
}
