package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kubernetes objects of one `helm template` run, parsed from its YAML stream. */
record Manifests(List<JsonNode> objects) {

  private static final YAMLMapper YAML = new YAMLMapper();

  static Manifests parse(String yamlStream) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(yamlStream)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && document.hasNonNull("kind")) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm template produced invalid YAML", e);
    }
    return new Manifests(List.copyOf(objects));
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  boolean has(String kind) {
    return !ofKind(kind).isEmpty();
  }

  /** The single object of a kind; fails the test when there is none or more than one. */
  JsonNode one(String kind) {
    List<JsonNode> found = ofKind(kind);
    assertThat(found).as("rendered objects of kind %s", kind).hasSize(1);
    return found.get(0);
  }

  List<String> kinds() {
    return objects.stream().map(o -> o.path("kind").asText()).sorted().toList();
  }

  JsonNode deployment() {
    return one("Deployment");
  }

  JsonNode podSpec() {
    return deployment().path("spec").path("template").path("spec");
  }

  JsonNode brokerContainer() {
    JsonNode containers = podSpec().path("containers");
    assertThat(containers.size()).as("containers in the broker pod").isEqualTo(1);
    return containers.get(0);
  }

  /** The broker's config/application.properties as the chart's ConfigMap renders it. */
  String applicationProperties() {
    return ofKind("ConfigMap").stream()
        .map(c -> c.path("data").path("application.properties"))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap holds application.properties"));
  }

  Map<String, String> podLabels() {
    return strings(deployment().path("spec").path("template").path("metadata").path("labels"));
  }

  static Map<String, String> strings(JsonNode map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }

  /** The element of a list of objects whose {@code field} has the given text value. */
  static JsonNode element(JsonNode array, String field, String value) {
    for (JsonNode element : array) {
      if (element.path(field).asText().equals(value)) {
        return element;
      }
    }
    throw new AssertionError("no element with " + field + "=" + value + " in " + array);
  }

  static Map<String, String> matchLabels(JsonNode selector) {
    return strings(selector.path("matchLabels"));
  }
}
