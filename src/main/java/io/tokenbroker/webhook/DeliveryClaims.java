package io.tokenbroker.webhook;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * The outbox statements. A claim takes due rows with {@code FOR UPDATE SKIP LOCKED}, so deliverers
 * on several replicas get disjoint rows, and moves their due time to the end of the claim, so no
 * one else takes them while the attempt runs. A result is written only while the row still shows
 * the attempt that claimed it: a deliverer that outlived its claim (the row was taken again) writes
 * nothing.
 */
@ApplicationScoped
class DeliveryClaims {

  /** One claimed attempt: the row's id, its body, and which attempt this is (the fence). */
  record Claimed(String id, String payload, int attempt, Instant giveUpAt) {}

  private final EntityManager em;

  DeliveryClaims(EntityManager em) {
    this.em = em;
  }

  @SuppressWarnings("unchecked")
  List<Claimed> claim(int limit, Duration claimFor) {
    Instant now = Instant.now();
    List<Object[]> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "update webhook_delivery set next_attempt_at = :until,"
                                + " attempts = attempts + 1, last_attempt_at = :now"
                                + " where id in (select id from webhook_delivery"
                                + " where state = 'pending' and next_attempt_at <= :now"
                                + " order by next_attempt_at limit :limit for update skip locked)"
                                + " returning id, payload, attempts, give_up_at")
                        .setParameter("until", now.plus(claimFor))
                        .setParameter("now", now)
                        .setParameter("limit", limit)
                        .unwrap(NativeQuery.class)
                        .addScalar("id", String.class)
                        .addScalar("payload", String.class)
                        .addScalar("attempts", Integer.class)
                        .addScalar("give_up_at", Instant.class)
                        .getResultList());
    return rows.stream()
        .map(r -> new Claimed((String) r[0], (String) r[1], (Integer) r[2], (Instant) r[3]))
        .toList();
  }

  /**
   * @return whether the claim still held (false: another deliverer took the row meanwhile)
   */
  boolean delivered(Claimed claimed, int status) {
    Instant now = Instant.now();
    return QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "update webhook_delivery set state = 'delivered', delivered_at = :now,"
                                + " next_attempt_at = :now, last_status = :status,"
                                + " last_error = null"
                                + " where id = :id and attempts = :attempt and state = 'pending'")
                        .setParameter("now", now)
                        .setParameter("status", status)
                        .setParameter("id", claimed.id())
                        .setParameter("attempt", claimed.attempt())
                        .executeUpdate())
        == 1;
  }

  /**
   * Records a failed attempt: due again at {@code retryAt}, or {@code failed} when that is past the
   * row's give-up time.
   *
   * @return the state written ({@code pending} or {@code failed}), empty when the claim was lost
   */
  Optional<String> failed(Claimed claimed, Integer status, String error, Instant retryAt) {
    String state =
        retryAt.isAfter(claimed.giveUpAt()) ? WebhookDelivery.FAILED : WebhookDelivery.PENDING;
    int updated =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "update webhook_delivery set state = :state,"
                                + " next_attempt_at = :next, last_status = :status,"
                                + " last_error = :error"
                                + " where id = :id and attempts = :attempt and state = 'pending'")
                        .setParameter("state", state)
                        .setParameter("next", retryAt)
                        .setParameter(
                            "error", error.length() > 500 ? error.substring(0, 500) : error)
                        .setParameter("id", claimed.id())
                        .setParameter("attempt", claimed.attempt())
                        .unwrap(NativeQuery.class)
                        // Typed: no answer leaves the status null, which PostgreSQL cannot type.
                        .setParameter("status", status, StandardBasicTypes.INTEGER)
                        .executeUpdate());
    return updated == 1 ? Optional.of(state) : Optional.empty();
  }

  /** When the oldest event still to be delivered was written; empty when none waits. */
  Optional<Instant> oldestPending() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                Optional.ofNullable(
                    em.createQuery(
                            "select min(d.createdAt) from WebhookDelivery d where d.state = :s",
                            Instant.class)
                        .setParameter("s", WebhookDelivery.PENDING)
                        .getSingleResult()));
  }

  /** Deletes delivered events older than the retention; returns how many. */
  int forgetDeliveredBefore(Instant cut) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                em.createQuery(
                        "delete from WebhookDelivery d where d.state = :s and d.deliveredAt < :cut")
                    .setParameter("s", WebhookDelivery.DELIVERED)
                    .setParameter("cut", cut)
                    .executeUpdate());
  }
}
