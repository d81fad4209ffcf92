package io.tokenbroker.problem;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Adds what every {@code /v1} operation has in common to the OpenAPI document, so that endpoint
 * annotations list only their own answers: the {@code Problem} schema (RFC 9457 plus the stable
 * {@code code}), the bearer security scheme, and the error responses the broker gives before or
 * around any endpoint (401 from caller authentication, 400/413/415 for a body, 500, and 503 when
 * the database or Vault cannot serve). Registered as {@code mp.openapi.filter}.
 */
public class ProblemOpenApi implements OASFilter {

  static final String SECURITY_SCHEME = "callerJwt";
  private static final String CALLBACK = "/v1/oauth/callback";

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    if (openApi.getComponents() == null) {
      openApi.setComponents(OASFactory.createComponents());
    }
    Components components = openApi.getComponents();
    components.addSchema(ProblemDocs.SCHEMA, problemSchema());
    components.addSecurityScheme(
        SECURITY_SCHEME,
        OASFactory.createSecurityScheme()
            .type(org.eclipse.microprofile.openapi.models.security.SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .bearerFormat("JWT")
            .description(
                "A caller JWT from your identity provider (RS256 or ES256; iss, aud, exp checked);"
                    + " roles come from its groups claim"));
    if (openApi.getPaths() == null) {
      return;
    }
    openApi
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              if (path.startsWith("/v1/") && !path.startsWith(CALLBACK)) {
                item.getOperations().values().forEach(ProblemOpenApi::addSharedAnswers);
              }
            });
  }

  private static void addSharedAnswers(Operation operation) {
    operation.setSecurity(
        List.of(OASFactory.createSecurityRequirement().addScheme(SECURITY_SCHEME)));
    APIResponses responses = operation.getResponses();
    if (responses == null) {
      responses = OASFactory.createAPIResponses();
      operation.setResponses(responses);
    }
    add(
        responses,
        "401",
        "unauthenticated: no caller JWT, or one that failed verification (WWW-Authenticate:"
            + " Bearer)");
    if (operation.getRequestBody() != null) {
      add(
          responses,
          "400",
          "malformed_request: the body is not the JSON described; validation_failed: a value is out"
              + " of range (errors lists each field)");
      add(
          responses,
          "413",
          "payload_too_large: the body is over quarkus.http.limits.max-body-size");
      add(responses, "415", "unsupported_media_type: send the body as application/json");
    }
    add(responses, "500", "internal_error: an unexpected error (logged with the request id)");
    add(
        responses,
        "503",
        "service_unavailable: the database or Vault cannot serve this right now (Retry-After)");
  }

  private static void add(APIResponses responses, String status, String description) {
    // An endpoint's own answer wins; a bare one Quarkus added (a 401 without content) does not.
    if (responses.hasAPIResponse(status) && responses.getAPIResponse(status).getContent() != null) {
      return;
    }
    responses.addAPIResponse(
        status,
        OASFactory.createAPIResponse()
            .description(description)
            .content(
                OASFactory.createContent()
                    .addMediaType(
                        ProblemDocs.MEDIA_TYPE,
                        OASFactory.createMediaType()
                            .schema(
                                OASFactory.createSchema()
                                    .ref("#/components/schemas/" + ProblemDocs.SCHEMA)))));
  }

  private static Schema problemSchema() {
    Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description(
            "RFC 9457 problem details with a stable code. Some codes add members: errors"
                + " (validation_failed), granted_scopes (insufficient_scope).")
        .required(List.of("type", "title", "status", "code"))
        .properties(problemMembers(string))
        .additionalPropertiesBoolean(Boolean.TRUE);
  }

  /** In the order a problem document lists them (a LinkedHashMap keeps the file stable). */
  private static Map<String, Schema> problemMembers(Schema string) {
    Map<String, Schema> members = new LinkedHashMap<>();
    members.put(
        "type",
        OASFactory.createSchema()
            .addType(Schema.SchemaType.STRING)
            .format("uri")
            .description("broker.problem.type-base followed by the code"));
    members.put("title", string);
    members.put("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER));
    members.put("detail", string);
    members.put(
        "code",
        OASFactory.createSchema()
            .addType(Schema.SchemaType.STRING)
            .enumeration(Arrays.stream(ProblemCode.values()).map(c -> (Object) c.code()).toList()));
    members.put("instance", string);
    members.put(
        "errors",
        OASFactory.createSchema()
            .addType(Schema.SchemaType.ARRAY)
            .description("validation_failed only: one entry per invalid field")
            .items(
                OASFactory.createSchema()
                    .addType(Schema.SchemaType.OBJECT)
                    .properties(fieldError(string))));
    members.put(
        "granted_scopes",
        OASFactory.createSchema()
            .addType(Schema.SchemaType.ARRAY)
            .description("insufficient_scope only: the scopes the connection has")
            .items(string));
    return members;
  }

  private static Map<String, Schema> fieldError(Schema string) {
    Map<String, Schema> members = new LinkedHashMap<>();
    members.put("field", string);
    members.put("message", string);
    return members;
  }
}
