package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every shipped alert has a promtool unit test in which it fires. `.ci/run` runs promtool on the
 * file itself (`promtool test rules`); this test keeps a new rule from arriving without one.
 */
class RuleUnitTestsTest {

  private static final Path UNIT_TESTS =
      Path.of("deploy", "prometheus", "token-broker-rules.test.yaml");

  @Test
  void everyAlertHasAPromtoolCaseInWhichItFires() throws Exception {
    JsonNode tests = new YAMLMapper().readTree(Files.readString(UNIT_TESTS));
    Set<String> firing = new HashSet<>();
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        if (!check.path("exp_alerts").isEmpty()) {
          firing.add(check.path("alertname").asText());
        }
      }
    }
    List<String> alerts =
        AlertRules.rendered(Chart.render(PlainRulesFile.VALUES)).stream()
            .map(r -> r.path("alert").asText())
            .toList();

    assertThat(firing).containsAll(alerts);
  }

  @Test
  void unitTestsLoadThePlainRulesFile() throws Exception {
    JsonNode tests = new YAMLMapper().readTree(Files.readString(UNIT_TESTS));

    assertThat(tests.path("rule_files"))
        .extracting(JsonNode::asText)
        .containsExactly(PlainRulesFile.PATH.getFileName().toString());
  }
}
