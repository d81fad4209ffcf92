package io.tokenbroker.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading to list the series and label names an expression refers to. It is no
 * parser: it removes what cannot be a series name (strings, ranges, grouping clauses, label
 * matchers, function calls, keywords, numbers) and reports the identifiers that remain.
 */
final class PromQl {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)\\}");
  private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_]\\w*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern GRAFANA_LABEL_VALUES =
      Pattern.compile("\\blabel_values\\((.*),\\s*([a-zA-Z_]\\w*)\\s*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][\\w:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "Inf",
          "NaN");

  /** Series names and label names that one expression refers to. */
  record References(Set<String> series, Set<String> labels) {}

  private PromQl() {}

  static References references(String expression) {
    Set<String> labels = new LinkedHashSet<>();
    // Grafana's label_values(selector, label) is a template query, not PromQL: keep the selector.
    String text = expression;
    Matcher labelValues = GRAFANA_LABEL_VALUES.matcher(text);
    if (labelValues.find()) {
      labels.add(labelValues.group(2));
      text = labelValues.replaceFirst(Matcher.quoteReplacement(labelValues.group(1)));
    }
    text = STRING.matcher(text).replaceAll("\"\"");
    text = RANGE.matcher(text).replaceAll(" ");
    text = collect(GROUPING, text, labels, PromQl::labelList);
    text = collect(MATCHERS, text, labels, PromQl::matcherLabels);

    Set<String> series = new LinkedHashSet<>();
    Matcher identifier = IDENTIFIER.matcher(text);
    while (identifier.find()) {
      String name = identifier.group();
      boolean isCall = text.substring(identifier.end()).stripLeading().startsWith("(");
      if (!isCall && !KEYWORDS.contains(name)) {
        series.add(name);
      }
    }
    return new References(series, labels);
  }

  private interface LabelReader {
    void read(String inside, Set<String> labels);
  }

  private static String collect(Pattern pattern, String text, Set<String> labels, LabelReader r) {
    Matcher m = pattern.matcher(text);
    StringBuilder rest = new StringBuilder();
    while (m.find()) {
      r.read(m.group(1), labels);
      m.appendReplacement(rest, " ");
    }
    m.appendTail(rest);
    return rest.toString();
  }

  private static void labelList(String inside, Set<String> labels) {
    for (String label : inside.split(",")) {
      if (!label.isBlank()) {
        labels.add(label.strip());
      }
    }
  }

  private static void matcherLabels(String inside, Set<String> labels) {
    Matcher m = MATCHER_LABEL.matcher(inside);
    while (m.find()) {
      labels.add(m.group(1));
    }
  }
}
