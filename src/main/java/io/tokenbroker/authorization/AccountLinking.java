package io.tokenbroker.authorization;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.audit.AuditAction;
import io.tokenbroker.audit.AuditEntry;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.connection.LinkedGrant;
import io.tokenbroker.metrics.AuthorizationOutcome;
import io.tokenbroker.metrics.BrokerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Stores the connection of a completed authorization — every callback's one way to link an account.
 * An authorization that a source started (a connect link) is linked and claimed by that source in
 * one transaction, so that a source refusing (used or withdrawn meanwhile) stores nothing.
 */
@ApplicationScoped
class AccountLinking {

  private final ConnectionStore connections;
  private final AuthorizationSources sources;
  private final AuditTrail audit;
  private final BrokerMetrics metrics;

  AccountLinking(
      ConnectionStore connections,
      AuthorizationSources sources,
      AuditTrail audit,
      BrokerMetrics metrics) {
    this.connections = connections;
    this.sources = sources;
    this.audit = audit;
    this.metrics = metrics;
  }

  /**
   * @param source the authorization request's source ({@code kind:reference}), or null
   * @throws CallbackException {@code source_refused} when the source no longer agrees
   */
  ConnectionStore.Linked link(
      LinkedGrant grant, String source, String accountName, String requestedBy) {
    Optional<AuthorizationSources.Found> found = sources.find(source);
    if (found.isEmpty()) {
      return connections.link(grant);
    }
    AuthorizationSource from = found.get().source();
    String reference = found.get().reference();
    try {
      return QuarkusTransaction.requiringNew()
          .call(
              () -> {
                ConnectionStore.Linked linked = connections.link(grant);
                if (!from.claim(reference, linked.connectionId(), accountName)) {
                  throw new CallbackException(
                      "source_refused",
                      "This link was already used or withdrawn; nothing was stored.",
                      null);
                }
                return linked;
              });
    } catch (CallbackException e) {
      audit.record(
          AuditEntry.of(AuditAction.AUTHORIZATION_FAILED, requestedBy)
              .outcome(e.reason())
              .provider(grant.provider())
              .detail(from.kind() + " " + reference));
      metrics.authorization(grant.provider(), AuthorizationOutcome.FAILED);
      throw e;
    }
  }
}
