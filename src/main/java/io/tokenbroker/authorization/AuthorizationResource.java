package io.tokenbroker.authorization;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** {@code POST /v1/authorizations}: an administrator starts linking an account. */
@Path("/v1/authorizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("broker-admin")
public class AuthorizationResource {

  private final AuthorizationService authorizations;
  private final JsonWebToken jwt;

  AuthorizationResource(AuthorizationService authorizations, JsonWebToken jwt) {
    this.authorizations = authorizations;
    this.jwt = jwt;
  }

  @POST
  public Response start(@Valid @NotNull(message = "is required") StartAuthorization body) {
    AuthorizationStarted started = authorizations.start(body, jwt.getSubject());
    return Response.status(Response.Status.CREATED)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .entity(started)
        .build();
  }
}
