package io.tokenbroker.caller;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tokenbroker.support.PostgresResource;
import java.util.List;
import java.util.Map;

/**
 * The broker trusts an issuer's JWKS URL (RS256 and ES256 keys) instead of the run-wide PEM key,
 * and lists callers for a provider's client-credentials token.
 */
public class JwksIssuerProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("broker.callers.client-credentials.\"app.provider\"", "svc-app,svc-other");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(PostgresResource.class),
        new TestResourceEntry(CallerJwksServer.class));
  }

  /** The run-wide PEM key would take precedence over the JWKS URL. */
  @Override
  public boolean disableGlobalTestResources() {
    return true;
  }
}
