package io.tokenbroker.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One event in the outbox. {@code id} is the {@code webhook-id} of every attempt; {@code payload}
 * is the exact body signed and sent each time.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends PanacheEntityBase {

  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";

  @Id public String id;

  @Column(name = "event_type", nullable = false)
  public String eventType;

  @Column(name = "connection_id")
  public UUID connectionId;

  @Column(nullable = false)
  public String payload;

  /** {@code pending} (to be sent), {@code delivered} or {@code failed} (retries ran out). */
  @Column(nullable = false)
  public String state;

  @Column(nullable = false)
  public int attempts;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  /**
   * When the next attempt is due; while an attempt runs, the end of its claim (another deliverer
   * takes the row only after that).
   */
  @Column(name = "next_attempt_at", nullable = false)
  public Instant nextAttemptAt;

  @Column(name = "give_up_at", nullable = false)
  public Instant giveUpAt;

  @Column(name = "last_attempt_at")
  public Instant lastAttemptAt;

  /** The receiver's HTTP status of the last attempt; null when none arrived. */
  @Column(name = "last_status")
  public Integer lastStatus;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "delivered_at")
  public Instant deliveredAt;
}
