package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.hibernate.query.NativeQuery;

/**
 * Which connections of a provider need a scheduled refresh: the access token within the provider's
 * margin of expiry, the refresh token within its margin, or no refresh for longer than the
 * configured maximum age — each margin widened by a random jitter per run. Connections in backoff,
 * leased by a live replica, dead or revoked are left out.
 *
 * <p>The two refresh-token rules exist to get a rotated refresh token. A provider that answered the
 * last refresh without a new one would answer the next the same way, so those rules count from the
 * last refresh, and the refresh-token margin applies only while the last refresh rotated the token:
 * otherwise such a connection would be refreshed again at every run.
 */
@ApplicationScoped
class DueConnections {

  /**
   * Due, in SQL: the {@link Rule} plus what makes a connection refreshable at all (servable, holds
   * a refresh token, not backing off, lease free or expired). PostgreSQL only, like the claim.
   */
  private static final String DUE =
      "provider = :provider and status in (:active, :degraded) and refresh_token_enc is not null"
          + " and (next_refresh_at is null or next_refresh_at <= :now)"
          + " and (lease_owner is null or "
          + LeaseClock.RUN_OUT
          + ")"
          + " and (access_token_expires_at < :accessCut"
          + " or (refresh_token_expires_at < :refreshCut and (last_refreshed_at is null"
          + " or refresh_token_issued_at is null or refresh_token_issued_at >= last_refreshed_at))"
          + " or coalesce(last_refreshed_at, refresh_token_issued_at) < :ageCut)";

  private final EntityManager em;
  private final RefreshConfig config;

  DueConnections(EntityManager em, RefreshConfig config) {
    this.em = em;
    this.config = config;
  }

  /** The cuts of the due rule for one provider in one run (the jitter is drawn once per run). */
  record Rule(Instant accessCut, Instant refreshCut, Instant ageCut) {}

  Rule rule(Provider provider, Instant now) {
    long jitterMillis = config.jitter().toMillis();
    Duration spread =
        Duration.ofMillis(
            jitterMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterMillis + 1));
    return new Rule(
        now.plus(provider.accessTokenRefreshMargin()).plus(spread),
        now.plus(provider.refreshTokenRefreshMargin()).plus(spread),
        now.minus(config.maxRefreshTokenAge()).plus(spread));
  }

  /**
   * What {@link #claim} would take now, without taking it: the ids of due connections, soonest
   * access-token expiry first.
   */
  @SuppressWarnings("unchecked")
  List<UUID> select(Provider provider, Rule rule, Instant now, int limit) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                bind(
                        em.createNativeQuery(
                            "select id from connection where "
                                + DUE
                                + " order by access_token_expires_at limit :limit"),
                        provider,
                        rule,
                        now)
                    .setParameter("limit", limit)
                    .unwrap(NativeQuery.class)
                    .addScalar("id", UUID.class)
                    .getResultList());
  }

  /**
   * Takes the refresh lease of up to {@code limit} due connections of one provider in one
   * statement, soonest access-token expiry first, and returns them as held. Rows another replica is
   * claiming at the same moment are skipped rather than waited for, so concurrent claims get
   * disjoint sets; a row whose lease is held and unexpired is not due. Connections refreshed since
   * {@code since} are left out even when they are due again (a provider whose tokens live shorter
   * than its margin), so one run refreshes a connection at most once.
   */
  @SuppressWarnings("unchecked")
  List<HeldLease> claim(
      Provider provider, Rule rule, Instant since, LeaseOwner owner, Duration ttl, int limit) {
    Instant now = Instant.now();
    LeaseClock.Taken taken = LeaseClock.starting(ttl);
    List<Object[]> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    bind(
                            em.createNativeQuery(
                                "update connection set lease_owner = :owner, lease_expires_at = "
                                    + LeaseClock.EXPIRY
                                    + ", version = version + 1"
                                    + " where id in (select id from connection where "
                                    + DUE
                                    + " and (last_refreshed_at is null or last_refreshed_at < :since)"
                                    + " order by access_token_expires_at limit :limit"
                                    + " for update skip locked)"
                                    + " returning id, provider, status, refresh_token_enc,"
                                    + " refresh_token_expires_at, lease_expires_at"),
                            provider,
                            rule,
                            now)
                        .setParameter("owner", owner.id())
                        .setParameter("ttlSeconds", LeaseClock.seconds(ttl))
                        .setParameter("since", since)
                        .setParameter("limit", limit)
                        .unwrap(NativeQuery.class)
                        .addScalar("id", UUID.class)
                        .addScalar("provider", String.class)
                        .addScalar("status", String.class)
                        .addScalar("refresh_token_enc", String.class)
                        .addScalar("refresh_token_expires_at", Instant.class)
                        .addScalar("lease_expires_at", Instant.class)
                        .getResultList());
    return rows.stream()
        .map(
            r ->
                new HeldLease(
                    (UUID) r[0],
                    (String) r[1],
                    ConnectionStatus.fromWire((String) r[2]),
                    (String) r[3],
                    (Instant) r[4],
                    owner,
                    (Instant) r[5],
                    taken.deadlineNanos()))
        .toList();
  }

  private static Query bind(Query query, Provider provider, Rule rule, Instant now) {
    return query
        .setParameter("provider", provider.id())
        .setParameter("active", ConnectionStatus.ACTIVE.wire())
        .setParameter("degraded", ConnectionStatus.DEGRADED.wire())
        .setParameter("now", now)
        .setParameter("accessCut", rule.accessCut())
        .setParameter("refreshCut", rule.refreshCut())
        .setParameter("ageCut", rule.ageCut());
  }
}
