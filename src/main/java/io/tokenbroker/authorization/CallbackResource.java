package io.tokenbroker.authorization;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The browser lands here after consenting at the provider. No caller JWT: the state parameter is
 * the credential. Answers are a 303 to the checked return_to, or a small page.
 */
@Path("/v1/oauth/callback")
@Tag(name = "Authorizations")
public class CallbackResource {

  /**
   * The callback URL carries the code and state; a redirect answer's referrer policy governs the
   * next request, so the return_to site is never told where the browser came from.
   */
  private static final String NO_REFERRER = "no-referrer";

  // The two callback operations differ only in their path: their documentation is shared.
  private static final String HOW_IT_WORKS =
      "No caller JWT: the state parameter is the credential. The provider sends the browser"
          + " here with state and code (or error); the broker checks the state (known,"
          + " unexpired, unused), exchanges the code and stores the connection.";
  private static final String STATE = "State from the authorization";
  private static final String CODE = "Authorization code";
  private static final String ERROR = "Error the provider reported";
  private static final String LINKED_PAGE = "HTML page: account linked, with the connection id";
  private static final String BACK_TO_RETURN_TO =
      "To return_to with ?connection_id=... (or ?error=...), when the authorization named one";
  private static final String FAILED_PAGE =
      "HTML page: linking failed (unknown, expired or used state; provider error)";

  private final AuthorizationService authorizations;
  private final AuthorizationSources sources;

  CallbackResource(AuthorizationService authorizations, AuthorizationSources sources) {
    this.authorizations = authorizations;
    this.sources = sources;
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "OAuth redirect target (browser only)", description = HOW_IT_WORKS)
  @Parameter(
      name = "state",
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = STATE)
  @Parameter(
      name = "code",
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = CODE)
  @Parameter(
      name = "error",
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = ERROR)
  @APIResponse(
      responseCode = "200",
      description = LINKED_PAGE,
      content = @Content(mediaType = MediaType.TEXT_HTML))
  @APIResponse(responseCode = "303", description = BACK_TO_RETURN_TO)
  @APIResponse(
      responseCode = "400",
      description = FAILED_PAGE,
      content = @Content(mediaType = MediaType.TEXT_HTML))
  public Response callback(@Context UriInfo uri) {
    return handle(Optional.empty(), uri);
  }

  /** Variant for providers registered with a per-provider redirect URI. */
  @GET
  @Path("{provider}")
  @Produces(MediaType.TEXT_HTML)
  @Operation(
      summary = "OAuth redirect target for a per-provider redirect URI (browser only)",
      description = HOW_IT_WORKS)
  @Parameter(
      name = "state",
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = STATE)
  @Parameter(
      name = "code",
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = CODE)
  @Parameter(
      name = "error",
      in = ParameterIn.QUERY,
      schema = @Schema(type = SchemaType.STRING),
      description = ERROR)
  @APIResponse(
      responseCode = "200",
      description = LINKED_PAGE,
      content = @Content(mediaType = MediaType.TEXT_HTML))
  @APIResponse(responseCode = "303", description = BACK_TO_RETURN_TO)
  @APIResponse(
      responseCode = "400",
      description = FAILED_PAGE,
      content = @Content(mediaType = MediaType.TEXT_HTML))
  public Response callbackFor(@PathParam("provider") String provider, @Context UriInfo uri) {
    return handle(Optional.of(provider), uri);
  }

  private Response handle(Optional<String> provider, UriInfo uri) {
    try {
      MultivaluedMap<String, String> query = uri.getQueryParameters();
      CallbackParams params =
          new CallbackParams(
              provider, single(query, "state"), single(query, "code"), single(query, "error"));
      CallbackOutcome outcome = authorizations.complete(params);
      if (outcome.returnTo().isPresent()) {
        UriBuilder back = UriBuilder.fromUri(outcome.returnTo().get());
        outcome.connectionId().ifPresent(id -> back.queryParam("connection_id", id));
        outcome.error().ifPresent(error -> back.queryParam("error", error));
        return Response.seeOther(back.build())
            .header(HttpHeaders.CACHE_CONTROL, "no-store")
            .header("Referrer-Policy", NO_REFERRER)
            .build();
      }
      if (outcome.connectionId().isPresent() && outcome.source().isPresent()) {
        AuthorizationSources.Found found = sources.find(outcome.source().get()).orElseThrow();
        return found
            .source()
            .linkedPage(
                found.reference(), outcome.connectionId().get(), outcome.account().orElse(""));
      }
      return outcome
          .connectionId()
          .map(
              id ->
                  CallbackPage.render(
                      200,
                      "Account linked",
                      "Connection id: " + id + ". You can close this window."))
          .orElseGet(
              () ->
                  CallbackPage.render(
                      400,
                      "Linking was not completed",
                      "The provider reported: " + outcome.error().orElse("error") + "."));
    } catch (CallbackException e) {
      if (e.returnTo() != null) {
        return Response.seeOther(
                UriBuilder.fromUri(e.returnTo()).queryParam("error", e.reason()).build())
            .header(HttpHeaders.CACHE_CONTROL, "no-store")
            .header("Referrer-Policy", NO_REFERRER)
            .build();
      }
      return CallbackPage.render(400, "Linking failed (" + e.reason() + ")", e.detail());
    }
  }

  /** A parameter sent twice is an attack or a bug, never something to pick from. */
  private static Optional<String> single(MultivaluedMap<String, String> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new CallbackException(
          "duplicate_parameter", "The link carries '" + name + "' more than once.", null);
    }
    String value = values.get(0);
    if (value.isEmpty() || value.length() > 4096) {
      throw new CallbackException(
          "invalid_parameter", "The link carries an unusable '" + name + "'.", null);
    }
    return Optional.of(value);
  }
}
