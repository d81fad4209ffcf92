package io.tokenbroker.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The documented bulk path, scripts/import-ndjson.py, run as a user would run it against the
 * broker: good lines become connections, each failed line is reported by number with the broker's
 * problem code, and no refresh token appears in what the script prints.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ImportScriptTest {

  @TestHTTPResource("/")
  URI broker;

  private static boolean python3() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String line(IssuedTokens grant) {
    return "{\"provider\":\"pinterest\",\"refresh_token\":\""
        + grant.refreshToken()
        + "\",\"allowed_callers\":[\"svc-bulk\"]}";
  }

  @Test
  void scriptImportsGoodLinesAndReportsEachFailedLineByNumber() throws Exception {
    assumeTrue(python3(), "python3 is not installed");
    PinterestStandIn pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    List<IssuedTokens> good = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      good.add(
          pinterest.issueGrant("bulk-" + UUID.randomUUID(), "boards:read", "user_accounts:read"));
    }
    IssuedTokens refused =
        pinterest.issueGrant("bulk-refused-" + UUID.randomUUID(), "user_accounts:read");
    pinterest.killGrant(refused.account().id());
    Path input = Files.createTempFile("import", ".ndjson");
    Files.writeString(
        input,
        String.join(
            "\n",
            line(good.get(0)),
            line(refused),
            "{\"provider\":\"pinterest\",\"refresh_token\":\"pinr.half-a-line",
            "",
            line(good.get(1)),
            line(good.get(2))));

    ProcessBuilder run =
        new ProcessBuilder(
            "python3",
            "scripts/import-ndjson.py",
            "--broker",
            broker.toString(),
            "--concurrency",
            "2",
            "--rate",
            "50",
            input.toString());
    run.environment().put("BROKER_TOKEN", CallerTokens.admin());
    Process process = run.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(err).isEqualTo(1);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> failures = new ArrayList<>();
    for (String result : out.strip().split("\n")) {
      failures.add(json.readTree(result));
    }
    assertThat(failures)
        .extracting(f -> f.get("line").asInt() + ":" + f.get("code").asText())
        .containsExactlyInAnyOrder("2:grant_rejected", "3:malformed_line");
    assertThat(err).contains("5/5 done, 2 failed");
    for (IssuedTokens grant : good) {
      assertThat(
              QuarkusTransaction.requiringNew()
                  .call(() -> Connection.count("accountId", grant.account().id())))
          .isEqualTo(1);
    }
    for (IssuedTokens grant : List.of(good.get(0), good.get(1), good.get(2), refused)) {
      assertThat(out + err).doesNotContain(grant.refreshToken());
    }
    assertThat(out + err).doesNotContain("pinr.half-a-line");
  }
}
