package io.tokenbroker.imports;

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
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /v1/connections/import}: an administrator brings an existing grant in. */
@Path("/v1/connections/import")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class ImportResource {

  private final ConnectionImport imports;
  private final CallerPolicy policy;

  ImportResource(ConnectionImport imports, CallerPolicy policy) {
    this.imports = imports;
    this.policy = policy;
  }

  @POST
  @Operation(
      summary = "Import an existing refresh token (role broker-admin)",
      description =
          "Refreshes at once with the given refresh token, identifies the account and stores the"
              + " connection; an account that is already linked is updated as a new link would"
              + " update it. The refresh token is never echoed.")
  @APIResponse(responseCode = "201", description = "A new connection was created")
  @APIResponse(responseCode = "200", description = "The account's existing connection was updated")
  @APIResponse(responseCode = "400", description = "validation_failed or malformed_request")
  @APIResponse(responseCode = "403", description = "The caller is not a broker-admin")
  @APIResponse(
      responseCode = "422",
      description = "grant_rejected: the provider refused the token; nothing was stored")
  @APIResponse(
      responseCode = "503",
      description = "The provider or the broker is unavailable; nothing was stored, retry later")
  public Response importConnection(@Valid @NotNull(message = "is required") ImportRequest body) {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    ImportResult result = imports.importGrant(body, caller.name());
    Response.ResponseBuilder answer =
        result.created()
            ? Response.created(URI.create("/v1/connections/" + result.connection().id()))
            : Response.ok();
    return answer.header(HttpHeaders.CACHE_CONTROL, "no-store").entity(result.connection()).build();
  }
}
