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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The broker's main job: short-lived upstream access tokens for allowed internal callers. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class TokenResource {

  private final ConnectionTokenService connectionTokens;
  private final ClientTokenService clientTokens;
  private final CallerPolicy policy;

  TokenResource(
      ConnectionTokenService connectionTokens,
      ClientTokenService clientTokens,
      CallerPolicy policy) {
    this.connectionTokens = connectionTokens;
    this.clientTokens = clientTokens;
    this.policy = policy;
  }

  @POST
  @Path("connections/{id}/access-token")
  public Response connectionToken(@PathParam("id") String id, @Valid TokenRequest body) {
    IssuedToken token =
        connectionTokens.issue(
            policy.current(), ConnectionIds.parse(id), body == null ? TokenRequest.EMPTY : body);
    return noStore(token);
  }

  @POST
  @Path("providers/{provider}/client-token")
  public Response clientToken(@PathParam("provider") String provider, @Valid TokenRequest body) {
    IssuedToken token =
        clientTokens.issue(policy.current(), provider, body == null ? TokenRequest.EMPTY : body);
    return noStore(token);
  }

  /** RFC 6749 section 5.1: token responses must not be cached. */
  private static Response noStore(IssuedToken token) {
    return Response.ok(token)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("Pragma", "no-cache")
        .build();
  }
}
