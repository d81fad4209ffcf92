package io.tokenbroker.authorization;

import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * A feature that starts authorizations on someone else's behalf and follows them to their end
 * (connect links). The authorization request remembers its source as {@code kind:reference}; the
 * callback then asks the source to agree before the connection is kept and lets it show the result,
 * while the linking itself stays the one code path every callback takes ({@code
 * ConnectionStore.link}).
 */
public interface AuthorizationSource {

  /** The prefix of the references this source owns, e.g. {@code connect-link}. */
  String kind();

  /**
   * Called in the transaction that stores the connection, after it did: {@code false} rolls the
   * linking back (the source was used or withdrawn meanwhile), so that nothing is stored.
   */
  boolean claim(String reference, UUID connectionId, String account);

  /** The page the person sees once the account is linked. */
  Response linkedPage(String reference, UUID connectionId, String account);
}
