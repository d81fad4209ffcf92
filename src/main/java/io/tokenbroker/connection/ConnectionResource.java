package io.tokenbroker.connection;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.refresh.RefreshCoordinator;
import io.tokenbroker.refresh.RefreshResult;
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
import java.util.UUID;

/** Administration of linked accounts (the connection part of the v1 contract). */
@Path("/v1/connections")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ConnectionResource {

  private static final String NOT_FOUND = "No connection with this id is available to this caller.";

  private final ConnectionRepository connections;
  private final ConnectionAdministration administration;
  private final RefreshCoordinator refresher;
  private final CallerPolicy policy;

  ConnectionResource(
      ConnectionRepository connections,
      ConnectionAdministration administration,
      RefreshCoordinator refresher,
      CallerPolicy policy) {
    this.connections = connections;
    this.administration = administration;
    this.refresher = refresher;
    this.policy = policy;
  }

  @GET
  @Transactional
  public List<ConnectionView> list(
      @QueryParam("provider") String provider, @QueryParam("status") String status) {
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
  public ConnectionView get(@PathParam("id") String id) {
    Caller caller = policy.current();
    Connection c = connections.findByIdOptional(ConnectionIds.parse(id)).orElse(null);
    if (c == null || !policy.mayViewConnection(caller, c.allowedCallers)) {
      throw BrokerException.notFound(NOT_FOUND);
    }
    return ConnectionView.of(c);
  }

  @PUT
  @Path("{id}/callers")
  @Consumes(MediaType.APPLICATION_JSON)
  public ConnectionView replaceCallers(
      @PathParam("id") String id, @Valid @NotNull(message = "is required") CallersUpdate update) {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    return administration.replaceCallers(
        ConnectionIds.parse(id), update.allowedCallers(), caller.name());
  }

  @POST
  @Path("{id}/refresh")
  public ConnectionView refresh(@PathParam("id") String id) {
    policy.requireAdmin(policy.current());
    UUID connectionId = ConnectionIds.parse(id);
    RefreshResult result = refresher.force(connectionId);
    return switch (result.outcome()) {
      case GONE -> throw BrokerException.notFound("No connection with this id.");
      default -> get(id);
    };
  }

  @DELETE
  @Path("{id}")
  public ConnectionView delete(@PathParam("id") String id) {
    Caller caller = policy.current();
    policy.requireAdmin(caller);
    return administration.delete(ConnectionIds.parse(id), caller.name());
  }
}
