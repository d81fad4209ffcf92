package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** `helm lint --strict` on the chart, including the values schema check of the defaults. */
class ChartLintTest {

  /** Helm asks every chart for an icon URL; the broker has no published icon to point at. */
  private static final String ICON_ADVICE = "[INFO] Chart.yaml: icon is recommended";

  @Test
  void strictLintReportsNothingButTheMissingIcon() {
    LintResult result = Chart.lint();

    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).allMatch(ICON_ADVICE::equals);
  }
}
