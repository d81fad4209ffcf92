package io.tokenbroker.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A wrong webhook setting fails the start with a message naming its key, never the secret. */
class WebhookSettingsTest {

  private static final String GOOD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private record Settings(
      Optional<String> url,
      Optional<String> secret,
      Optional<List<String>> events,
      Duration giveUpAfter)
      implements WebhookConfig {

    static Settings good() {
      return new Settings(
          Optional.of("https://hooks.example.test/broker"),
          Optional.of(GOOD_SECRET),
          Optional.empty(),
          Duration.ofHours(26));
    }

    @Override
    public String vaultPath() {
      return "token-broker/webhooks";
    }

    @Override
    public Duration timeout() {
      return Duration.ofSeconds(10);
    }

    @Override
    public String pollInterval() {
      return "1s";
    }

    @Override
    public int batchSize() {
      return 16;
    }

    @Override
    public Duration retention() {
      return Duration.ofDays(7);
    }

    @Override
    public Retry retry() {
      return new Retry() {
        @Override
        public Duration initialDelay() {
          return Duration.ofSeconds(5);
        }

        @Override
        public Duration maxDelay() {
          return Duration.ofHours(1);
        }

        @Override
        public Duration giveUpAfter() {
          return giveUpAfter;
        }
      };
    }
  }

  @Test
  void goodSettingsPassAndNameTheTarget() {
    assertThat(WebhookSettings.check(Settings.good()))
        .hasValueSatisfying(u -> assertThat(u).hasToString("https://hooks.example.test/broker"));
  }

  @Test
  void badSecretFailsTheStartNamingTheKeyNotTheValue() {
    String bad = "hunter2-not-whsec";
    Settings s = Settings.good();
    assertThatThrownBy(
            () ->
                WebhookSettings.check(
                    new Settings(s.url(), Optional.of(bad), s.events(), s.giveUpAfter())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.webhooks.secret:")
        .hasMessageContaining("whsec_")
        .hasMessageNotContaining(bad);
  }

  @Test
  void otherBadSettingsFailTheStartNamingTheirKeys() {
    Settings s = Settings.good();
    assertThatThrownBy(
            () ->
                WebhookSettings.check(
                    new Settings(
                        Optional.of("hooks/broker"), s.secret(), s.events(), s.giveUpAfter())))
        .hasMessageStartingWith("broker.webhooks.url:");
    assertThatThrownBy(
            () ->
                WebhookSettings.check(
                    new Settings(
                        s.url(),
                        s.secret(),
                        Optional.of(List.of("connection.linked", "connection.deleted")),
                        s.giveUpAfter())))
        .hasMessageStartingWith("broker.webhooks.events:")
        .hasMessageContaining("connection.deleted");
    assertThatThrownBy(
            () ->
                WebhookSettings.check(
                    new Settings(s.url(), s.secret(), s.events(), Duration.ofHours(23))))
        .hasMessageStartingWith("broker.webhooks.retry.give-up-after:");
  }

  @Test
  void eventTypeFollowsFromThePairOfStatuses() {
    assertThat(type(null, "active", true)).contains(WebhookEventType.LINKED);
    assertThat(type("revoked", "active", true)).contains(WebhookEventType.LINKED);
    assertThat(type("active", "degraded", false)).contains(WebhookEventType.DEGRADED);
    assertThat(type("degraded", "degraded", false)).isEmpty();
    assertThat(type("degraded", "active", false)).contains(WebhookEventType.RECOVERED);
    // The transition an administrator's accepted refresh makes; covered without a change here.
    assertThat(type("reauthorization_required", "active", false))
        .contains(WebhookEventType.RECOVERED);
    assertThat(type("degraded", "reauthorization_required", false))
        .contains(WebhookEventType.REAUTHORIZATION_REQUIRED);
    assertThat(type("reauthorization_required", "revoked", false))
        .contains(WebhookEventType.REVOKED);
    assertThat(type("revoked", "active", false)).isEmpty();
  }

  private static Optional<WebhookEventType> type(String previous, String current, boolean linked) {
    return WebhookEventType.of(
        new io.tokenbroker.connection.StatusTransition(
            java.util.UUID.randomUUID(),
            "pinterest",
            "1",
            "someone",
            null,
            previous == null ? null : io.tokenbroker.connection.ConnectionStatus.fromWire(previous),
            io.tokenbroker.connection.ConnectionStatus.fromWire(current),
            linked,
            "test",
            java.time.Instant.now()));
  }
}
