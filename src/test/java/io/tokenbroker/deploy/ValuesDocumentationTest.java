package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Operators read values.yaml as the chart's manual: every key carries a comment above it. */
class ValuesDocumentationTest {

  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z_][\\w.-]*):(\\s.*)?$");

  @Test
  void everyValueIsPrecededByAComment() {
    List<String> lines = Chart.file("values.yaml").lines().toList();
    List<String> undocumented = new ArrayList<>();

    String previous = "";
    for (String line : lines) {
      Matcher key = KEY.matcher(line);
      if (key.matches() && !previous.strip().startsWith("#")) {
        undocumented.add(line.strip());
      }
      if (!line.isBlank()) {
        previous = line;
      }
    }

    assertThat(lines).isNotEmpty();
    assertThat(undocumented).as("keys without a comment").isEmpty();
  }

  @Test
  void everyTopLevelValueIsDescribedByTheSchema() throws Exception {
    JsonNode schema =
        new ObjectMapper().readTree(Chart.file("values.schema.json")).path("properties");
    List<String> missing = new ArrayList<>();

    for (String line : Chart.file("values.yaml").lines().toList()) {
      Matcher key = KEY.matcher(line);
      if (key.matches() && key.group(1).isEmpty() && !schema.has(key.group(2))) {
        missing.add(key.group(2));
      }
    }

    assertThat(missing).isEmpty();
  }
}
