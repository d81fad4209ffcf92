package io.tokenbroker.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The broker in production mode against the {@link VaultStandIn}. Every Vault test uses this one
 * profile, because each distinct profile restarts Quarkus.
 */
public class VaultProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(VaultStandInResource.class));
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    // Tests run re-encryption passes themselves; the background job must not race them.
    return Map.of(
        "broker.crypto.rotation.reencrypt-every", "1h",
        // Small batches, so that re-encryption is seen to page through rows.
        "broker.crypto.rotation.batch-size", "2");
  }
}
