package io.tokenbroker.proxy;

import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.connection.ConnectionIds;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.problem.ProblemMapper;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import io.tokenbroker.token.UpstreamBearer;
import io.tokenbroker.token.UpstreamBearers;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One proxied call: authenticate, find the connection's token (from the cache, or on a worker
 * thread when the database or a refresh is needed), check the path, stream the body to the
 * provider, stream the answer back. A 401 from the provider triggers one refresh and, when the body
 * could be kept, one retry. Every step after {@link #start()} runs on the request's Vert.x context;
 * only token look-ups that may block leave it.
 */
final class ProxyExchange {

  private static final Logger LOG = Logger.getLogger(ProxyExchange.class);
  static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /** What every exchange needs, built once by {@link ProxyRoute}. */
  record Parts(
      ProxyConfig config,
      ProxyClients clients,
      UpstreamBearers tokens,
      ProviderCatalog providers,
      ProblemMapper problems,
      BrokerMetrics metrics,
      AuditTrail audit) {}

  private final Parts parts;
  private final RoutingContext ctx;
  private final HttpServerRequest in;
  private final Context context;
  private final String rawId;
  private final String rawPath;
  private final String method;
  private final long started = System.nanoTime();

  private Caller caller;
  private String provider;
  private String path;
  private URI target;
  private MultiMap headers;
  private final RequestBody body;
  private boolean finished;

  ProxyExchange(Parts parts, RoutingContext ctx, String rawId, String rawPath) {
    this.parts = parts;
    this.ctx = ctx;
    this.in = ctx.request();
    this.context = ctx.vertx().getOrCreateContext();
    this.rawId = rawId;
    this.rawPath = rawPath;
    this.method = in.method().name();
    this.body = new RequestBody(in, parts.config());
  }

  void start() {
    // Held until the upstream request exists; Vert.x queues what arrives meanwhile.
    in.pause();
    if (!METHODS.contains(method)) {
      ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD, POST, PUT, PATCH, DELETE");
      fail(
          new BrokerException(
              ProblemCode.METHOD_NOT_ALLOWED,
              "The proxy forwards GET, HEAD, POST, PUT, PATCH" + " and DELETE."));
      return;
    }
    if (body.declaredTooLarge()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      fail(tooLarge());
      return;
    }
    try {
      path = ProxyTarget.checkPath(rawPath);
    } catch (BrokerException e) {
      fail(e);
      return;
    }
    UUID id = ConnectionIds.tryParse(rawId).orElse(null);
    if (id == null) {
      fail(ConnectionIds.notFound());
      return;
    }
    QuarkusHttpUser.getSecurityIdentity(ctx, null)
        .subscribe()
        .with(
            identity -> onContext(() -> authenticated(Caller.of(identity).orElse(null), id)),
            failure -> onContext(() -> fail(unauthenticated())));
  }

  private void authenticated(Caller who, UUID id) {
    if (who == null) {
      fail(unauthenticated());
      return;
    }
    caller = who;
    try {
      var cached = parts.tokens().cachedBearer(caller, id);
      if (cached.isPresent()) {
        forward(cached.get());
        return;
      }
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    blocking(() -> parts.tokens().bearer(caller, id), this::forward);
  }

  private void forward(UpstreamBearer bearer) {
    provider = bearer.provider();
    Provider configured = parts.providers().find(provider).orElse(null);
    try {
      if (configured == null || configured.apiBaseUrl().isEmpty()) {
        throw BrokerException.notFound(
            "This connection's provider has no API proxy (no api-base-url is configured).");
      }
      if (!configured.proxyAllows(method, path)) {
        throw BrokerException.forbidden(
            "The provider's proxy allow-list does not include this method and path.");
      }
      target = ProxyTarget.resolve(configured.apiBaseUrl().get(), path, in.query());
    } catch (BrokerException e) {
      fail(e);
      return;
    }
    headers = ProxyHeaders.towardsProvider(in.headers());
    // A caller that goes away mid-call is counted as nginx counts it (499).
    ctx.addEndHandler(
        ended -> {
          if (ended.failed()) {
            finish(499);
          }
        });
    send(bearer, true);
  }

  private void send(UpstreamBearer bearer, boolean first) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setAbsoluteURI(target.toString())
            .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers))
            .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer.accessToken())
            .setConnectTimeout(parts.config().connectTimeout().toMillis());
    parts
        .clients()
        .forProvider(provider)
        .request(options)
        .onSuccess(
            request -> {
              request.response().onSuccess(r -> answered(r, bearer, first)).onFailure(this::lost);
              if (!body.present()) {
                request.end();
                awaitAnswer(request);
              } else if (!first) {
                request.end(body.replay());
                awaitAnswer(request);
              } else {
                body.pipeTo(request, () -> awaitAnswer(request), this::bodyTooLarge);
              }
            })
        .onFailure(this::lost);
  }

  private void bodyTooLarge() {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    fail(tooLarge());
  }

  /**
   * Starts the read timeout once the whole body is sent: Vert.x counts idle time from the last byte
   * received, and a provider owes no byte while a long upload is still arriving.
   */
  private void awaitAnswer(HttpClientRequest request) {
    request.idleTimeout(parts.config().readTimeout().toMillis());
  }

  private void answered(HttpClientResponse response, UpstreamBearer bearer, boolean first) {
    if (response.statusCode() == 401 && first && parts.tokens().worthRefreshing(bearer)) {
      if (body.ended() && body.replay() != null) {
        // The provider refused the token before acting: refresh once, then send again.
        response.handler(chunk -> {}).resume();
        blocking(() -> parts.tokens().bearerAfterRejection(caller, bearer), b -> send(b, false));
        return;
      }
      // The body is gone: pass the 401 on, and refresh for the caller's next attempt.
      context.executeBlocking(() -> parts.tokens().bearerAfterRejection(caller, bearer), false);
    }
    relay(response);
  }

  private void relay(HttpClientResponse response) {
    HttpServerResponse out = ctx.response();
    if (out.ended() || finished) {
      response.request().reset();
      return;
    }
    out.setStatusCode(response.statusCode());
    ProxyHeaders.towardsCaller(response.headers(), out.headers());
    boolean bodiless =
        method.equals("HEAD") || response.statusCode() == 204 || response.statusCode() == 304;
    if (!bodiless && !out.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      out.setChunked(true);
    }
    // Not ended on failure: a cut answer must look cut, not like a complete shorter one.
    response
        .pipe()
        .endOnFailure(false)
        .to(out)
        .onComplete(
            done -> {
              if (done.failed()) {
                LOG.debugf("proxied answer cut: %s", done.cause().getClass().getSimpleName());
                out.reset();
              }
              finish(response.statusCode());
            });
  }

  /** The upstream call failed before an answer arrived (connect error, timeout, reset). */
  private void lost(Throwable failure) {
    boolean timeout =
        failure instanceof TimeoutException
            || failure instanceof io.netty.channel.ConnectTimeoutException;
    LOG.debugf("proxied call to %s failed: %s", provider, failure.getClass().getSimpleName());
    fail(
        timeout
            ? new BrokerException(
                ProblemCode.UPSTREAM_TIMEOUT, "The provider did not answer in time.")
            : new BrokerException(
                ProblemCode.UPSTREAM_UNREACHABLE, "The provider could not be reached."));
  }

  private void fail(Throwable failure) {
    if (finished || ctx.response().ended()) {
      return;
    }
    body.discard();
    parts.problems().write(ctx, failure);
    finish(ctx.response().getStatusCode());
  }

  /** Records the call once: the histogram always, the audit row once a caller was served. */
  private void finish(int status) {
    if (finished) {
      return;
    }
    finished = true;
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    parts.metrics().proxyRequest(provider, method, status, took);
    if (caller != null && target != null) {
      UUID connection = ConnectionIds.tryParse(rawId).orElse(null);
      String detail = method + " " + path + " " + status;
      if (status < 400) {
        // Counted like issued tokens (broker.audit.issued-tokens): under the default, one row per
        // caller, connection, call and minute instead of a database insert per proxied call.
        parts.audit().issued(AuditAction.PROXY_CALLED, caller.name(), provider, connection, detail);
      } else {
        parts
            .audit()
            .recordLater(
                AuditEntry.of(AuditAction.PROXY_CALLED, caller.name())
                    .outcome((status / 100) + "xx")
                    .provider(provider)
                    .connection(connection)
                    .detail(detail));
      }
    }
  }

  /** Runs a look-up that may block on a worker thread, then continues here. */
  private <T> void blocking(Callable<T> work, Consumer<T> then) {
    context
        .executeBlocking(work, false)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                then.accept(result.result());
              } else {
                fail(result.cause());
              }
            });
  }

  private void onContext(Runnable step) {
    if (io.vertx.core.Vertx.currentContext() == context) {
      step.run();
    } else {
      context.runOnContext(v -> step.run());
    }
  }

  private BrokerException tooLarge() {
    return new BrokerException(
        ProblemCode.PAYLOAD_TOO_LARGE,
        "The request body is over the proxy's limit (broker.proxy.max-body-size).");
  }

  private BrokerException unauthenticated() {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    return new BrokerException(
        ProblemCode.UNAUTHENTICATED, "Send a valid caller JWT as 'Authorization: Bearer <token>'.");
  }
}
