package io.tokenbroker.webhook;

import io.tokenbroker.support.VaultProfile;
import io.tokenbroker.support.VaultStandInResource;
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

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(
            VaultStandInResource.class, Map.of(VaultStandInResource.WEBHOOK_SECRET_ARG, SECRET)),
        new TestResourceEntry(
            WebhookReceiverResource.class,
            Map.of(
                WebhookReceiverResource.SECRET_ARG,
                SECRET,
                WebhookReceiverResource.SECRET_IN_CONFIG_ARG,
                "false")));
  }
}
