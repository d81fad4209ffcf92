package io.tokenbroker.token;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.connection.ConnectionIds;
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

  TokenResource(ConnectionTokenService tokens, CallerPolicy policy) {
    this.tokens = tokens;
    this.policy = policy;
  }

  @POST
  public Response issue(@PathParam("id") String id, @Valid TokenRequest body) {
    return TokenResponses.noStore(
        tokens.issue(
            policy.current(), ConnectionIds.parse(id), body == null ? TokenRequest.EMPTY : body));
  }
}
