package io.tokenbroker.refresh;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.connection.ConnectionAdministration;
import io.tokenbroker.connection.ConnectionIds;
import io.tokenbroker.connection.ConnectionView;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemDocs;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An administrator's refresh of one connection, now. It lives with the refresher (not with the
 * connection administration) so that the connection package never calls the refresh engine.
 */
@Path("/v1/connections")
@Tag(name = "Connections")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class RefreshResource {

  private final RefreshCoordinator refresher;
  private final ConnectionAdministration connections;
  private final CallerPolicy policy;

  RefreshResource(
      RefreshCoordinator refresher, ConnectionAdministration connections, CallerPolicy policy) {
    this.refresher = refresher;
    this.connections = connections;
    this.policy = policy;
  }

  @POST
  @Path("{id}/refresh")
  @Operation(
      summary = "Refresh the connection's tokens now",
      description =
          "Role: broker-admin. Refreshes even when the token is fresh; the answer shows the"
              + " outcome in status and the expiry fields.")
  @APIResponse(
      responseCode = "200",
      description = "The connection after the attempt",
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
  public ConnectionView refresh(@PathParam("id") String id) {
    policy.requireAdmin(policy.current());
    UUID connectionId = ConnectionIds.parse(id);
    RefreshResult result = refresher.force(connectionId);
    if (result.outcome() == RefreshResult.Outcome.GONE) {
      throw BrokerException.notFound("No connection with this id.");
    }
    return connections.view(connectionId);
  }
}
