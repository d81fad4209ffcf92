package io.tokenbroker.caller;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An authenticated caller: its name (the configured name claim, {@code sub} by default) and the
 * roles from its {@code groups} claim.
 */
public record Caller(String name, Set<String> roles) {

  /** The security-identity attribute under which the caller is kept once its token is verified. */
  static final String ATTRIBUTE = Caller.class.getName();

  public Caller {
    Objects.requireNonNull(name, "name");
    roles = Set.copyOf(roles);
  }

  /**
   * The verified caller of {@code identity}, for handlers outside REST that authenticate the
   * request themselves; empty for an anonymous identity.
   */
  public static Optional<Caller> of(SecurityIdentity identity) {
    return identity == null || identity.isAnonymous()
        ? Optional.empty()
        : Optional.ofNullable(identity.getAttribute(ATTRIBUTE));
  }

  public boolean isAdmin() {
    return roles.contains(Roles.BROKER_ADMIN);
  }

  public boolean isTokenConsumer() {
    return roles.contains(Roles.TOKEN_CONSUMER);
  }
}
