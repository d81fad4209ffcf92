package io.tokenbroker.refresh;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tokenbroker.connection.ConnectionSnapshot;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.provider.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

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

  private final EntityManager em;
  private final RefreshConfig config;

  DueConnections(EntityManager em, RefreshConfig config) {
    this.em = em;
    this.config = config;
  }

  /** The due rule for one provider at one moment, reused after the lease to re-check. */
  record Rule(Instant accessCut, Instant refreshCut, Instant ageCut)
      implements Predicate<ConnectionSnapshot> {
    @Override
    public boolean test(ConnectionSnapshot c) {
      return c.refreshTokenEnc() != null
          && (before(c.accessTokenExpiresAt(), accessCut)
              || (before(c.refreshTokenExpiresAt(), refreshCut) && lastRefreshRotated(c))
              || before(
                  c.lastRefreshedAt() != null ? c.lastRefreshedAt() : c.refreshTokenIssuedAt(),
                  ageCut));
    }

    /**
     * True unless the last refresh kept the refresh token it had (it is older than the refresh).
     */
    private static boolean lastRefreshRotated(ConnectionSnapshot c) {
      return c.lastRefreshedAt() == null
          || c.refreshTokenIssuedAt() == null
          || !c.refreshTokenIssuedAt().isBefore(c.lastRefreshedAt());
    }

    private static boolean before(Instant value, Instant cut) {
      return value != null && value.isBefore(cut);
    }
  }

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

  List<UUID> select(Provider provider, Rule rule, Instant now, int limit) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                em.createQuery(
                        "select c.id from Connection c where c.provider = :provider"
                            + " and c.status in (:active, :degraded) and c.refreshTokenEnc is not null"
                            + " and (c.nextRefreshAt is null or c.nextRefreshAt <= :now)"
                            + " and (c.leaseOwner is null or c.leaseExpiresAt < :now)"
                            + " and (c.accessTokenExpiresAt < :accessCut"
                            + " or (c.refreshTokenExpiresAt < :refreshCut and (c.lastRefreshedAt is null"
                            + " or c.refreshTokenIssuedAt is null"
                            + " or c.refreshTokenIssuedAt >= c.lastRefreshedAt))"
                            + " or coalesce(c.lastRefreshedAt, c.refreshTokenIssuedAt) < :ageCut)"
                            + " order by c.accessTokenExpiresAt",
                        UUID.class)
                    .setParameter("provider", provider.id())
                    .setParameter("active", ConnectionStatus.ACTIVE)
                    .setParameter("degraded", ConnectionStatus.DEGRADED)
                    .setParameter("now", now)
                    .setParameter("accessCut", rule.accessCut())
                    .setParameter("refreshCut", rule.refreshCut())
                    .setParameter("ageCut", rule.ageCut())
                    .setMaxResults(limit)
                    .getResultList());
  }
}
