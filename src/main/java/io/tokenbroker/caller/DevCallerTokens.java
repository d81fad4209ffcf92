package io.tokenbroker.caller;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Mints caller JWTs with the embedded default's own key, for local trials. Each token carries
 * exactly the issuer and audience that verification expects, so it works wherever a token from a
 * real identity provider would.
 */
@ApplicationScoped
class DevCallerTokens {

  static final Duration DEFAULT_TTL = Duration.ofHours(1);
  static final Duration MAX_TTL = Duration.ofDays(1);

  private static final Logger LOG = Logger.getLogger(DevCallerTokens.class);

  private final LocalCallerKeys keys;
  private final JWTAuthContextInfo verification;
  private final CallerConfig config;

  DevCallerTokens(LocalCallerKeys keys, JWTAuthContextInfo verification, CallerConfig config) {
    this.keys = keys;
    this.verification = verification;
    this.config = config;
  }

  record Minted(String token, Instant expiresAt) {}

  /**
   * A token naming {@code subject}, with {@code groups} as roles, valid for {@code ttl}.
   *
   * @throws IllegalStateException when the broker has no local key (not the embedded default)
   */
  Minted mint(String subject, Set<String> groups, Duration ttl) {
    KeyPair pair =
        keys.keyPair()
            .orElseThrow(() -> new IllegalStateException("the broker has no local caller key"));
    Instant now = Instant.now();
    Instant expiresAt = now.plus(ttl);
    JwtClaimsBuilder claims =
        Jwt.subject(subject)
            .groups(groups)
            .issuedAt(now)
            .expiresAt(expiresAt)
            .claim(config.nameClaim(), subject);
    if (verification.getIssuedBy() != null) {
      claims.issuer(verification.getIssuedBy());
    }
    Set<String> audience = verification.getExpectedAudience();
    if (audience != null && !audience.isEmpty()) {
      claims.audience(audience);
    }
    String token = claims.jws().sign(pair.getPrivate());
    LOG.infof(
        "minted a development caller token for '%s' with roles %s, valid until %s",
        subject, groups, expiresAt);
    return new Minted(token, expiresAt);
  }
}
