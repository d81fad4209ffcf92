package io.tokenbroker.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One row of the audit trail. Holds who, what, when and the outcome; never a token or secret. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "occurred_at", nullable = false)
  public Instant occurredAt;

  @Column(nullable = false)
  public String actor;

  @Column(nullable = false)
  public String action;

  @Column(nullable = false)
  public String outcome;

  public String provider;

  @Column(name = "connection_id")
  public UUID connectionId;

  @Column(name = "request_id")
  public String requestId;

  public String detail;

  /**
   * Issued tokens this row stands for: 1 for a token recorded on its own, the minute's count for a
   * row of {@code broker.audit.issued-tokens=aggregated}; null for rows about anything else.
   */
  @Column(name = "issued_count")
  public Integer issuedCount;

  /** The last token of an aggregated row: when it was issued and its request id. */
  @Column(name = "last_occurred_at")
  public Instant lastOccurredAt;

  @Column(name = "last_request_id")
  public String lastRequestId;
}
