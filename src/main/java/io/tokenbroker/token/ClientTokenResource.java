package io.tokenbroker.token;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.CallerPolicy;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** App tokens (client-credentials grant) for callers allowed on the provider. */
@Path("/v1/providers/{provider}/client-token")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class ClientTokenResource {

  private final ClientTokenService tokens;
  private final CallerPolicy policy;

  ClientTokenResource(ClientTokenService tokens, CallerPolicy policy) {
    this.tokens = tokens;
    this.policy = policy;
  }

  @POST
  public Response issue(@PathParam("provider") String provider, @Valid TokenRequest body) {
    return TokenResponses.noStore(
        tokens.issue(policy.current(), provider, body == null ? TokenRequest.EMPTY : body));
  }
}
