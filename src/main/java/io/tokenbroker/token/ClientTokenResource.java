package io.tokenbroker.token;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.TokenKind;
import io.tokenbroker.problem.ProblemDocs;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** App tokens (client-credentials grant) for callers allowed on the provider. */
@Path("/v1/providers/{provider}/client-token")
@Tag(name = "Tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class ClientTokenResource {

  private final ClientTokenService tokens;
  private final CallerPolicy policy;
  private final BrokerMetrics metrics;

  ClientTokenResource(ClientTokenService tokens, CallerPolicy policy, BrokerMetrics metrics) {
    this.tokens = tokens;
    this.policy = policy;
    this.metrics = metrics;
  }

  @POST
  @Operation(
      summary = "Fetch the app's own token (client-credentials grant)",
      description =
          "Role: token-consumer, and the caller must be listed in"
              + " broker.callers.client-credentials.\"<provider>\". The token is obtained from the"
              + " provider and reused while it lives at least min_ttl_seconds. The body may be"
              + " empty: no scopes means the provider's default scopes.")
  @APIResponse(
      responseCode = "200",
      description = "The access token (Cache-Control: no-store)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = IssuedToken.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "validation_failed: a scope the provider does not allow, or a provider that issues no"
              + " app tokens",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "403",
      description = "forbidden: the caller lacks the role or is not listed for this provider",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "404",
      description = "not_found: no such provider (GET /v1/providers lists them)",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "502",
      description = "upstream_rejected: the provider refused the grant",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "503",
      description =
          "upstream_unavailable: the provider did not answer (Retry-After); service_unavailable:"
              + " the client secret cannot be read now",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  public Response issue(
      @Parameter(description = "Provider id (GET /v1/providers lists them)") @PathParam("provider")
          String provider,
      @RequestBody(required = false) @Valid TokenRequest body) {
    return TokenOutcomes.timed(
        metrics,
        TokenKind.CLIENT,
        () -> provider,
        () ->
            TokenResponses.noStore(
                tokens.issue(
                    policy.current(), provider, body == null ? TokenRequest.EMPTY : body)));
  }
}
