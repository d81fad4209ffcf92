package io.tokenbroker.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Starts a {@link VaultStandIn} for a test profile and points the broker at it exactly as an
 * operator would point it at Vault: {@code quarkus.vault.url} and AppRole credentials. Test classes
 * get the running stand-in in a field annotated {@link InjectVaultStandIn}.
 */
public class VaultStandInResource implements QuarkusTestResourceLifecycleManager {

  public static final String ROLE_ID = "token-broker-role";
  public static final String SECRET_ID = "token-broker-secret-id";

  /** Marks the test field that receives the running stand-in. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectVaultStandIn {}

  private VaultStandIn vault;

  /** Stores what the broker must find in Vault when it starts; nothing by default. */
  protected void seed(VaultStandIn vault) {}

  @Override
  public Map<String, String> start() {
    vault = VaultStandIn.start().appRole(ROLE_ID, SECRET_ID);
    seed(vault);
    return Map.of(
        "quarkus.vault.url",
        vault.url(),
        "quarkus.vault.authentication.app-role.role-id",
        ROLE_ID,
        "quarkus.vault.authentication.app-role.secret-id",
        SECRET_ID,
        // Fail fast when the stand-in is stopped on purpose.
        "quarkus.vault.connect-timeout",
        "2S",
        "quarkus.vault.read-timeout",
        "2S",
        "broker.crypto.vault-timeout",
        "3S");
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        vault,
        new TestInjector.AnnotatedAndMatchesType(InjectVaultStandIn.class, VaultStandIn.class));
  }

  @Override
  public void stop() {
    if (vault != null) {
      vault.close();
    }
  }
}
