package io.tokenbroker.exchange;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414): tells OAuth client libraries
 * where the token endpoint is and which grant it serves. Public, like every such document; it names
 * nothing a caller could not find in the documentation.
 */
@Path("/.well-known/oauth-authorization-server")
@Tag(name = "Token exchange")
public class ServerMetadataResource {

  private final IssuerSetting issuer;

  ServerMetadataResource(IssuerSetting issuer) {
    this.issuer = issuer;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "OAuth 2.0 authorization server metadata (RFC 8414)")
  public Map<String, Object> metadata(@Context UriInfo request) {
    String id = issuer.issuer(request.getBaseUri());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("issuer", id);
    metadata.put("token_endpoint", id + "/v1/token");
    metadata.put("grant_types_supported", List.of(ExchangeParameters.GRANT_TYPE));
    // RFC 8414 section 2 requires this member; the broker has no authorization endpoint of its
    // own (people consent at the provider), so it supports no response type.
    metadata.put("response_types_supported", List.of());
    return metadata;
  }
}
