package io.tokenbroker.connect;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A connect link. Keyed for people by the SHA-256 of its token: the token itself is never stored,
 * so a database reader cannot open someone's link. Single use: {@code usedAt} is set by a
 * conditional update in the transaction that stores the connection.
 */
@Entity
@Table(name = "connect_link")
public class ConnectLink extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "token_hash", nullable = false)
  public String tokenHash;

  @Column(nullable = false)
  public String provider;

  /** Scopes to request, normalised (sorted, space-separated). */
  @Column(nullable = false)
  public String scopes;

  /** Comma-separated caller names to allow on the resulting connection. */
  @Column(name = "allowed_callers")
  public String allowedCallers;

  public String label;

  public String note;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  @Column(name = "revoked_by")
  public String revokedBy;

  @Column(name = "used_at")
  public Instant usedAt;

  @Column(name = "connection_id")
  public UUID connectionId;

  @Column(name = "account_name")
  public String accountName;

  /** Where the link stands at {@code now}: used and revoked outrank expired. */
  public LinkStatus status(Instant now) {
    if (usedAt != null) {
      return LinkStatus.USED;
    }
    if (revokedAt != null) {
      return LinkStatus.REVOKED;
    }
    return expiresAt.isAfter(now) ? LinkStatus.ACTIVE : LinkStatus.EXPIRED;
  }
}
