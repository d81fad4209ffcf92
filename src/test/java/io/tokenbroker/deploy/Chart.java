package io.tokenbroker.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Helm chart under helm/token-broker, linted and rendered in-process by the Helm library that
 * helm-java embeds, exactly as `helm lint` and `helm template` would.
 */
final class Chart {

  static final Path DIRECTORY = Path.of("helm", "token-broker");
  static final String RELEASE = "tb";
  static final String NAMESPACE = "broker";

  /**
   * The cluster version rendered against; the library's own default is older than the chart's
   * floor.
   */
  private static final String KUBE_VERSION = "1.30.0";

  private Chart() {}

  static LintResult lint() {
    return new Helm(DIRECTORY).lint().strict().call();
  }

  static Manifests render() {
    return render(null, Map.of());
  }

  static Manifests render(Path valuesFile) {
    return render(valuesFile, Map.of());
  }

  static Manifests render(Map<String, Object> sets) {
    return render(null, sets);
  }

  /** Renders like `helm template tb helm/token-broker -n broker [-f valuesFile] [--set k=v...]`. */
  static Manifests render(Path valuesFile, Map<String, Object> sets) {
    return Manifests.parse(renderText(valuesFile, sets));
  }

  /** The YAML stream `helm template` prints. */
  static String renderText(Path valuesFile, Map<String, Object> sets) {
    TemplateCommand template =
        new Helm(DIRECTORY)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    if (valuesFile != null) {
      template = template.withValuesFile(valuesFile);
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      template = template.set(set.getKey(), set.getValue());
    }
    return template.call();
  }

  /**
   * The pods `helm test` would run. `helm template` (as helm-java embeds it) leaves hook objects
   * out, so this renders a copy of the chart whose test templates lack only their hook annotations.
   */
  static Manifests testHooks(Map<String, Object> sets) {
    try {
      Path copy = Files.createTempDirectory("chart-tests");
      Path chart = copy.resolve(DIRECTORY.getFileName());
      try (Stream<Path> files = Files.walk(DIRECTORY)) {
        for (Path source : files.toList()) {
          Path target = chart.resolve(DIRECTORY.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else if (source.startsWith(DIRECTORY.resolve("templates").resolve("tests"))) {
            Files.writeString(
                target, Files.readString(source).replaceAll("(?m)^\\s*helm\\.sh/hook.*\\n", ""));
          } else {
            Files.copy(source, target);
          }
        }
      }
      TemplateCommand template =
          new Helm(chart)
              .template()
              .withName(RELEASE)
              .withNamespace(NAMESPACE)
              .withKubeVersion(KUBE_VERSION);
      for (Map.Entry<String, Object> set : sets.entrySet()) {
        template = template.set(set.getKey(), set.getValue());
      }
      Manifests all = Manifests.parse(template.call());
      return new Manifests(
          all.objects().stream()
              .filter(o -> o.path("metadata").path("name").asText().endsWith("-test"))
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What `helm install` prints after installing, from a client-only dry run (no cluster). */
  static String installNotes(Path valuesFile) {
    return new Helm(DIRECTORY)
        .install()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION)
        .withValuesFile(valuesFile)
        .dryRun()
        .clientOnly()
        .call()
        .getOutput();
  }

  /** The values files under ci/, each of which must render: the defaults and the examples. */
  static List<Path> ciValuesFiles() {
    try (Stream<Path> files = Files.list(DIRECTORY.resolve("ci"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path productionValues() {
    return DIRECTORY.resolve("ci").resolve("production-values.yaml");
  }

  static String file(String relativePath) {
    try {
      return Files.readString(DIRECTORY.resolve(relativePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
