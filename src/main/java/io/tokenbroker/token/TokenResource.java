package io.tokenbroker.token;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.connection.ConnectionIds;
import io.tokenbroker.metrics.BrokerMetrics;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * The broker's main job: a linked account's short-lived access token for an allowed caller. (A
 * class of its own: JAX-RS picks one root class per path, and this path is more specific than
 * {@code /v1/connections}.)
 *
 * <p>Served on the event loop: a cached connection whose token lives long enough is answered there,
 * without a thread hop; anything that needs the database or the provider goes to a worker ({@link
 * OffEventLoop}). The body's bounds are checked by {@link TokenRequests}, not Bean Validation.
 */
@Path("/v1/connections/{id}/access-token")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class TokenResource {

  private final ConnectionTokenService tokens;
  private final CallerPolicy policy;
  private final BrokerMetrics metrics;
  private final TokenCache cache;
  private final OffEventLoop workers;

  TokenResource(
      ConnectionTokenService tokens,
      CallerPolicy policy,
      BrokerMetrics metrics,
      TokenCache cache,
      OffEventLoop workers) {
    this.tokens = tokens;
    this.policy = policy;
    this.metrics = metrics;
    this.cache = cache;
    this.workers = workers;
  }

  @POST
  public Uni<Response> issue(@PathParam("id") String rawId, TokenRequest body) {
    long started = System.nanoTime();
    TokenRequest request = body == null ? TokenRequest.EMPTY : body;
    UUID id = ConnectionIds.tryParse(rawId).orElse(null);
    Caller caller;
    IssuedToken held;
    try {
      caller = policy.current();
      if (id == null) {
        throw ConnectionIds.notFound();
      }
      held = tokens.issueFromMemory(caller, id, request);
    } catch (RuntimeException e) {
      timed(id, started, e);
      throw e;
    }
    if (held != null) {
      timed(id, started, null);
      return Uni.createFrom().item(TokenResponses.noStore(held));
    }
    return workers
        .call(() -> tokens.issue(caller, id, request))
        .onItemOrFailure()
        .invoke((token, failure) -> timed(id, started, failure))
        .map(TokenResponses::noStore);
  }

  private void timed(UUID id, long started, Throwable failure) {
    metrics.tokenRequest(
        id == null ? null : cache.providerOf(id),
        BrokerMetrics.TokenKind.CONNECTION,
        failure == null
            ? BrokerMetrics.TokenOutcome.ISSUED
            : BrokerMetrics.TokenOutcome.of(failure),
        System.nanoTime() - started);
  }
}
