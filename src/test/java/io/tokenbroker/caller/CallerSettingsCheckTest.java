package io.tokenbroker.caller;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

class CallerSettingsCheckTest {

  @Test
  void blankNameClaimFailsTheStartNamingTheKey() {
    assertThatThrownBy(() -> CallerSettingsCheck.requireNameClaim(" "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.callers.name-claim");
  }

  @Test
  void namedClaimPasses() {
    assertThatCode(() -> CallerSettingsCheck.requireNameClaim("sub")).doesNotThrowAnyException();
  }
}
