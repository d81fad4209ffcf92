package io.tokenbroker.connection;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemDocs;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Administration of linked accounts (the connection part of the v1 contract). */
@Path("/v1/connections")
@Tag(name = "Connections")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ConnectionResource {

  private static final String NOT_FOUND = "No connection with this id is available to this caller.";

  private final ConnectionRepository connections;
  private final ConnectionAdministration administration;
  private final CallerPolicy policy;

  ConnectionResource(
      ConnectionRepository connections,
      ConnectionAdministration administration,
      CallerPolicy policy) {
    this.connections = connections;
    this.administration = administration;
    this.policy = policy;
  }

  @GET
  @Transactional
  @Operation(
      summary = "List linked accounts",
      description =
          "Role: broker-admin. Metadata only, never a token; the id of each entry is what the"
              + " token endpoint takes.")
  @APIResponse(
      responseCode = "200",
      description = "The connections, oldest first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = SchemaType.ARRAY, implementation = ConnectionView.class)))
  @APIResponse(
      responseCode = "400",
      description = "validation_failed: an unknown status",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "403",
      description = ProblemDocs.ADMIN_ONLY,
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  public List<ConnectionView> list(
      @Parameter(description = "Only this provider's connections") @QueryParam("provider")
          String provider,
      @Parameter(
              description = "Only connections in this status",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"active", "degraded", "reauthorization_required", "revoked"}))
          @QueryParam("status")
          String status) {
    policy.requireAdmin(policy.current());
    Optional<ConnectionStatus> wanted;
    try {
      wanted = Optional.ofNullable(status).map(ConnectionStatus::fromWire);
    } catch (IllegalArgumentException e) {
      throw BrokerException.invalid(
          "status must be one of active, degraded, reauthorization_required, revoked.");
    }
    return connections.list(Optional.ofNullable(provider), wanted).stream()
        .map(ConnectionView::of)
        .toList();
  }

  /**
   * Administrators see any connection; a caller sees one it is allowed to use, and nothing else.
   */
  @GET
  @Path("{id}")
  @Transactional
  @Operation(
      summary = "Read one connection's metadata",
      description = "Role: broker-admin, or a token-consumer listed in its allowed_callers.")
  @APIResponse(
      responseCode = "200",
      description = "The connection",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ConnectionView.class)))
  @APIResponse(
      responseCode = "404",
      description = "not_found: no such connection, or the caller may not see it (the same answer)",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  public ConnectionView get(@PathParam("id") String id) {
    Caller caller = policy.current();
    Connection c = connections.findByIdOptional(ConnectionIds.parse(id)).orElse(null);
    if (c == null || !policy.mayViewConnection(caller, c.allowedCallers)) {
      throw BrokerException.notFound(NOT_FOUND);
    }
    return ConnectionView.of(c);
  }

  /**
   * No such operation, answered as a 404 that says what was probably meant: {@code POST
   * /v1/connections/$CONN/access-token} with {@code $CONN} unset reaches this path (the empty
   * segment collapses), and a bare 405 would send the caller looking for the wrong mistake.
   */
  @POST
  @Path("{id}")
  @Operation(hidden = true)
  public void noSuchOperation(@PathParam("id") String id) {
    throw BrokerException.notFound(
        ("access-token".equals(id) ? "The connection id is missing from the path. " : "")
            + "Fetch a token with POST /v1/connections/{id}/access-token, with a connection id"
            + " from GET /v1/connections.");
  }

  @PUT
  @Path("{id}/callers")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Replace the callers allowed to fetch the connection's token",
      description = "Role: broker-admin. The list replaces the previous one entirely.")
  @APIResponse(
      responseCode = "200",
      description = "The connection with its new allowed_callers",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ConnectionView.class)))
  @APIResponse(
      responseCode = "403",
      description = ProblemDocs.ADMIN_ONLY,
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "404",
      description = ProblemDocs.NO_CONNECTION,
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  public ConnectionView replaceCallers(
      @PathParam("id") String id, @Valid @NotNull(message = "is required") CallersUpdate update) {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    return administration.replaceCallers(
        ConnectionIds.parse(id), update.allowedCallers(), caller.name());
  }

  @DELETE
  @Path("{id}")
  @Operation(
      summary = "Unlink an account",
      description =
          "Role: broker-admin. Revokes the grant at the provider where it can, and deletes the"
              + " stored tokens.")
  @APIResponse(
      responseCode = "200",
      description = "The connection as it was",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ConnectionView.class)))
  @APIResponse(
      responseCode = "403",
      description = ProblemDocs.ADMIN_ONLY,
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "404",
      description = ProblemDocs.NO_CONNECTION,
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  public ConnectionView delete(@PathParam("id") String id) {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    return administration.delete(ConnectionIds.parse(id), caller.name());
  }
}
