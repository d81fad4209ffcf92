package io.tokenbroker.caller;

import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.CallerAuthFailure;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.problem.ProblemMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts every 401 by reason ({@code broker_caller_auth_failures_total}), and refuses any {@code
 * /v1} request that carries no credentials at all, before routing: an anonymous client learns
 * nothing about which paths or methods exist. The browser callback is the one anonymous endpoint.
 * Tokens that are present are verified later, by SmallRye JWT, per endpoint.
 */
@ApplicationScoped
class AnonymousRequestGate {

  static final String CALLBACK_PATH = "/v1/oauth/callback";

  /** The token-exchange door (io.tokenbroker.exchange), which authenticates its callers itself. */
  static final String TOKEN_EXCHANGE_PATH = "/v1/token";

  private final ProblemMapper problems;
  private final BrokerMetrics metrics;

  AnonymousRequestGate(ProblemMapper problems, BrokerMetrics metrics) {
    this.problems = problems;
    this.metrics = metrics;
  }

  private static boolean isCallback(String path) {
    return path.equals(CALLBACK_PATH) || path.startsWith(CALLBACK_PATH + "/");
  }

  void install(@Observes Router router) {
    router
        .route("/v1/*")
        .order(Integer.MIN_VALUE + 1)
        .handler(
            ctx -> {
              String authorization = ctx.request().getHeader("Authorization");
              boolean anonymous = authorization == null || authorization.isBlank();
              String path = ctx.normalizedPath();
              if (anonymous && !isCallback(path) && !path.equals(TOKEN_EXCHANGE_PATH)) {
                metrics.callerAuthFailure(CallerAuthFailure.MISSING);
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                problems.write(
                    ctx,
                    ProblemCode.UNAUTHENTICATED,
                    "Send a valid caller JWT as 'Authorization: Bearer <token>'.");
                return;
              }
              if (!anonymous) {
                // Counted when the answer is known: verification runs later, per endpoint.
                CallerAuthFailure reason =
                    authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? CallerAuthFailure.INVALID
                        : CallerAuthFailure.NOT_BEARER;
                ctx.addHeadersEndHandler(
                    v -> {
                      if (ctx.response().getStatusCode() == 401) {
                        metrics.callerAuthFailure(reason);
                      }
                    });
              }
              ctx.next();
            });
  }
}
