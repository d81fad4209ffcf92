package io.tokenbroker.connect;

import io.tokenbroker.audit.AuditAction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The page a person opens from a connect link. No caller JWT: the token in the path is the
 * credential. GET shows the page (and never changes the link, so link previews are harmless); the
 * page's button POSTs back here, which starts a fresh authorization and answers 303 to the
 * provider.
 */
@Path("/connect/{token}")
public class ConnectPageResource {

  private final ConnectLinkService links;
  private final ConnectLinkSource source;
  private final ConnectPages pages;
  private final PublicBaseUrl base;

  ConnectPageResource(
      ConnectLinkService links, ConnectLinkSource source, ConnectPages pages, PublicBaseUrl base) {
    this.links = links;
    this.source = source;
    this.pages = pages;
    this.base = base;
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "The connect page of a link (HTML, for people)")
  @APIResponse(responseCode = "200", description = "The page, with its Continue button")
  @APIResponse(responseCode = "404", description = "Unknown link, or connect links not configured")
  @APIResponse(responseCode = "410", description = "The link was used, has expired or was revoked")
  public Response show(
      @PathParam("token") String token, @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
    Optional<ConnectLink> found = base.isSet() ? links.findByToken(token) : Optional.empty();
    if (found.isEmpty()) {
      return pages.closed(404, "unknown", language);
    }
    ConnectLink link = found.get();
    Instant now = Instant.now();
    LinkStatus status = link.status(now);
    links.recordVisit(link, AuditAction.CONNECT_LINK_OPENED, status.wire());
    if (status != LinkStatus.ACTIVE) {
      return pages.closed(410, status.wire(), language);
    }
    return pages.offer(link, FormToken.issue(token, link.id, now), language);
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "Continue to the provider (the page's button)")
  @APIResponse(responseCode = "303", description = "To the provider's authorization page")
  @APIResponse(responseCode = "403", description = "Not sent from the page (Origin or form token)")
  @APIResponse(responseCode = "404", description = "Unknown link, or connect links not configured")
  @APIResponse(responseCode = "410", description = "The link was used, has expired or was revoked")
  public Response proceed(
      @PathParam("token") String token,
      @FormParam("form_token") String formToken,
      @HeaderParam("Origin") String origin,
      @HeaderParam("Sec-Fetch-Site") String fetchSite,
      @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
    Optional<ConnectLink> found = base.isSet() ? links.findByToken(token) : Optional.empty();
    if (found.isEmpty()) {
      return pages.closed(404, "unknown", language);
    }
    ConnectLink link = found.get();
    Instant now = Instant.now();
    if (!OriginCheck.sameOrigin(base.origin(), origin, fetchSite)) {
      links.recordVisit(link, AuditAction.CONNECT_LINK_REFUSED, "foreign_origin");
      return pages.closed(403, "foreign_origin", language);
    }
    LinkStatus status = link.status(now);
    if (status != LinkStatus.ACTIVE) {
      links.recordVisit(link, AuditAction.CONNECT_LINK_REFUSED, status.wire());
      return pages.closed(410, status.wire(), language);
    }
    if (!FormToken.valid(formToken, token, link.id, now)) {
      links.recordVisit(link, AuditAction.CONNECT_LINK_REFUSED, "stale_form");
      return pages.closed(403, "stale_form", language);
    }
    String authorizationUrl = links.continueTo(link, source);
    return Response.seeOther(URI.create(authorizationUrl))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        // The provider must not learn the link's URL (it carries the token) as the referrer.
        .header("Referrer-Policy", "no-referrer")
        .build();
  }
}
