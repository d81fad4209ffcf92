package io.tokenbroker.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/prometheus/token-broker-rules.yaml is the chart's PrometheusRule spec rendered with the
 * default thresholds and the job name a plain Prometheus scrape config would give the broker.
 * MonitoringTest keeps the two equal; after changing the template, re-render with
 *
 * <pre>
 * ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.tokenbroker.deploy.PlainRulesFile
 * </pre>
 */
final class PlainRulesFile {

  static final Path PATH = Path.of("deploy", "prometheus", "token-broker-rules.yaml");

  /** The values the plain file is rendered with. */
  static final Map<String, Object> VALUES =
      Map.of("prometheusRule.enabled", true, "prometheusRule.scrapeJob", "token-broker");

  private static final Pattern SPEC =
      Pattern.compile("(?ms)^kind: PrometheusRule$.*?^spec:\\n(.*?)(?:^---|\\z)");

  private PlainRulesFile() {}

  /** The file's text: its own header comment, then the rendered groups, de-indented. */
  static String render(String header) {
    Matcher spec = SPEC.matcher(Chart.renderText(null, VALUES));
    if (!spec.find()) {
      throw new IllegalStateException("the chart rendered no PrometheusRule");
    }
    StringBuilder body = new StringBuilder(header);
    for (String line : spec.group(1).split("\n")) {
      body.append(line.startsWith("  ") ? line.substring(2) : line).append('\n');
    }
    return body.toString();
  }

  /** The comment lines at the top of the current file. */
  static String header() throws IOException {
    StringBuilder header = new StringBuilder();
    for (String line : Files.readAllLines(PATH)) {
      if (!line.startsWith("#")) {
        break;
      }
      header.append(line).append('\n');
    }
    return header.toString();
  }

  public static void main(String[] args) throws IOException {
    Files.writeString(PATH, render(header()));
  }
}
