package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.connection.StatusTransitions;
import io.tokenbroker.support.webhook.WebhookReceiver;
import io.tokenbroker.support.webhook.WebhookReceiverResource;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** With Vault configured, deliveries are signed with the secret Vault holds. */
@QuarkusTest
@TestProfile(WebhookVaultProfile.class)
class WebhookVaultSecretTest {

  @Inject StatusTransitions transitions;

  @Test
  void deliveriesAreSignedWithTheSecretReadFromVault() {
    assertThat(ConfigProvider.getConfig().getOptionalValue("broker.webhooks.secret", String.class))
        .isEmpty();
    WebhookReceiver receiver = WebhookReceiverResource.receiver();
    UUID id = UUID.randomUUID();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Connection c = new Connection();
              c.id = id;
              c.provider = "pinterest";
              c.accountId = "vault-signed";
              c.status = ConnectionStatus.REAUTHORIZATION_REQUIRED;
              transitions.changed(c, ConnectionStatus.ACTIVE, "scheduled: INVALID_GRANT");
            });

    WebhookReceiver.Received event =
        WebhookEvents.await(receiver, id, "connection.reauthorization_required");

    assertThat(event.verified()).isTrue();
    assertThat(receiver.secret()).isEqualTo(WebhookVaultProfile.SECRET);
  }
}
