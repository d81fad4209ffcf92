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

/**
 * The browser lands here after consenting at the provider. No caller JWT: the state parameter is
 * the credential. Answers are a 303 to the checked return_to, or a small page.
 */
@Path("/v1/oauth/callback")
public class CallbackResource {

  /**
   * The callback URL carries the code and state; a redirect answer's referrer policy governs the
   * next request, so the return_to site is never told where the browser came from.
   */
  private static final String NO_REFERRER = "no-referrer";

  private final AuthorizationService authorizations;
  private final AuthorizationSources sources;

  CallbackResource(AuthorizationService authorizations, AuthorizationSources sources) {
    this.authorizations = authorizations;
    this.sources = sources;
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public Response callback(@Context UriInfo uri) {
    return handle(Optional.empty(), uri);
  }

  /** Variant for providers registered with a per-provider redirect URI. */
  @GET
  @Path("{provider}")
  @Produces(MediaType.TEXT_HTML)
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
