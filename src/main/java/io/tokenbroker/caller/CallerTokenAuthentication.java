package io.tokenbroker.caller;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Verifies a caller JWT that an endpoint read itself (the token exchange takes it from the {@code
 * Authorization} header or from the form's {@code subject_token}) exactly as a {@code /v1} request
 * is verified: the same SmallRye JWT identity provider (with the broker's verification context and
 * remembering parser) and the same augmentors, so the same token is accepted or refused, and names
 * the same {@link Caller}, on every endpoint.
 */
@ApplicationScoped
public class CallerTokenAuthentication {

  private final IdentityProviderManager identities;

  CallerTokenAuthentication(IdentityProviderManager identities) {
    this.identities = identities;
  }

  /**
   * The caller that {@code jwt} names. Blocks: call it on a worker thread.
   *
   * @param request the HTTP request it came with, handed to the identity provider as the HTTP
   *     mechanism would; may be null
   * @throws AuthenticationFailedException when the token is not a valid caller JWT
   */
  public Caller authenticate(String jwt, RoutingContext request) {
    if (jwt == null || jwt.isBlank()) {
      throw new AuthenticationFailedException("no caller token");
    }
    TokenAuthenticationRequest authentication =
        new TokenAuthenticationRequest(new JsonWebTokenCredential(jwt));
    if (request != null) {
      HttpSecurityUtils.setRoutingContextAttribute(authentication, request);
    }
    SecurityIdentity identity = identities.authenticateBlocking(authentication);
    Caller caller =
        identity == null || identity.isAnonymous() ? null : identity.getAttribute(Caller.ATTRIBUTE);
    if (caller == null) {
      throw new AuthenticationFailedException("caller token names no caller");
    }
    return caller;
  }
}
