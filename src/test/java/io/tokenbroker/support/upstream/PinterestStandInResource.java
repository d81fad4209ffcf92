package io.tokenbroker.support.upstream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link PinterestStandIn} for a {@code @QuarkusTest} and points a broker provider at it:
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = PinterestStandInResource.class, restrictToAnnotatedClass = true)
 * class SomeTest {
 *   PinterestStandIn pinterest = PinterestStandInResource.pinterest();
 * }
 * }</pre>
 *
 * <p>Returns {@code broker.providers.<id>.preset=pinterest}, {@code authorization-endpoint}, {@code
 * token-endpoint}, {@code account-endpoint}, {@code revocation-endpoint}, {@code api-base-url},
 * {@code client-id}, {@code client-secret} and {@code redirect-uri} ({@code
 * http://localhost:<port>/v1/oauth/callback}), where {@code <id>} is {@code pinterest} unless the
 * resource argument {@code provider} says otherwise; any other resource argument becomes a further
 * provider key, or overrides one (e.g. {@code continuous-refresh=true}). It also pins {@code
 * quarkus.http.test-port} to {@link BrokerTestPort}, so the redirect URI, registered exactly at the
 * stand-in, names the port the broker really listens on.
 */
public class PinterestStandInResource implements QuarkusTestResourceLifecycleManager {

  private static volatile PinterestStandIn current;
  private Map<String, String> initArgs = Map.of();

  /** The stand-in of the running test application. */
  public static PinterestStandIn pinterest() {
    PinterestStandIn standIn = current;
    if (standIn == null) {
      throw new IllegalStateException(
          "no PinterestStandIn is running: annotate the test with"
              + " @QuarkusTestResource(PinterestStandInResource.class)");
    }
    return standIn;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    this.initArgs = Map.copyOf(initArgs);
  }

  @Override
  public Map<String, String> start() {
    PinterestStandIn standIn = new PinterestStandIn().start();
    standIn.registerRedirectUri(BrokerTestPort.callbackUri());
    current = standIn;
    return new ProviderOverrides(initArgs, "pinterest")
        // The preset brings Pinterest's comma scope separator, scope list and margins; the
        // endpoint keys below override its production URLs.
        .put("preset", "pinterest")
        .put("authorization-endpoint", standIn.authorizationEndpoint())
        .put("token-endpoint", standIn.tokenEndpoint())
        .put("account-endpoint", standIn.accountEndpoint())
        .put("revocation-endpoint", standIn.revocationEndpoint())
        .put("api-base-url", standIn.apiBaseUrl())
        .put("client-id", standIn.clientId())
        .put("client-secret", standIn.initialClientSecret())
        .put("redirect-uri", BrokerTestPort.callbackUri())
        .build();
  }

  @Override
  public void stop() {
    PinterestStandIn standIn = current;
    current = null;
    if (standIn != null) {
      standIn.close();
    }
  }
}
