package io.tokenbroker.support.upstream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link StandardOAuthServer} for a {@code @QuarkusTest} and points a broker provider at
 * it (provider id {@code standard} unless the resource argument {@code provider} says otherwise;
 * other resource arguments become further provider keys, e.g. {@code pkce=s256}).
 *
 * <p>Returns {@code broker.providers.<id>.authorization-endpoint}, {@code token-endpoint}, {@code
 * account-endpoint} (the OpenID Connect userinfo endpoint), {@code account-id-field} and {@code
 * account-name-field} (both {@code sub}), {@code revocation-endpoint}, {@code client-id} ({@value
 * #CLIENT_ID}), {@code client-secret} ({@value #CLIENT_SECRET}; the server checks no secret) and
 * {@code redirect-uri}, and pins {@code quarkus.http.test-port} like {@link
 * PinterestStandInResource}.
 */
public class StandardOAuthServerResource implements QuarkusTestResourceLifecycleManager {

  public static final String CLIENT_ID = "token-broker";
  public static final String CLIENT_SECRET = "standard-server-secret";

  private static volatile StandardOAuthServer current;
  private Map<String, String> initArgs = Map.of();

  /** The server of the running test application. */
  public static StandardOAuthServer server() {
    StandardOAuthServer server = current;
    if (server == null) {
      throw new IllegalStateException(
          "no StandardOAuthServer is running: annotate the test with"
              + " @QuarkusTestResource(StandardOAuthServerResource.class)");
    }
    return server;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    this.initArgs = Map.copyOf(initArgs);
  }

  @Override
  public Map<String, String> start() {
    StandardOAuthServer server = new StandardOAuthServer().start();
    current = server;
    return new ProviderOverrides(initArgs, "standard")
        .put("authorization-endpoint", server.authorizationEndpoint())
        .put("token-endpoint", server.tokenEndpoint())
        .put("account-endpoint", server.userInfoEndpoint())
        // userinfo names the account by its subject and has no username claim.
        .put("account-id-field", "sub")
        .put("account-name-field", "sub")
        .put("revocation-endpoint", server.revocationEndpoint())
        .put("client-id", CLIENT_ID)
        .put("client-secret", CLIENT_SECRET)
        .put("redirect-uri", BrokerTestPort.callbackUri())
        .build();
  }

  @Override
  public void stop() {
    StandardOAuthServer server = current;
    current = null;
    if (server != null) {
      server.close();
    }
  }
}
