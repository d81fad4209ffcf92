package io.tokenbroker.caller;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified caller JWT into a {@link Caller}, once per request, and refuses a token that
 * does not name its caller. SmallRye JWT would accept a token that names its principal by {@code
 * upn} or {@code preferred_username} instead; the broker lists callers by one claim only, so a
 * token without it is an authentication failure (401), on every endpoint alike. So is a name
 * outside the grammar of {@code allowed_callers} ({@link CallerNames}): no administrator could list
 * it, and control characters in it would forge audit and log lines.
 */
@ApplicationScoped
class CallerIdentityAugmentor implements SecurityIdentityAugmentor {

  private final CallerConfig config;

  CallerIdentityAugmentor(CallerConfig config) {
    this.config = config;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
      return Uni.createFrom().item(identity);
    }
    Optional<String> name = callerName(token, config.nameClaim());
    if (name.isEmpty()) {
      return Uni.createFrom()
          .failure(
              new AuthenticationFailedException(
                  "caller token has no '" + config.nameClaim() + "' claim"));
    }
    if (!CallerNames.isValid(name.get())) {
      // The name is not quoted: it goes to logs and audit rows, and this one could forge a line.
      return Uni.createFrom()
          .failure(
              new AuthenticationFailedException(
                  "caller token's '" + config.nameClaim() + "' claim is not a valid caller name"));
    }
    Caller caller = new Caller(name.get(), identity.getRoles());
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder(identity)
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build());
  }

  /** The caller's name: the claim's value when it is a non-blank string, otherwise nothing. */
  static Optional<String> callerName(JsonWebToken token, String claim) {
    Object value = token.getClaim(claim);
    String name =
        value instanceof JsonString json
            ? json.getString()
            : value instanceof String text ? text : null;
    return name == null || name.isBlank() ? Optional.empty() : Optional.of(name);
  }
}
