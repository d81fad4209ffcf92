package io.tokenbroker.deploy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The metric families listed in helm/token-broker/files/metric-names.txt: the only series that
 * alert rules and the dashboard may name. Public so that a test of the running service can compare
 * the list with what /q/metrics exports.
 */
public final class MetricCatalogue {

  /** One metric family: sample name as PromQL uses it, Prometheus type, and its own labels. */
  public record Family(String name, String type, Set<String> labels) {

    /** The series PromQL can select for this family. */
    public List<String> seriesNames() {
      if (type.equals("histogram")) {
        return List.of(name + "_bucket", name + "_count", name + "_sum");
      }
      return List.of(name);
    }

    /** The name on the family's "# TYPE" line, which drops a counter's _total suffix. */
    public String expositionName() {
      if (type.equals("counter") && name.endsWith("_total")) {
        return name.substring(0, name.length() - "_total".length());
      }
      return name;
    }
  }

  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram");

  private final Map<String, Family> bySeries;
  private final List<Family> families;

  private MetricCatalogue(List<Family> families) {
    this.families = families;
    Map<String, Family> series = new LinkedHashMap<>();
    families.forEach(f -> f.seriesNames().forEach(s -> series.put(s, f)));
    this.bySeries = series;
  }

  public static MetricCatalogue load() {
    return parse(Chart.file("files/metric-names.txt"));
  }

  static MetricCatalogue parse(String text) {
    List<Family> families =
        text.lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .map(MetricCatalogue::family)
            .toList();
    return new MetricCatalogue(families);
  }

  private static Family family(String line) {
    String[] columns = line.split("\\s+");
    if (columns.length != 3 || !TYPES.contains(columns[1])) {
      throw new IllegalArgumentException("not '<name> <type> <labels>': " + line);
    }
    Set<String> labels =
        columns[2].equals("-") ? Set.of() : Set.copyOf(Arrays.asList(columns[2].split(",")));
    return new Family(columns[0], columns[1], labels);
  }

  public List<Family> families() {
    return families;
  }

  public Optional<Family> familyOfSeries(String series) {
    return Optional.ofNullable(bySeries.get(series));
  }
}
