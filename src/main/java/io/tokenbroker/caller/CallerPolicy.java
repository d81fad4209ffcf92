package io.tokenbroker.caller;

import io.quarkus.security.identity.SecurityIdentity;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The one place that decides what a caller may do. Resources ask it for the {@link #current()}
 * caller and then call the {@code require…} method of the action; a denial is a 403 {@code
 * forbidden} problem whose detail says nothing about the resource asked for.
 *
 * <p>Roles do not stack into each other: an administrator manages connections but gets a token only
 * where it is also a {@code token-consumer} listed on the connection or provider, so that managing
 * the broker never silently grants use of every linked account.
 */
@ApplicationScoped
public class CallerPolicy {

  private static final String NOT_ALLOWED = "The caller is not allowed to do this.";

  private final CallerConfig config;
  private final SecurityIdentity identity;

  CallerPolicy(CallerConfig config, SecurityIdentity identity) {
    this.config = config;
    this.identity = identity;
  }

  /**
   * The caller of the current request.
   *
   * @throws BrokerException {@code unauthenticated} when the request carries no verified caller JWT
   */
  public Caller current() {
    Caller caller = identity.isAnonymous() ? null : identity.getAttribute(Caller.ATTRIBUTE);
    if (caller == null) {
      throw new BrokerException(
          ProblemCode.UNAUTHENTICATED,
          "Send a valid caller JWT as 'Authorization: Bearer <token>' (no verified caller).");
    }
    return caller;
  }

  /** Managing connections (list, read any, change callers, refresh, delete) needs broker-admin. */
  public void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw BrokerException.forbidden("This needs the " + Roles.BROKER_ADMIN + " role.");
    }
  }

  /** Starting an authorization links a new account, an administrative act. */
  public void requireStartAuthorization(Caller caller) {
    requireAdmin(caller);
  }

  /**
   * Whether the caller may fetch the access token of a connection that lists {@code
   * allowedCallers}: it must be a token-consumer and be listed by name.
   */
  public boolean mayUseConnection(Caller caller, Set<String> allowedCallers) {
    return caller.isTokenConsumer() && allowedCallers.contains(caller.name());
  }

  /**
   * Whether the caller may read a connection's metadata: administrators may read every connection,
   * token-consumers the ones they may use.
   */
  public boolean mayViewConnection(Caller caller, Set<String> allowedCallers) {
    return caller.isAdmin() || mayUseConnection(caller, allowedCallers);
  }

  /**
   * Whether the caller may fetch the client-credentials (app) token of {@code providerId}: it must
   * be a token-consumer listed in {@code broker.callers.client-credentials."<provider>"}.
   */
  public boolean mayUseClientCredentials(Caller caller, String providerId) {
    return caller.isTokenConsumer()
        && config.clientCredentials().getOrDefault(providerId, Set.of()).contains(caller.name());
  }

  /** As {@link #mayUseClientCredentials}, throwing {@code forbidden} when it may not. */
  public void requireClientCredentials(Caller caller, String providerId) {
    if (!mayUseClientCredentials(caller, providerId)) {
      throw BrokerException.forbidden(NOT_ALLOWED);
    }
  }
}
