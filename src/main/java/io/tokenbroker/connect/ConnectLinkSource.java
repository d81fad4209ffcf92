package io.tokenbroker.connect;

import io.tokenbroker.authorization.AuthorizationSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * Connect links as the source of authorizations: the callback asks here before it keeps a
 * connection (a link links once), and ends on the "Linked" page instead of the bare callback page.
 */
@ApplicationScoped
class ConnectLinkSource implements AuthorizationSource {

  static final String KIND = "connect-link";

  private final ConnectLinkService links;
  private final ConnectPages pages;

  ConnectLinkSource(ConnectLinkService links, ConnectPages pages) {
    this.links = links;
    this.pages = pages;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public boolean claim(String reference, UUID connectionId, String account) {
    return links.claim(UUID.fromString(reference), connectionId, account);
  }

  @Override
  public Response linkedPage(String reference, UUID connectionId, String account) {
    String provider = links.providerOf(UUID.fromString(reference)).orElse("");
    return pages.linked(provider, account, null);
  }
}
