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

  /** Resource argument: a webhook signing secret to store before the broker starts. */
  public static final String WEBHOOK_SECRET_ARG = "webhook-secret";

  private VaultStandIn vault;
  private Map<String, String> args = Map.of();

  @Override
  public void init(Map<String, String> initArgs) {
    this.args = Map.copyOf(initArgs);
  }

  @Override
  public Map<String, String> start() {
    vault = VaultStandIn.start().appRole(ROLE_ID, SECRET_ID);
    if (args.containsKey(WEBHOOK_SECRET_ARG)) {
      vault.putSecret("token-broker/webhooks", Map.of("secret", args.get(WEBHOOK_SECRET_ARG)));
    }
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
