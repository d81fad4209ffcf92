package io.tokenbroker.metrics;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /q/metrics}, read the way Prometheus reads it (OpenMetrics text, which
 * Prometheus asks for first): samples with their labels, and the declared family types.
 */
final class Scrape {

  /** What a Prometheus server sends: OpenMetrics first, the classic text format as fallback. */
  static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  /** One sample line: {@code name{labels} value}. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");

  final String text;
  final List<Sample> samples;
  final Map<String, String> types;

  private Scrape(String text) {
    this.text = text;
    List<Sample> read = new ArrayList<>();
    Map<String, String> declared = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        declared.put(type.group(1), type.group(2));
        continue;
      }
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (sample.matches()) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (sample.group(2) != null) {
          Matcher label = LABEL.matcher(sample.group(2));
          while (label.find()) {
            labels.put(label.group(1), label.group(2));
          }
        }
        read.add(new Sample(sample.group(1), labels, parse(sample.group(3))));
      }
    }
    this.samples = List.copyOf(read);
    this.types = Map.copyOf(declared);
  }

  /**
   * What a Prometheus server gets. Its Accept header lists text/plain as a fallback, and Quarkus
   * then answers in the classic text format, whose counter "# TYPE" lines keep the _total suffix.
   */
  static Scrape now() {
    return as(PROMETHEUS_ACCEPT);
  }

  /** The OpenMetrics form, whose counter "# TYPE" lines drop the _total suffix. */
  static Scrape openMetrics() {
    return as("application/openmetrics-text; version=1.0.0; charset=utf-8");
  }

  private static Scrape as(String accept) {
    return new Scrape(
        given().accept(accept).get("/q/metrics").then().statusCode(200).extract().asString());
  }

  /** The value of the sample with exactly these labels (pairs of name, value) among others. */
  Optional<Double> find(String name, String... labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && has(s.labels(), labels))
        .map(Sample::value)
        .reduce(Double::sum);
  }

  /** As {@link #find}, with 0 for a series that does not exist (yet). */
  double value(String name, String... labels) {
    return find(name, labels).orElse(0.0);
  }

  /** How much a series grew from {@code before} to this scrape (a new series grew from 0). */
  double since(Scrape before, String name, String... labels) {
    return value(name, labels) - before.value(name, labels);
  }

  List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static boolean has(Map<String, String> actual, String... wanted) {
    for (int i = 0; i < wanted.length; i += 2) {
      if (!wanted[i + 1].equals(actual.get(wanted[i]))) {
        return false;
      }
    }
    return true;
  }

  private static double parse(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }
}
