package io.tokenbroker.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.connection.ConnectionIds;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.TokenKind;
import io.tokenbroker.metrics.TokenOutcome;
import io.tokenbroker.problem.ProblemMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * The common shape of {@code POST /v1/connections/{id}/access-token}, served as a Vert.x route in
 * front of {@link TokenResource}: the REST chain (routing, a CDI request context, context
 * propagation around every step, the entity writer) cost more CPU than the broker's own work on a
 * cache hit, and this is the broker's hottest endpoint.
 *
 * <p>It takes only requests whose answer it gives exactly as the REST endpoint would: a JSON body
 * of at most {@value #MAX_BODY_BYTES} bytes declared by {@code Content-Length} (or no body at all),
 * an {@code Accept} that admits JSON, and a caller JWT that verifies. Everything else (other media
 * types, chunked or larger bodies, {@code Expect}, an unverified caller) goes on untouched to
 * {@link TokenResource}, which stays the reference and answers it; {@code TokenFetchRouteTest}
 * sends the same requests through both and compares the answers. Once it has read a body it answers
 * every outcome itself, with the same checks, problem mapper, timer and audit: the body cannot be
 * handed back to REST once read.
 */
@ApplicationScoped
class TokenFetchRoute {

  static final int MAX_BODY_BYTES = 1024;

  /**
   * After Quarkus's authentication (-200) and HTTP permission (-100) handlers, before its upload
   * limit; next to the API proxy's route, which takes other paths.
   */
  static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 7;

  private static final String PREFIX = "/v1/connections/";
  private static final String SUFFIX = "/access-token";
  private static final int UUID_CHARS = 36;

  private final ConnectionTokenService tokens;
  private final TokenCache cache;
  private final BrokerMetrics metrics;
  private final ProblemMapper problems;
  private final ObjectReader requests;

  /** Requests this route answered rather than passed on to REST (for tests). */
  private final LongAdder answered = new LongAdder();

  TokenFetchRoute(
      ConnectionTokenService tokens,
      TokenCache cache,
      BrokerMetrics metrics,
      ProblemMapper problems,
      ObjectMapper json) {
    this.tokens = tokens;
    this.cache = cache;
    this.metrics = metrics;
    this.problems = problems;
    // The application's mapper, as Quarkus REST's reader uses it: the same strictness
    // (StrictJsonReading, unknown fields refused), so a body is read here as REST would read it.
    this.requests = json.readerFor(TokenRequest.class);
  }

  long answered() {
    return answered.sum();
  }

  void install(@Observes Router router) {
    router.route().order(ORDER).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    HttpServerRequest in = ctx.request();
    UUID id = in.method() == HttpMethod.POST ? connectionOf(in.path()) : null;
    long declared = id == null ? -1 : declaredBody(in);
    if (declared < 0 || !acceptsJson(in.getHeader(HttpHeaders.ACCEPT))) {
      ctx.next();
      return;
    }
    long started = System.nanoTime();
    // Held until the caller is known: an unverified caller goes on to REST with its body unread.
    in.pause();
    Context context = Vertx.currentContext();
    QuarkusHttpUser.getSecurityIdentity(ctx, null)
        .subscribe()
        .with(
            identity ->
                onContext(
                    context,
                    () -> {
                      Caller caller = Caller.of(identity).orElse(null);
                      if (caller == null) {
                        ctx.next();
                      } else if (declared == 0) {
                        serve(ctx, context, caller, id, TokenRequest.EMPTY, started);
                      } else {
                        readBody(ctx, context, caller, id, started);
                      }
                    }),
            failure -> onContext(context, ctx::next));
  }

  private void readBody(RoutingContext ctx, Context context, Caller caller, UUID id, long started) {
    HttpServerRequest in = ctx.request();
    Buffer body = Buffer.buffer(MAX_BODY_BYTES);
    in.handler(body::appendBuffer);
    in.exceptionHandler(failure -> in.connection().close());
    in.endHandler(
        end -> {
          TokenRequest request;
          try {
            request = read(body.getBytes());
          } catch (WebApplicationException e) {
            refuse(ctx, problems.webApplicationException(e));
            return;
          } catch (JsonProcessingException e) {
            // Not timed: REST refuses such a body before the endpoint, which times, is reached.
            refuse(ctx, problems.unreadableJson(e));
            return;
          } catch (IOException e) {
            refuse(ctx, e);
            return;
          }
          serve(ctx, context, caller, id, request == null ? TokenRequest.EMPTY : request, started);
        });
    in.resume();
  }

  /**
   * The body as Quarkus REST's Jackson reader reads it
   * (FullyFeaturedServerJacksonMessageBodyReader, Quarkus 3.33): empty or blank is no body; a
   * binding failure is thrown as it is (and mapped as unreadable JSON); a syntax or other
   * data-binding failure becomes a plain 400.
   */
  TokenRequest read(byte[] body) throws IOException {
    if (body.length == 0) {
      return null;
    }
    try {
      return requests.readValue(body);
    } catch (MismatchedInputException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("No content")) {
        return null;
      }
      throw e;
    } catch (InvalidDefinitionException e) {
      throw e;
    } catch (StreamReadException | DatabindException | StreamConstraintsException e) {
      throw new WebApplicationException(e, Response.Status.BAD_REQUEST);
    }
  }

  private void serve(
      RoutingContext ctx,
      Context context,
      Caller caller,
      UUID id,
      TokenRequest request,
      long started) {
    IssuedToken held;
    try {
      held = tokens.issueFromMemory(caller, id, request);
    } catch (RuntimeException e) {
      answer(ctx, id, started, e);
      refuse(ctx, e);
      return;
    }
    if (held != null) {
      answer(ctx, id, started, null);
      write(ctx, held);
      return;
    }
    // A miss or a refresh: the database or the provider, on a worker, as REST would run it.
    context
        .<IssuedToken>executeBlocking(() -> tokens.issue(caller, id, request), false)
        .onComplete(
            result -> {
              answer(ctx, id, started, result.cause());
              if (result.succeeded()) {
                write(ctx, result.result());
              } else {
                refuse(ctx, result.cause());
              }
            });
  }

  private void refuse(RoutingContext ctx, Throwable failure) {
    answered.increment();
    problems.write(ctx, failure);
  }

  private void refuse(RoutingContext ctx, Response problem) {
    answered.increment();
    problems.write(ctx, problem);
  }

  private void write(RoutingContext ctx, IssuedToken token) {
    answered.increment();
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, TokenResponses.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Pragma", "no-cache")
        .end(TokenResponses.json(token));
  }

  /** The token timer, as {@link TokenResource} records it. */
  private void answer(RoutingContext ctx, UUID id, long started, Throwable failure) {
    metrics.tokenRequest(
        cache.providerOf(id),
        TokenKind.CONNECTION,
        failure == null ? TokenOutcome.ISSUED : TokenOutcomes.of(failure),
        System.nanoTime() - started);
  }

  /** The connection id of a raw {@code /v1/connections/{uuid}/access-token} path, else null. */
  static UUID connectionOf(String path) {
    if (path == null
        || path.length() != PREFIX.length() + UUID_CHARS + SUFFIX.length()
        || !path.startsWith(PREFIX)
        || !path.endsWith(SUFFIX)) {
      return null;
    }
    return ConnectionIds.tryParse(path.substring(PREFIX.length(), PREFIX.length() + UUID_CHARS))
        .orElse(null);
  }

  /**
   * The body length this route takes the request with: 0 for none, up to {@value #MAX_BODY_BYTES}
   * for a JSON body declared by Content-Length; -1 for anything REST should see (another media
   * type, a charset other than UTF-8, chunked, Expect: 100-continue, a larger or unreadable
   * length).
   */
  static long declaredBody(HttpServerRequest in) {
    if (in.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        || in.headers().contains(HttpHeaders.EXPECT)) {
      return -1;
    }
    String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared;
    try {
      declared = length == null ? 0 : Long.parseLong(length);
    } catch (NumberFormatException e) {
      return -1;
    }
    if (declared < 0 || declared > MAX_BODY_BYTES) {
      return -1;
    }
    String type = in.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null) {
      return declared == 0 ? 0 : -1;
    }
    return isJson(type) ? declared : -1;
  }

  private static boolean isJson(String contentType) {
    String type = contentType.strip().toLowerCase(Locale.ROOT);
    if (type.equals("application/json")) {
      return true;
    }
    int semicolon = type.indexOf(';');
    return semicolon > 0
        && type.substring(0, semicolon).strip().equals("application/json")
        && type.substring(semicolon + 1).strip().replace("\"", "").equals("charset=utf-8");
  }

  static boolean acceptsJson(String accept) {
    if (accept == null) {
      return true;
    }
    String wanted = accept.strip().toLowerCase(Locale.ROOT);
    return wanted.equals("*/*") || wanted.equals("application/json");
  }

  private static void onContext(Context context, Runnable step) {
    if (Vertx.currentContext() == context) {
      step.run();
    } else {
      context.runOnContext(v -> step.run());
    }
  }
}
