package io.tokenbroker.connection;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The stored grant of one upstream account. Token columns hold ciphertext envelopes only; the
 * {@code version} column is the fencing token every token write checks.
 */
@Entity
@Table(name = "connection")
public class Connection extends PanacheEntityBase {

  @Id public UUID id;

  @Column(nullable = false)
  public String provider;

  @Column(name = "account_id", nullable = false)
  public String accountId;

  @Column(name = "account_username")
  public String accountUsername;

  public String label;

  @Column(nullable = false)
  public ConnectionStatus status;

  /** Granted scopes, normalised: sorted, single-space separated. */
  @Column(nullable = false)
  public String scopes;

  @Column(name = "access_token_enc")
  public String accessTokenEnc;

  @Column(name = "access_token_expires_at")
  public Instant accessTokenExpiresAt;

  @Column(name = "refresh_token_enc")
  public String refreshTokenEnc;

  @Column(name = "refresh_token_expires_at")
  public Instant refreshTokenExpiresAt;

  @Column(name = "refresh_token_issued_at")
  public Instant refreshTokenIssuedAt;

  @Column(name = "last_refreshed_at")
  public Instant lastRefreshedAt;

  @Column(name = "next_refresh_at")
  public Instant nextRefreshAt;

  @Column(name = "failure_count", nullable = false)
  public int failureCount;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "lease_owner")
  public String leaseOwner;

  @Column(name = "lease_expires_at")
  public Instant leaseExpiresAt;

  @Version public long version;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "connection_caller", joinColumns = @JoinColumn(name = "connection_id"))
  @Column(name = "caller")
  public Set<String> allowedCallers = new LinkedHashSet<>();

  /**
   * Every entity update moves {@code updated_at}: the token cache's change feed finds changed rows
   * by it, so a write that forgot to set it would stay invisible to other replicas' caches.
   */
  @PreUpdate
  void touch() {
    updatedAt = Instant.now();
  }
}
