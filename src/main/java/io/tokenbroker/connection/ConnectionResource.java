package io.tokenbroker.connection;

import io.tokenbroker.problem.BrokerException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Administration of linked accounts (the connection part of the v1 contract). */
@Path("/v1/connections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("broker-admin")
public class ConnectionResource {

  private final ConnectionRepository connections;

  ConnectionResource(ConnectionRepository connections) {
    this.connections = connections;
  }

  @GET
  @Transactional
  public List<ConnectionView> list(
      @QueryParam("provider") String provider, @QueryParam("status") String status) {
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

  @PUT
  @Path("{id}/callers")
  @Consumes(MediaType.APPLICATION_JSON)
  @Transactional
  public ConnectionView replaceCallers(
      @PathParam("id") String id, @Valid @NotNull(message = "is required") CallersUpdate update) {
    Connection connection = find(id);
    connection.allowedCallers.clear();
    connection.allowedCallers.addAll(update.allowedCallers());
    connection.updatedAt = Instant.now();
    return ConnectionView.of(connection);
  }

  @GET
  @Path("{id}")
  @Transactional
  public ConnectionView get(@PathParam("id") String id) {
    return ConnectionView.of(find(id));
  }

  private Connection find(String id) {
    return connections
        .findByIdOptional(ConnectionIds.parse(id))
        .orElseThrow(() -> BrokerException.notFound("No connection with this id."));
  }
}
