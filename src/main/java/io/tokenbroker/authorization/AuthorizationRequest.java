package io.tokenbroker.authorization;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A started authorization, keyed by the SHA-256 of its state: the state itself is never stored, so
 * a database reader cannot complete someone else's link. Single use: {@code consumedAt} is set by a
 * conditional update.
 */
@Entity
@Table(name = "authorization_request")
public class AuthorizationRequest extends PanacheEntityBase {

  @Id
  @Column(name = "state_hash")
  public String stateHash;

  @Column(nullable = false)
  public String provider;

  /** Requested scopes, normalised (sorted, space-separated). */
  @Column(nullable = false)
  public String scopes;

  @Column(name = "redirect_uri", nullable = false)
  public String redirectUri;

  @Column(name = "return_to")
  public String returnTo;

  /** Comma-separated caller names to allow on the resulting connection. */
  @Column(name = "allowed_callers")
  public String allowedCallers;

  public String label;

  @Column(name = "pkce_verifier_enc")
  public String pkceVerifierEnc;

  @Column(name = "requested_by", nullable = false)
  public String requestedBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "consumed_at")
  public Instant consumedAt;

  /** The feature that started it for someone else ({@code kind:reference}), or null. */
  public String source;
}
