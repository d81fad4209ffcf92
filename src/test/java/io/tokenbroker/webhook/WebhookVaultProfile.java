package io.tokenbroker.webhook;

import io.tokenbroker.support.VaultProfile;
import io.tokenbroker.support.VaultStandIn;
import io.tokenbroker.support.VaultStandInResource;
import io.tokenbroker.support.webhook.WebhookReceiver;
import io.tokenbroker.support.webhook.WebhookReceiverResource;
import java.util.List;
import java.util.Map;

/**
 * The broker against the Vault stand-in with webhooks on, the signing secret stored in Vault only
 * (broker.webhooks.secret unset), as production runs it.
 */
public class WebhookVaultProfile extends VaultProfile {

  /** The example secret of the Standard Webhooks specification; test-only. */
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  /** Vault holds the webhook secret before the broker starts. */
  public static class SeededVault extends VaultStandInResource {
    @Override
    protected void seed(VaultStandIn vault) {
      vault.putSecret("token-broker/webhooks", Map.of("secret", SECRET));
    }
  }

  /** A receiver verifying with the secret Vault holds; the broker's configuration has none. */
  public static class ReceiverOfVaultSecret extends WebhookReceiverResource {
    @Override
    protected WebhookReceiver newReceiver() {
      return WebhookReceiver.start(SECRET);
    }

    @Override
    protected boolean secretInConfiguration() {
      return false;
    }
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(SeededVault.class),
        new TestResourceEntry(ReceiverOfVaultSecret.class));
  }
}
