package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile follows the conventions operators rely on. No container engine runs in the build,
 * so these read the file; `docker build` itself is documented in its header.
 */
class DockerfileTest {

  private static final Path DOCKERFILE = Path.of("Dockerfile");
  private static final Path DOCKERIGNORE = Path.of(".dockerignore");

  /** Instructions with their continuation lines joined and comments dropped. */
  private static List<String> instructions() throws IOException {
    String joined =
        Files.readString(DOCKERFILE)
            .lines()
            .filter(l -> !l.stripLeading().startsWith("#"))
            .reduce(
                "",
                (a, l) ->
                    a.endsWith("\\")
                        ? a.substring(0, a.length() - 1) + " " + l.strip()
                        : a + "\n" + l);
    return joined.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static String header() throws IOException {
    return Files.readString(DOCKERFILE)
        .lines()
        .takeWhile(l -> l.startsWith("#") || l.isBlank())
        .reduce("", (a, l) -> a + l + "\n");
  }

  @Test
  void buildsWithTheWrapperOnAJdk17AndRunsOnAPinnedJre() throws IOException {
    List<String> instructions = instructions();
    Pattern arg = Pattern.compile("ARG (BUILD_IMAGE|RUNTIME_IMAGE)=(\\S+)");
    String build = null;
    String runtime = null;
    for (String instruction : instructions) {
      Matcher m = arg.matcher(instruction);
      if (m.matches()) {
        if (m.group(1).equals("BUILD_IMAGE")) {
          build = m.group(2);
        } else {
          runtime = m.group(2);
        }
      }
    }

    assertThat(build).matches("eclipse-temurin:17\\.\\d+\\.\\d+_\\d+-jdk-\\w+");
    assertThat(runtime).matches("eclipse-temurin:(1[7-9]|2\\d)\\.\\d+\\.\\d+_\\d+-jre-\\w+");
    assertThat(instructions)
        .filteredOn(i -> i.startsWith("FROM "))
        .containsExactly("FROM ${BUILD_IMAGE} AS build", "FROM ${RUNTIME_IMAGE}");
    assertThat(instructions).anyMatch(i -> i.startsWith("RUN") && i.contains("./mvnw -B"));
  }

  @Test
  void copiesTheFastJarInFourLayersFromLeastToMostOftenChanged() throws IOException {
    List<String> copies =
        instructions().stream().filter(i -> i.startsWith("COPY --from=build")).toList();

    assertThat(copies)
        .containsExactly(
            "COPY --from=build /build/target/quarkus-app/lib/ /deployments/lib/",
            "COPY --from=build /build/target/quarkus-app/*.jar /deployments/",
            "COPY --from=build /build/target/quarkus-app/app/ /deployments/app/",
            "COPY --from=build /build/target/quarkus-app/quarkus/ /deployments/quarkus/");
  }

  @Test
  void runsAsTheNumericNonRootUserTheChartExpects() throws IOException {
    List<String> instructions = instructions();
    String lastUser =
        instructions.stream().filter(i -> i.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();

    assertThat(lastUser).isEqualTo("USER 10001:10001");
    assertThat(Chart.render().podSpec().path("securityContext").path("runAsUser").asInt())
        .isEqualTo(10001);
  }

  @Test
  void exposesPort8080AndSizesTheHeapFromTheContainer() throws IOException {
    List<String> instructions = instructions();

    assertThat(instructions).contains("EXPOSE 8080");
    assertThat(instructions)
        .anyMatch(i -> i.startsWith("ENV") && i.contains("-XX:MaxRAMPercentage="));
    assertThat(instructions.get(instructions.size() - 1))
        .startsWith("ENTRYPOINT")
        .contains("exec java")
        .contains("quarkus-run.jar");
  }

  @Test
  void bakesInNoSecret() throws IOException {
    Pattern sensitive = Pattern.compile("(?i)(password|secret|token|credential|api_?key)\\s*=");
    for (String instruction : instructions()) {
      if (instruction.startsWith("ENV") || instruction.startsWith("ARG")) {
        assertThat(sensitive.matcher(instruction).find()).as(instruction).isFalse();
      }
    }
  }

  @Test
  void headerDocumentsTheEnvironmentAndHowToBuild() throws IOException {
    assertThat(header())
        .contains("docker build")
        .contains("QUARKUS_DATASOURCE_JDBC_URL")
        .contains("QUARKUS_DATASOURCE_PASSWORD")
        .contains("QUARKUS_VAULT_URL")
        .contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION")
        .contains("BROKER_PROVIDERS_<ID>_CLIENT_ID")
        .contains("JAVA_OPTS_APPEND");
  }

  @Test
  void dockerignoreSendsOnlyTheSourcesTheBuildStageCopies() throws IOException {
    List<String> rules =
        Files.readString(DOCKERIGNORE)
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();

    assertThat(rules.get(0)).isEqualTo("*");
    assertThat(rules).contains("!mvnw", "!.mvn/", "!pom.xml", "!src/");
    assertThat(rules).noneMatch(r -> r.startsWith("!target") || r.startsWith("!data"));
  }
}
