package io.tokenbroker.provider;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/providers")
@Tag(name = "Providers")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ProviderResource {

  private final ProviderCatalog catalog;

  ProviderResource(ProviderCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  @Operation(
      summary = "List the configured providers",
      description =
          "Any authenticated caller. Ids, grants and scopes only; never a client id or secret.")
  @APIResponse(
      responseCode = "200",
      description = "The providers",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = SchemaType.ARRAY, implementation = ProviderView.class)))
  public List<ProviderView> list() {
    return catalog.all().stream().map(ProviderView::of).toList();
  }
}
