package io.tokenbroker.provider;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ProviderResource {

  private final ProviderCatalog catalog;

  ProviderResource(ProviderCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  public List<ProviderView> list() {
    return catalog.all().stream().map(ProviderView::of).toList();
  }
}
