package io.tokenbroker.support.upstream;

import java.net.InetAddress;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * A standards-conformant OAuth 2.0 / OpenID Connect server for end-to-end tests of the
 * authorization-code flow: NAV's {@code mock-oauth2-server} in process, on a random loopback port,
 * with its interactive login form switched on (drive it with {@link LoginFormDriver}).
 *
 * <p>What it enforces: PKCE (RFC 7636) — a code issued for a {@code code_challenge} is only
 * redeemed with the matching {@code code_verifier}; authorization codes are single use; tokens are
 * RS256 JWTs signed by its JWKS. What it does <em>not</em> enforce: client authentication (any
 * client id and secret are accepted), registered redirect URIs, scopes, and refresh-token single
 * use (a used refresh token works again). Pinterest's own rules live in {@link PinterestStandIn}.
 */
public final class StandardOAuthServer implements AutoCloseable {

  /** The issuer id in every endpoint path ({@code /default/authorize}, ...). */
  public static final String DEFAULT_ISSUER_ID = "default";

  private final String issuerId;
  private final MockOAuth2Server server;
  private boolean running;

  public StandardOAuthServer() {
    this(DEFAULT_ISSUER_ID);
  }

  public StandardOAuthServer(String issuerId) {
    this.issuerId = issuerId;
    this.server = new MockOAuth2Server(new OAuth2Config(true));
  }

  /** Listens on a random loopback port; does nothing when already running. */
  public synchronized StandardOAuthServer start() {
    return start(0);
  }

  /** Starts on a given loopback port (0: any free one). */
  public synchronized StandardOAuthServer start(int port) {
    if (!running) {
      server.start(InetAddress.getLoopbackAddress(), port);
      running = true;
    }
    return this;
  }

  public synchronized void stop() {
    if (running) {
      server.shutdown();
      running = false;
    }
  }

  @Override
  public void close() {
    stop();
  }

  public String issuerId() {
    return issuerId;
  }

  public int port() {
    return server.baseUrl().port();
  }

  /** The issuer ({@code iss} of its tokens). */
  public String issuerUrl() {
    return server.issuerUrl(issuerId).toString();
  }

  public String authorizationEndpoint() {
    return server.authorizationEndpointUrl(issuerId).toString();
  }

  public String tokenEndpoint() {
    return server.tokenEndpointUrl(issuerId).toString();
  }

  /** OpenID Connect userinfo: the account behind an access token ({@code sub} and claims). */
  public String userInfoEndpoint() {
    return server.userInfoUrl(issuerId).toString();
  }

  public String revocationEndpoint() {
    return server.revocationEndpointUrl(issuerId).toString();
  }

  public String jwksUri() {
    return server.jwksUrl(issuerId).toString();
  }

  /** The library's own server, for what this class does not wrap (queued token callbacks, ...). */
  public MockOAuth2Server delegate() {
    return server;
  }
}
