package io.tokenbroker.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is the document the broker serves at /q/openapi, and that document describes
 * what the code really answers. Regenerate the file with {@code scripts/regenerate-openapi.sh}
 * (this test with {@code -Dopenapi.regenerate=true}).
 */
@QuarkusTest
class OpenApiDocumentTest {

  private static final Path COMMITTED = Path.of("docs/openapi.yaml");
  private static final String TOKEN = "paths.'/v1/connections/{id}/access-token'.post";
  private static final String CLIENT = "paths.'/v1/providers/{provider}/client-token'.post";
  private static final String START = "paths.'/v1/authorizations'.post";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

  @Test
  void committedDocumentIsTheOneTheBrokerServes() throws IOException {
    String served =
        given()
            .queryParam("format", "yaml")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    if (Boolean.getBoolean("openapi.regenerate")) {
      Files.writeString(COMMITTED, served);
    }
    assertThat(Files.readString(COMMITTED))
        .as("docs/openapi.yaml is stale: run scripts/regenerate-openapi.sh")
        .isEqualTo(served);
  }

  @Test
  void tokenEndpointsDescribeTheirAnswerAnOptionalBodyAndTheRealLimit() {
    JsonPath doc = document();

    for (String operation : List.of(TOKEN, CLIENT)) {
      assertThat(
              doc.getString(
                  operation + ".responses.'200'.content.'application/json'.schema.'$ref'"))
          .as(operation)
          .isEqualTo("#/components/schemas/IssuedToken");
      assertThat(doc.getBoolean(operation + ".requestBody.required")).as(operation).isFalse();
      assertThat(doc.getString(operation + ".summary")).as(operation).isNotBlank();
      assertThat(doc.getString(operation + ".description"))
          .as(operation)
          .contains("token-consumer");
    }
    assertThat(doc.getInt("components.schemas.TokenRequest.properties.min_ttl_seconds.maximum"))
        .isEqualTo(86400);
  }

  @Test
  void errorsAreProblemDocumentsWithTheStatusesTheCodeReallyAnswers() {
    JsonPath doc = document();

    assertThat(doc.getMap("components.schemas.Problem.properties")).containsKeys("type", "code");
    assertThat(doc.getList("components.schemas.Problem.properties.code.enum"))
        .contains("not_found", "reauthorization_required", "service_unavailable");
    Map<String, Object> token = doc.getMap(TOKEN + ".responses");
    assertThat(token).containsKeys("200", "400", "401", "403", "404", "409", "413", "415", "503");
    assertThat(
            doc.getString(
                TOKEN + ".responses.'404'.content.'application/problem+json'.schema.'$ref'"))
        .isEqualTo("#/components/schemas/Problem");
    assertThat(doc.getString(TOKEN + ".responses.'404'.description")).contains("not listed");
    assertThat(doc.getMap(START + ".responses")).containsKeys("201", "401", "403", "404", "415");
    assertThat(doc.getString(START + ".responses.'201'.content.'application/json'.schema.'$ref'"))
        .isEqualTo("#/components/schemas/AuthorizationStarted");
  }

  @Test
  void everyV1OperationButTheCallbackNamesTheBearerSchemeAndA401() {
    JsonPath doc = document();
    Map<String, Map<String, Object>> paths = doc.getMap("paths");

    paths.forEach(
        (path, operations) ->
            operations.keySet().stream()
                .filter(METHODS::contains)
                .forEach(
                    method -> {
                      String at = "paths.'" + path + "'." + method;
                      assertThat(doc.getString(at + ".summary")).as(at).isNotBlank();
                      // Pages and documents for browsers and OAuth clients (the callback, connect
                      // links, discovery) are anonymous by design.
                      if (path.startsWith("/v1/") && !path.startsWith("/v1/oauth/callback")) {
                        assertThat(doc.getMap(at + ".responses")).as(at).containsKey("401");
                        assertThat(doc.getList(at + ".security")).as(at).isNotEmpty();
                      }
                    }));
  }

  private static JsonPath document() {
    return given()
        .accept("application/json")
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
