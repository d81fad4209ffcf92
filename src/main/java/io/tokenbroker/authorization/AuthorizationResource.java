package io.tokenbroker.authorization;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /v1/authorizations}: an administrator starts linking an account. */
@Path("/v1/authorizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class AuthorizationResource {

  private final AuthorizationService authorizations;
  private final CallerPolicy policy;

  AuthorizationResource(AuthorizationService authorizations, CallerPolicy policy) {
    this.authorizations = authorizations;
    this.policy = policy;
  }

  @POST
  public Response start(@Valid @NotNull(message = "is required") StartAuthorization body) {
    Caller caller = policy.current();
    policy.requireStartAuthorization(caller);
    AuthorizationStarted started = authorizations.start(body, caller.name());
    return Response.status(Response.Status.CREATED)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .entity(started)
        .build();
  }
}
