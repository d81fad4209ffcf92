package io.tokenbroker.token;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tokenbroker.caller.Caller;
import io.tokenbroker.caller.CallerPolicy;
import io.tokenbroker.connection.ConnectionIds;
import io.tokenbroker.metrics.BrokerMetrics;
import io.tokenbroker.metrics.TokenKind;
import io.tokenbroker.metrics.TokenOutcome;
import io.tokenbroker.problem.ProblemDocs;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The broker's main job: a linked account's short-lived access token for an allowed caller. (A
 * class of its own: JAX-RS picks one root class per path, and this path is more specific than
 * {@code /v1/connections}.)
 *
 * <p>Served on the event loop: a cached connection whose token lives long enough is answered there,
 * without a thread hop; anything that needs the database or the provider goes to a worker ({@link
 * OffEventLoop}). The body's bounds are checked by {@link TokenRequests}, not Bean Validation.
 */
@Path("/v1/connections/{id}/access-token")
@Tag(name = "Tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class TokenResource {

  private final ConnectionTokenService tokens;
  private final CallerPolicy policy;
  private final BrokerMetrics metrics;
  private final TokenCache cache;
  private final OffEventLoop workers;

  TokenResource(
      ConnectionTokenService tokens,
      CallerPolicy policy,
      BrokerMetrics metrics,
      TokenCache cache,
      OffEventLoop workers) {
    this.tokens = tokens;
    this.policy = policy;
    this.metrics = metrics;
    this.cache = cache;
    this.workers = workers;
  }

  @POST
  @Operation(
      summary = "Fetch a linked account's access token",
      description =
          "Role: token-consumer, and the caller must be listed in the connection's"
              + " allowed_callers. Serves the stored token when it lives at least min_ttl_seconds"
              + " (default 60), refreshing it first otherwise; a token obtained in the last 60 s"
              + " is served even when it lives less than asked. The body may be empty.")
  @APIResponse(
      responseCode = "200",
      description = "The access token (Cache-Control: no-store)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = IssuedToken.class)))
  @APIResponse(
      responseCode = "403",
      description =
          "forbidden: the caller lacks the token-consumer role; insufficient_scope: the"
              + " connection was not granted every requested scope (granted_scopes lists them)",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "404",
      description =
          "not_found: no such connection, or the caller is not listed on it (the same answer, so"
              + " that a caller learns nothing about connections it may not use)",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "409",
      description =
          "reauthorization_required: the provider refused the grant; the account must be linked"
              + " again",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  @APIResponse(
      responseCode = "503",
      description =
          "upstream_unavailable: the provider could not refresh and no valid token is held"
              + " (Retry-After); service_unavailable: the database or Vault cannot serve this now"
              + " (Retry-After)",
      content =
          @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
  public Uni<Response> issue(
      @Parameter(description = "Connection id (GET /v1/connections lists them)") @PathParam("id")
          String rawId,
      @RequestBody(required = false) TokenRequest body) {
    long started = System.nanoTime();
    TokenRequest request = body == null ? TokenRequest.EMPTY : body;
    UUID id = ConnectionIds.tryParse(rawId).orElse(null);
    Caller caller;
    IssuedToken held;
    try {
      caller = policy.current();
      if (id == null) {
        throw ConnectionIds.notFound();
      }
      held = tokens.issueFromMemory(caller, id, request);
    } catch (RuntimeException e) {
      timed(id, started, e);
      throw e;
    }
    if (held != null) {
      timed(id, started, null);
      return Uni.createFrom().item(TokenResponses.noStore(held));
    }
    return workers
        .call(() -> tokens.issue(caller, id, request))
        .onItemOrFailure()
        .invoke((token, failure) -> timed(id, started, failure))
        .map(TokenResponses::noStore);
  }

  private void timed(UUID id, long started, Throwable failure) {
    metrics.tokenRequest(
        id == null ? null : cache.providerOf(id),
        TokenKind.CONNECTION,
        failure == null ? TokenOutcome.ISSUED : TokenOutcomes.of(failure),
        System.nanoTime() - started);
  }
}
