package io.tokenbroker.connect;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.problem.BrokerException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code /v1/connect-links}: administrators create, list and revoke connect links. */
@Path("/v1/connect-links")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ConnectLinkResource {

  private final ConnectLinkService links;
  private final CallerPolicy policy;

  ConnectLinkResource(ConnectLinkService links, CallerPolicy policy) {
    this.links = links;
    this.policy = policy;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Create a connect link (broker-admin)",
      description =
          "Answers the link's URL once; only its hash is stored. Default lifetime 7 days, at most"
              + " 30.")
  @APIResponse(responseCode = "201", description = "{id, url, expires_at}")
  @APIResponse(responseCode = "400", description = "validation_failed")
  @APIResponse(responseCode = "403", description = "forbidden: not broker-admin")
  @APIResponse(responseCode = "404", description = "not_found: unknown provider")
  @APIResponse(
      responseCode = "409",
      description = "connect_links_not_configured: broker.connect.public-base-url is unset")
  public Response create(@Valid @NotNull(message = "is required") CreateConnectLink body) {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    ConnectLinkCreated created = links.create(body, caller.name());
    return Response.status(Response.Status.CREATED)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .entity(created)
        .build();
  }

  @GET
  @Operation(summary = "List connect links, newest first (broker-admin); never their tokens")
  @APIResponse(responseCode = "200", description = "The links")
  @APIResponse(responseCode = "403", description = "forbidden: not broker-admin")
  public List<ConnectLinkView> list() {
    policy.requireAdmin(policy.current());
    return links.list();
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Revoke a connect link (broker-admin); its page then answers 410")
  @APIResponse(responseCode = "204", description = "Revoked (or already used or revoked)")
  @APIResponse(responseCode = "403", description = "forbidden: not broker-admin")
  @APIResponse(responseCode = "404", description = "not_found: no such link")
  public Response revoke(@PathParam("id") String id) {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    links.revoke(parse(id), caller.name());
    return Response.noContent().build();
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw BrokerException.notFound("No connect link with this id.");
    }
  }
}
