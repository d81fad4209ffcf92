package io.tokenbroker.connection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.grant.TokenRevocation;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What administrators do to connections: read, replace callers and delete. */
@ApplicationScoped
public class ConnectionAdministration {

  private final ConnectionRepository connections;
  private final ConnectionStore store;
  private final TokenRevocation revocation;
  private final ProviderCatalog providers;
  private final AuditTrail audit;
  private final Event<ConnectionChanged> changed;
  private final StatusTransitions transitions;

  ConnectionAdministration(
      ConnectionRepository connections,
      ConnectionStore store,
      TokenRevocation revocation,
      ProviderCatalog providers,
      AuditTrail audit,
      Event<ConnectionChanged> changed,
      StatusTransitions transitions) {
    this.connections = connections;
    this.store = store;
    this.revocation = revocation;
    this.providers = providers;
    this.audit = audit;
    this.changed = changed;
    this.transitions = transitions;
  }

  /** The connection's metadata as an administrator sees it; 404 when there is no such row. */
  public ConnectionView view(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> ConnectionView.of(require(id)));
  }

  public ConnectionView replaceCallers(UUID id, List<String> callers, String actor) {
    ConnectionView view =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Connection c = require(id);
                  c.allowedCallers.clear();
                  c.allowedCallers.addAll(callers);
                  c.updatedAt = Instant.now();
                  return ConnectionView.of(c);
                });
    changed.fire(new ConnectionChanged(id));
    audit.record(
        AuditEntry.of(AuditAction.CONNECTION_CALLERS_CHANGED, actor)
            .provider(view.provider())
            .connection(id)
            .detail(String.join(",", view.allowedCallers())));
    return view;
  }

  /**
   * Revokes the tokens upstream where the provider can, destroys them here, and keeps the record as
   * {@code revoked} for the audit trail.
   */
  public ConnectionView delete(UUID id, String actor) {
    Connection before = QuarkusTransaction.requiringNew().call(() -> detached(require(id)));
    boolean revoked = false;
    var provider = providers.find(before.provider);
    if (provider.isPresent() && before.status != ConnectionStatus.REVOKED) {
      if (before.refreshTokenEnc != null) {
        revoked =
            revocation.revoke(
                provider.get(),
                store.openRefreshToken(id, before.refreshTokenEnc),
                "refresh_token");
      }
      if (before.accessTokenEnc != null) {
        revoked |=
            revocation.revoke(
                provider.get(), store.openAccessToken(id, before.accessTokenEnc), "access_token");
      }
    }
    ConnectionView view =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Connection c = require(id);
                  ConnectionStatus previous = c.status;
                  c.accessTokenEnc = null;
                  c.refreshTokenEnc = null;
                  c.accessTokenExpiresAt = null;
                  c.refreshTokenExpiresAt = null;
                  c.nextRefreshAt = null;
                  c.status = ConnectionStatus.REVOKED;
                  c.updatedAt = Instant.now();
                  transitions.changed(c, previous, "deleted by an administrator");
                  return ConnectionView.of(c);
                });
    changed.fire(new ConnectionChanged(id));
    audit.record(
        AuditEntry.of(AuditAction.CONNECTION_DELETED, actor)
            .outcome(revoked ? "revoked_upstream" : "deleted")
            .provider(view.provider())
            .connection(id));
    return view;
  }

  private Connection require(UUID id) {
    return connections
        .findByIdOptional(id)
        .orElseThrow(() -> BrokerException.notFound("No connection with this id."));
  }

  private static Connection detached(Connection c) {
    Connection copy = new Connection();
    copy.id = c.id;
    copy.provider = c.provider;
    copy.status = c.status;
    copy.accessTokenEnc = c.accessTokenEnc;
    copy.refreshTokenEnc = c.refreshTokenEnc;
    return copy;
  }
}
