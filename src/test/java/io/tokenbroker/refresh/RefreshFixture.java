package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.ConnectionStore;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.IssuedTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Puts connections into the states the refresh tests start from, through the broker's own store
 * (tokens sealed exactly as a linked account's), and reads back what the refresher did. Time moves
 * only here: a test "lets time pass" by moving a stored instant, never by sleeping.
 */
@ApplicationScoped
public class RefreshFixture {

  /** The caller every refresh test lists on its connections. */
  static final String CALLER = "svc-refresh";

  private final ConnectionStore store;
  private final LeaseStore leases;
  private final EntityManager em;

  private final ProviderBreakers breakers;

  RefreshFixture(
      ConnectionStore store, LeaseStore leases, EntityManager em, ProviderBreakers breakers) {
    this.store = store;
    this.leases = leases;
    this.em = em;
    this.breakers = breakers;
  }

  /** Every provider's breaker closed and its memory of earlier tests' answers forgotten. */
  public void healthyBreakers() {
    breakers.resetAll();
  }

  /** An open breaker's next probe is due now, as if its probe interval had passed. */
  public void probeDue(String provider) {
    breakers.probeDueNow(provider);
  }

  /** Stores a stand-in grant as a linked Pinterest connection, as the callback would. */
  public UUID link(IssuedTokens grant) {
    return LinkedAccounts.store(grant, CALLER);
  }

  public ConnectionSnapshot row(UUID id) {
    return leases.read(id).orElseThrow();
  }

  /** The refresh token the broker holds now, opened (tests compare it with the stand-in's). */
  public String storedRefreshToken(UUID id) {
    ConnectionSnapshot row = row(id);
    return row.refreshTokenEnc() == null ? null : store.openRefreshToken(id, row.refreshTokenEnc());
  }

  public String storedAccessToken(UUID id) {
    ConnectionSnapshot row = row(id);
    return row.accessTokenEnc() == null ? null : store.openAccessToken(id, row.accessTokenEnc());
  }

  public int failureCount(UUID id) {
    return read(id).failureCount;
  }

  public String lastError(UUID id) {
    return read(id).lastError;
  }

  public void accessTokenExpiresAt(UUID id, Instant at) {
    set(id, "accessTokenExpiresAt", at);
  }

  public void refreshTokenExpiresAt(UUID id, Instant at) {
    set(id, "refreshTokenExpiresAt", at);
  }

  /** Back-dates the current refresh token and the refresh that brought it, as time would. */
  public void refreshedAt(UUID id, Instant at) {
    set(id, "refreshTokenIssuedAt", at);
    set(id, "lastRefreshedAt", at);
  }

  /** The backoff of a degraded connection has run out. */
  public void backoffOver(UUID id) {
    set(id, "nextRefreshAt", Instant.now().minusSeconds(1));
  }

  /** The holder's lease TTL has passed (whoever holds it never gave it back). */
  public void leaseExpired(UUID id) {
    set(id, "leaseExpiresAt", Instant.now().minusMillis(1));
  }

  /**
   * Keeps connections of earlier tests out of due selection: they belong to stand-in grants that a
   * reset forgot, so refreshing them would only count as invalid grants here.
   */
  public void parkEveryConnection() {
    // Answers of earlier tests (their dead grants) must not count toward a burst in this one.
    healthyBreakers();
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createQuery(
                        "update Connection c set c.nextRefreshAt = :later where c.status in"
                            + " (:active, :degraded)")
                    .setParameter("later", Instant.now().plusSeconds(30 * 86_400))
                    .setParameter("active", ConnectionStatus.ACTIVE)
                    .setParameter("degraded", ConnectionStatus.DEGRADED)
                    .executeUpdate());
  }

  /** Audit rows of one connection with one action, oldest first. */
  public List<AuditEvent> audit(UUID id, String action) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                em.createQuery(
                        "from AuditEvent e where e.connectionId = :id and e.action = :action"
                            + " order by e.id",
                        AuditEvent.class)
                    .setParameter("id", id)
                    .setParameter("action", action)
                    .getResultList());
  }

  /**
   * The PostgreSQL transaction that last wrote the connection's row ({@code xmin}): rows written in
   * one transaction share it.
   */
  public String lastWriter(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                (String)
                    em.createNativeQuery("select xmin::text from connection where id = :id")
                        .setParameter("id", id)
                        .getSingleResult());
  }

  /** The transactions that wrote one connection's audit rows of one action, oldest first. */
  @SuppressWarnings("unchecked")
  public List<String> auditWriters(UUID id, String action) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                (List<String>)
                    em.createNativeQuery(
                            "select xmin::text from audit_event where connection_id = :id"
                                + " and action = :action order by id")
                        .setParameter("id", id)
                        .setParameter("action", action)
                        .getResultList());
  }

  private Connection read(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Connection c = em.find(Connection.class, id);
              em.detach(c);
              return c;
            });
  }

  private void set(UUID id, String field, Instant value) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createQuery("update Connection c set c." + field + " = :v where c.id = :id")
                    .setParameter("v", value)
                    .setParameter("id", id)
                    .executeUpdate());
  }
}
