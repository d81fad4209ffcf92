package io.tokenbroker.authorization;

import io.quarkus.security.Authenticated;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.problem.ProblemDocs;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/authorizations}: an administrator starts linking an account. */
@Path("/v1/authorizations")
@Tag(name = "Authorizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class AuthorizationResource {

  private final AuthorizationService authorizations;
  private final CallerPolicy policy;

  AuthorizationResource(AuthorizationService authorizations, CallerPolicy policy) {
    this.authorizations = authorizations;
    this.policy = policy;
  }

  @POST
  @Operation(
      summary = "Start linking an account",
      description =
          "Role: broker-admin. Answers the provider's authorization URL to open in a browser;"
              + " after consent the provider sends the browser to the broker's callback, which"
              + " stores the connection (and sends the browser to return_to, if given).")
  @APIResponse(
      responseCode = "201",
      description = "Where to send the person, and until when (Cache-Control: no-store)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = AuthorizationStarted.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "validation_failed: a missing provider, a scope the provider does not allow, a return_to not on broker.authorization.return-to-allowed, or a provider not set up for linking",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "403",
      description = ProblemDocs.ADMIN_ONLY,
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "404",
      description = "not_found: no such provider (GET /v1/providers lists them)",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  public Response start(@Valid @NotNull(message = "is required") StartAuthorization body) {
    Caller caller = policy.current();
    policy.requireStartAuthorization(caller);
    AuthorizationStarted started = authorizations.start(body, caller.name());
    return Response.status(Response.Status.CREATED)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .entity(started)
        .build();
  }
}
