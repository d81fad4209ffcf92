package io.tokenbroker.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.token.TokenConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README and docs/api.md say what the code does, and point only inside the repository. */
class ApiDocsTest {

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file));
  }

  @Test
  void readmeLinksTheContractInTheRepositoryAndNothingOutsideIt() throws IOException {
    String readme = read("README.md");

    assertThat(readme)
        .doesNotContain("../shared")
        .doesNotContain("chart planned")
        .contains("(docs/api.md)")
        .contains("(docs/openapi.yaml)");
  }

  @Test
  void apiContractListsEveryProblemCodeTheBrokerAnswers() throws IOException {
    String api = read("docs/api.md");

    for (ProblemCode code : ProblemCode.values()) {
      assertThat(api).as(code.code()).contains("| `" + code.code() + "` | " + code.status() + " |");
    }
  }

  @Test
  void apiContractDescribesEveryPathOfTheOpenApiDocument() throws IOException {
    String api = read("docs/api.md");
    List<String> paths = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^  (/v1/\\S+):$").matcher(read("docs/openapi.yaml"));
    while (m.find()) {
      paths.add(m.group(1));
    }

    assertThat(paths).isNotEmpty();
    for (String path : paths) {
      assertThat(api)
          .as(path)
          .contains(path.replace("/v1/oauth/callback/{provider}", "/v1/oauth/callback"));
    }
  }

  @Test
  void apiContractStatesTheMinTtlLimitTheCodeApplies() throws Exception {
    long maxSeconds =
        Duration.parse(
                TokenConfig.class.getMethod("maxMinTtl").getAnnotation(WithDefault.class).value())
            .toSeconds();
    long defaultSeconds =
        Duration.parse(
                TokenConfig.class
                    .getMethod("defaultMinTtl")
                    .getAnnotation(WithDefault.class)
                    .value())
            .toSeconds();
    String api = read("docs/api.md");

    assertThat(api)
        .contains("`broker.token.max-min-ttl` (" + maxSeconds + " by default)")
        .contains("`broker.token.default-min-ttl` (" + defaultSeconds + ")")
        .contains("A token obtained in the last 60 seconds is served even when it lives less")
        .contains("or the caller is not listed in its `allowed_callers`");
  }
}
