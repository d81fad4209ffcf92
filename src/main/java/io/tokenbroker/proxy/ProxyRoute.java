package io.tokenbroker.proxy;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.problem.ProblemMapper;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.token.UpstreamBearers;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v1/connections/{id}/proxy/{path}}: a Vert.x route rather than a REST endpoint, so that
 * bodies stream through without being read into memory and the hot path never leaves the event
 * loop. Matched on the raw path: the router's normalised path would already have resolved the dot
 * segments this route must refuse.
 */
@ApplicationScoped
class ProxyRoute {

  private static final String PREFIX = "/v1/connections/";
  private static final Pattern PATH = Pattern.compile("/v1/connections/([^/]+)/proxy(?:/(.*))?");

  private final ProxyExchange.Parts parts;

  ProxyRoute(
      ProxyConfig config,
      ProxyClients clients,
      UpstreamBearers tokens,
      ProviderCatalog providers,
      ProblemMapper problems,
      BrokerMetrics metrics,
      AuditTrail audit) {
    this.parts =
        new ProxyExchange.Parts(config, clients, tokens, providers, problems, metrics, audit);
  }

  /**
   * After Quarkus's security filters (authentication at order -200 leaves the deferred identity on
   * the context; HTTP permissions at -100) and before its upload limit (order {@value
   * RouteConstants#ROUTE_ORDER_UPLOAD_LIMIT}), which would refuse any declared body larger than
   * {@code quarkus.http.limits.max-body-size}: the proxy applies its own limit.
   */
  static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 8;

  void install(@Observes Router router) {
    router.route().order(ORDER).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    String raw = ctx.request().path();
    if (raw == null || !raw.startsWith(PREFIX)) {
      ctx.next();
      return;
    }
    Matcher matcher = PATH.matcher(raw);
    if (!matcher.matches()) {
      ctx.next();
      return;
    }
    new ProxyExchange(parts, ctx, matcher.group(1), matcher.group(2)).start();
  }
}
