package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The broker's signatures against the example the Standard Webhooks specification publishes. */
class WebhookSigningTest {

  @Test
  void signatureMatchesTheSpecificationsPublishedExample() {
    WebhookSecret secret =
        WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").orElseThrow();

    String signature =
        WebhookSigner.sign(
            secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}");

    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void secretsOutsideTheFormatAreRefusedAndNeverPrinted() {
    assertThat(WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isEmpty();
    assertThat(WebhookSecret.parse("whsec_not*base64")).isEmpty();
    // 16 bytes: below the 24 the specification asks for.
    assertThat(WebhookSecret.parse("whsec_AAAAAAAAAAAAAAAAAAAAAA==")).isEmpty();
    assertThat(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").orElseThrow())
        .hasToString("WebhookSecret[redacted]");
  }
}
