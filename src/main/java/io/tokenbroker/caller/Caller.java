package io.tokenbroker.caller;

import java.util.Objects;
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

  public boolean isAdmin() {
    return roles.contains(Roles.BROKER_ADMIN);
  }

  public boolean isTokenConsumer() {
    return roles.contains(Roles.TOKEN_CONSUMER);
  }
}
