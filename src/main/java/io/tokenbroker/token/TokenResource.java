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
import java.util.Optional;
import java.util.UUID;

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
  public Response issue(@PathParam("id") String rawId, @Valid TokenRequest body) {
    // Parsed once: the metric's provider tag and the service both need the id.
    Optional<UUID> id = ConnectionIds.tryParse(rawId);
    return metrics.timeTokenRequest(
        BrokerMetrics.TokenKind.CONNECTION,
        () -> id.flatMap(cache::lastKnown).map(ConnectionSnapshot::provider).orElse(null),
        () ->
            TokenResponses.noStore(
                tokens.issue(
                    policy.current(),
                    id.orElseThrow(ConnectionIds::notFound),
                    body == null ? TokenRequest.EMPTY : body)));
  }
}
