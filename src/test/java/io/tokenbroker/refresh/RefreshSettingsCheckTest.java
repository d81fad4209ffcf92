package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefreshSettingsCheckTest {

  @Test
  void leaseThatCanExpireDuringTheSlowestUpstreamCallFailsTheStartNamingBothKeys() {
    assertThatThrownBy(
            () ->
                RefreshSettingsCheck.checkLease(
                    Duration.ofSeconds(10), "pinterest", Duration.ofSeconds(12)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.refresh.lease-ttl: PT10S")
        .hasMessageContaining("broker.providers.pinterest.connect-timeout + read-timeout");
  }

  @Test
  void leaseLongerThanTheUpstreamCallPasses() {
    assertThatCode(
            () ->
                RefreshSettingsCheck.checkLease(
                    Duration.ofSeconds(30), "pinterest", Duration.ofSeconds(12)))
        .doesNotThrowAnyException();
  }
}
