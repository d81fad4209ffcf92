package io.tokenbroker.token;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.connection.ConnectionIds;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.metrics.BrokerMetrics;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The broker's main job: a linked account's short-lived access token for an allowed caller. (A
 * class of its own: JAX-RS picks one root class per path, and this path is more specific than
 * {@code /v1/connections}.)
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

  TokenResource(
      ConnectionTokenService tokens, CallerPolicy policy, BrokerMetrics metrics, TokenCache cache) {
    this.tokens = tokens;
    this.policy = policy;
    this.metrics = metrics;
    this.cache = cache;
  }

  @POST
  public Response issue(@PathParam("id") String id, @Valid TokenRequest body) {
    return metrics.timeTokenRequest(
        BrokerMetrics.TokenKind.CONNECTION,
        () -> providerOf(id),
        () ->
            TokenResponses.noStore(
                tokens.issue(
                    policy.current(),
                    ConnectionIds.parse(id),
                    body == null ? TokenRequest.EMPTY : body)));
  }

  /** The connection's provider as the request left it in the cache; null when never found. */
  private String providerOf(String id) {
    try {
      return cache
          .lastKnown(java.util.UUID.fromString(id))
          .map(ConnectionSnapshot::provider)
          .orElse(null);
    } catch (IllegalArgumentException notAnId) {
      return null;
    }
  }
}
