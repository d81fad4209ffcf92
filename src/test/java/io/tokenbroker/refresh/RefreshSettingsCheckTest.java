package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefreshSettingsCheckTest {

  @Test
  void worstAttemptIsThreeTokenCallsAtTheSlowestProviderPlusTwoVaultCallsAndTheWrite() {
    AttemptBound bound =
        new AttemptBound(
            Map.of("fast", Duration.ofSeconds(5), "pinterest", Duration.ofSeconds(12)),
            Optional.of(Duration.ofSeconds(10)));

    assertThat(bound.worst()).isEqualTo(Duration.ofSeconds(3 * 12 + 2 * 10 + 2));
    assertThat(bound.breakdown())
        .contains("broker.providers.pinterest.connect-timeout + read-timeout (PT12S)")
        .contains("broker.crypto.vault-timeout (PT10S)");
  }

  @Test
  void withoutVaultTheWorstAttemptCountsNoVaultCalls() {
    AttemptBound bound =
        new AttemptBound(Map.of("pinterest", Duration.ofSeconds(12)), Optional.empty());

    assertThat(bound.worst()).isEqualTo(Duration.ofSeconds(38));
    assertThat(bound.breakdown()).doesNotContain("vault");
  }

  @Test
  void leaseThatCanExpireDuringTheLongestAttemptFailsTheStartNamingTheKeys() {
    AttemptBound bound =
        new AttemptBound(Map.of("pinterest", Duration.ofSeconds(12)), Optional.empty());

    assertThatThrownBy(() -> RefreshSettingsCheck.checkLease(Duration.ofSeconds(30), bound))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.refresh.lease-ttl: PT30S")
        .hasMessageContaining("PT38S")
        .hasMessageContaining("broker.providers.pinterest.connect-timeout + read-timeout");
  }

  @Test
  void leaseLongerThanTheLongestAttemptPasses() {
    AttemptBound bound =
        new AttemptBound(
            Map.of("pinterest", Duration.ofSeconds(12)), Optional.of(Duration.ofSeconds(10)));

    assertThatCode(() -> RefreshSettingsCheck.checkLease(Duration.ofSeconds(90), bound))
        .doesNotThrowAnyException();
  }
}
